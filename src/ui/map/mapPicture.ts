import { lossTable, outcomeTable } from '../colour/colourTables';
import { encodeBasin, encodeLoss, lookUp, lossScale, type LossScale } from '../colour/mapEncoding';
import type { BasinFrame, LossMap } from '../../worker/protocol';

/** What the map shows, as lookup indices: the screen and the PNG export both draw from this. */
export interface MapPicture {
  readonly kind: 'loss' | 'basin';
  readonly res: number;
  readonly encoded: Uint8Array;
  /** loss maps: the range the colours span */
  readonly scale?: LossScale;
  /** loss per grid point (the basin map's is its current trained loss) */
  readonly loss: Float32Array;
}

/** What the map shows for the view asked for: the basin view falls back to the loss map until the first basin frame arrives. */
export function pictureKind(lossMap: LossMap | undefined, basin: BasinFrame | undefined, view: 'loss' | 'basin'): 'loss' | 'basin' {
  return view === 'basin' && lossMap && basin && basin.outcomes.length === lossMap.res * lossMap.res ? 'basin' : 'loss';
}

/** The picture as lookup indices (see pictureKind for which). */
export function mapPicture(
  lossMap: LossMap | undefined,
  basin: BasinFrame | undefined,
  view: 'loss' | 'basin',
  log: boolean,
): MapPicture | undefined {
  if (!lossMap) return undefined;
  if (basin && pictureKind(lossMap, basin, view) === 'basin') {
    return { kind: 'basin', res: lossMap.res, encoded: encodeBasin(basin.outcomes, basin.strength), loss: basin.loss };
  }
  const scale = lossScale(lossMap.loss, log);
  return { kind: 'loss', res: lossMap.res, encoded: encodeLoss(lossMap.loss, scale), scale, loss: lossMap.loss };
}

/**
 * A PNG of the map from its data through the colour tables (not a grab of the canvas), scaled
 * up with whole pixels per grid point, β upwards as on screen.
 */
export async function pictureToPng(p: MapPicture, hypotheses: number): Promise<Blob> {
  const rgba = lookUp(p.encoded, p.kind, p.kind === 'loss' ? lossTable() : outcomeTable(hypotheses));
  const flipped = new Uint8ClampedArray(rgba.length);
  const row = p.res * 4;
  for (let j = 0; j < p.res; j++) flipped.set(rgba.subarray(j * row, (j + 1) * row), (p.res - 1 - j) * row);
  const small = new OffscreenCanvas(p.res, p.res);
  small.getContext('2d')!.putImageData(new ImageData(flipped, p.res, p.res), 0, 0);
  const scale = Math.max(1, Math.floor(768 / p.res));
  const big = new OffscreenCanvas(p.res * scale, p.res * scale);
  const ctx = big.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, big.width, big.height);
  return big.convertToBlob({ type: 'image/png' });
}
