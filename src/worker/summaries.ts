import type { Metrics } from '../core/engine';
import type { Plane } from '../core/plane';
import type { Band } from './protocol';

/**
 * Small per-frame digests of big per-particle arrays, made in the worker so that only a few
 * numbers per frame cross to the UI thread.
 */

/** Median and 10–90% band of metric `j` (0 loss, 1 accuracy) of set `s`; non-finite values are left out. */
export function band(metrics: Metrics, sets: number, s: number, j: number): Band {
  const count = metrics.length / (2 * sets);
  const values = new Float32Array(count);
  let n = 0;
  for (let i = 0; i < count; i++) {
    const v = metrics[(i * sets + s) * 2 + j];
    if (Number.isFinite(v)) values[n++] = v;
  }
  const sorted = values.subarray(0, n).sort();
  const at = (q: number) => {
    if (n === 0) return NaN;
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, n - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  return { lo: at(0.1), mid: at(0.5), hi: at(0.9) };
}

/**
 * How strongly each particle agrees with its outcome class, 0..1, for shading the basin map:
 * a hypothesis by its probe accuracy, `mixed` by its best probe accuracy, `unconverged` by its
 * training accuracy, `diverged` fully.
 */
export function strengths(metrics: Metrics, outcomes: Uint8Array, hypotheses: number): Float32Array {
  const sets = 1 + hypotheses;
  const out = new Float32Array(outcomes.length);
  for (let i = 0; i < outcomes.length; i++) {
    const at = i * sets * 2;
    const c = outcomes[i];
    if (c < hypotheses) out[i] = metrics[at + 2 * (c + 1) + 1];
    else if (c === hypotheses) {
      let best = 0;
      for (let h = 0; h < hypotheses; h++) best = Math.max(best, metrics[at + 2 * (h + 1) + 1]);
      out[i] = best;
    } else if (c === hypotheses + 1) out[i] = metrics[at + 1];
    else out[i] = 1;
    if (!Number.isFinite(out[i])) out[i] = 0;
  }
  return out;
}

/** Train loss of every particle: set 0, metric 0. */
export function trainLosses(metrics: Metrics, sets: number): Float32Array {
  const count = metrics.length / (2 * sets);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = metrics[i * sets * 2];
  return out;
}

/** Metrics of a few particles, [tracked][sets][2]. */
export function pick(metrics: Metrics, sets: number, indices: readonly number[]): Float32Array {
  const out = new Float32Array(indices.length * sets * 2);
  indices.forEach((p, k) => out.set(metrics.subarray(p * sets * 2, (p + 1) * sets * 2), k * sets * 2));
  return out;
}

/**
 * Orthogonal projection onto a plane, with the plane's Gram matrix computed once (the same
 * maths as core's projectOntoPlane, for thousands of vectors per frame).
 */
export class Projector {
  private readonly inv: [number, number, number];

  constructor(private readonly plane: Plane) {
    let d11 = 0, d12 = 0, d22 = 0;
    for (let k = 0; k < plane.d1.length; k++) {
      d11 += plane.d1[k] * plane.d1[k];
      d12 += plane.d1[k] * plane.d2[k];
      d22 += plane.d2[k] * plane.d2[k];
    }
    const det = d11 * d22 - d12 * d12;
    this.inv = det === 0 ? [0, 0, 0] : [d22 / det, -d12 / det, d11 / det];
  }

  /** (α, β) of every vector of `params` ([count][P]), as [count][2]. */
  project(params: Float32Array, out?: Float32Array): Float32Array {
    const { center, d1, d2 } = this.plane;
    const p = center.length;
    const count = params.length / p;
    const xy = out ?? new Float32Array(count * 2);
    const [a, b, c] = this.inv;
    for (let i = 0; i < count; i++) {
      let r1 = 0, r2 = 0;
      const at = i * p;
      for (let k = 0; k < p; k++) {
        const r = params[at + k] - center[k];
        r1 += r * d1[k];
        r2 += r * d2[k];
      }
      xy[2 * i] = a * r1 + b * r2;
      xy[2 * i + 1] = b * r1 + c * r2;
    }
    return xy;
  }
}
