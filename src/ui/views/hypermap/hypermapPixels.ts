import { cellColours, type HypermapColouring, type HypermapData } from '../../../core/instruments/hypermap/hypermapPicture';
import type { HypermapViewResult } from '../../../worker/protocol';

/** What the map shows: the majority outcome shaded by its share, or the trainability score. */
export const colouringOf = (r: HypermapViewResult): HypermapColouring => (r.outcome === 'trainability' ? 'score' : 'outcome');

const orNull = (v: number) => (Number.isFinite(v) ? v : null);

/** The result as the hypermap command's JSON has it, for core's cellColours. */
export function hypermapData(r: HypermapViewResult): HypermapData {
  const k = r.classes.length;
  return {
    res: r.res,
    classes: r.classes,
    counts: Array.from({ length: r.res ** 2 }, (_, cell) => Array.from(r.counts.subarray(cell * k, (cell + 1) * k))),
    meanLoss: Array.from(r.meanLoss, orNull),
    ...(r.meanScore ? { meanScore: Array.from(r.meanScore, orNull) } : {}),
  };
}

/** RGBA of a res × res image, row 0 at the top holding the largest y (y grows upwards). */
export function hypermapPixels(r: HypermapViewResult): Uint8ClampedArray<ArrayBuffer> {
  const colours = cellColours(hypermapData(r), colouringOf(r));
  const px = new Uint8ClampedArray(r.res * r.res * 4);
  for (let j = 0; j < r.res; j++)
    for (let i = 0; i < r.res; i++) px.set([...colours[j * r.res + i], 255], ((r.res - 1 - j) * r.res + i) * 4);
  return px;
}

/** Each class's particles over the whole map. */
export function classTotals(r: HypermapViewResult): number[] {
  const k = r.classes.length;
  return r.classes.map((_, c) => {
    let n = 0;
    for (let cell = 0; cell < r.res ** 2; cell++) n += r.counts[cell * k + c];
    return n;
  });
}
