import { CLASS_ROWS, NON_FINITE, SHADES } from './colourTables';

/**
 * Grid data → per-point lookup indices (RGBA bytes, α fastest, β rows from the bottom):
 * R = the loss-table entry (loss maps) or the outcome class (basin maps), G = the shade.
 */

export interface LossScale {
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
}

/**
 * The range the colours span: all finite values on a log scale; on a linear scale up to the
 * 98th percentile, so that a few huge losses far from the centre do not wash out the rest.
 */
export function lossScale(loss: Float32Array, log: boolean): LossScale {
  const finite = Array.from(loss)
    .filter((x) => Number.isFinite(x) && (!log || x > 0))
    .sort((a, b) => a - b);
  if (finite.length === 0) return { log, min: 0, max: 1 };
  const min = finite[0];
  const max = log ? finite[finite.length - 1] : finite[Math.floor(0.98 * (finite.length - 1))];
  return { log, min, max: max > min ? max : min * 1.0001 + 1e-9 };
}

/** Position of `x` in the scale, 0..1 (clamped). */
export function scaled(x: number, s: LossScale): number {
  const t = s.log ? (Math.log(x) - Math.log(s.min)) / (Math.log(s.max) - Math.log(s.min)) : (x - s.min) / (s.max - s.min);
  return Math.min(1, Math.max(0, t));
}

export function encodeLoss(loss: Float32Array, scale: LossScale): Uint8Array {
  const out = new Uint8Array(loss.length * 4);
  for (let i = 0; i < loss.length; i++) {
    const x = loss[i];
    out[i * 4] = Number.isFinite(x) && (!scale.log || x > 0) ? Math.round(scaled(x, scale) * (NON_FINITE - 1)) : NON_FINITE;
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function encodeBasin(outcomes: Uint8Array, strength: Float32Array): Uint8Array {
  const out = new Uint8Array(outcomes.length * 4);
  for (let i = 0; i < outcomes.length; i++) {
    out[i * 4] = Math.min(outcomes[i], CLASS_ROWS - 1);
    out[i * 4 + 1] = Math.round(Math.min(1, Math.max(0, strength[i])) * (SHADES - 1));
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Looks every encoded point up in its table: the exact colours the map shows. */
export function lookUp(encoded: Uint8Array, kind: 'loss' | 'basin', table: Uint8Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(encoded.length);
  for (let i = 0; i < encoded.length / 4; i++) {
    const entry = kind === 'loss' ? encoded[i * 4] : encoded[i * 4] * SHADES + encoded[i * 4 + 1];
    out.set(table.subarray(entry * 4, entry * 4 + 4), i * 4);
  }
  return out;
}
