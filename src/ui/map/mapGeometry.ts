import type { LossMap } from '../../worker/protocol';
import type { MapWindow } from './mapRenderer';

/** The window covers whole grid cells: each grid point sits at the centre of its cell. */
export function windowOf(map: LossMap): MapWindow {
  const res = map.res;
  const ha = res > 1 ? (map.alphas[res - 1] - map.alphas[0]) / (res - 1) / 2 : 0.5;
  const hb = res > 1 ? (map.betas[res - 1] - map.betas[0]) / (res - 1) / 2 : 0.5;
  return { a0: map.alphas[0] - ha, a1: map.alphas[res - 1] + ha, b0: map.betas[0] - hb, b1: map.betas[res - 1] + hb };
}

/** (α, β) under a point of the canvas given as fractions of its width and height (y downwards). */
export function toPlane(w: MapWindow, fx: number, fy: number): [number, number] {
  return [w.a0 + fx * (w.a1 - w.a0), w.b1 - fy * (w.b1 - w.b0)];
}

/** Fractions of the canvas (y downwards) of a point (α, β). */
export function toCanvas(w: MapWindow, alpha: number, beta: number): [number, number] {
  return [(alpha - w.a0) / (w.a1 - w.a0), (w.b1 - beta) / (w.b1 - w.b0)];
}

/** The grid point whose cell holds (α, β): index j·res + i, or -1 outside the map. */
export function gridIndex(w: MapWindow, res: number, alpha: number, beta: number): number {
  const i = Math.floor(((alpha - w.a0) / (w.a1 - w.a0)) * res);
  const j = Math.floor(((beta - w.b0) / (w.b1 - w.b0)) * res);
  return i < 0 || j < 0 || i >= res || j >= res ? -1 : j * res + i;
}

/** Index of the particle nearest to canvas fractions (fx, fy) within `radius` (as a fraction), or -1. */
export function nearestParticle(w: MapWindow, positions: Float32Array, fx: number, fy: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < positions.length / 2; i++) {
    const [x, y] = toCanvas(w, positions[2 * i], positions[2 * i + 1]);
    const d = (x - fx) ** 2 + (y - fy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** About five round tick values across [lo, hi]. */
export function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 4;
  const step = [1, 2, 2.5, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Math.abs(t) < step * 1e-6 ? 0 : t);
  return out;
}

/** How many of the positions lie outside the window (non-finite ones included). */
export function countOutside(w: MapWindow, positions: Float32Array): number {
  let n = 0;
  for (let i = 0; i < positions.length; i += 2) {
    const a = positions[i];
    const b = positions[i + 1];
    if (!(a >= w.a0 && a <= w.a1 && b >= w.b0 && b <= w.b1)) n++;
  }
  return n;
}

/** Rounds up to two significant digits: a span a person can read and type. */
const roundUp2 = (x: number) => {
  const unit = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.ceil(x / unit) * unit;
};

/**
 * The map window (centre and span, as the form's "map centre α,β" and "span") that holds every
 * finite position and every landmark with a 10% margin; undefined when there is nothing finite.
 */
export function fitView(
  positions: Float32Array,
  landmarks: readonly { alpha: number; beta: number }[],
): { offset: [number, number]; span: number } | undefined {
  let a0 = Infinity;
  let a1 = -Infinity;
  let b0 = Infinity;
  let b1 = -Infinity;
  const add = (a: number, b: number) => {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return;
    a0 = Math.min(a0, a);
    a1 = Math.max(a1, a);
    b0 = Math.min(b0, b);
    b1 = Math.max(b1, b);
  };
  for (let i = 0; i < positions.length; i += 2) add(positions[i], positions[i + 1]);
  for (const l of landmarks) add(l.alpha, l.beta);
  if (a0 > a1) return undefined;
  const offset: [number, number] = [+((a0 + a1) / 2).toPrecision(3), +((b0 + b1) / 2).toPrecision(3)];
  const half = Math.max(a1 - offset[0], offset[0] - a0, b1 - offset[1], offset[1] - b0);
  return { offset, span: Math.min(1000, roundUp2(Math.max(half * 1.1, 1e-3))) };
}

/** What one unit of α and β is, for a plane with this many defining points (1: random directions, 3: through points). */
export function axisUnitOf(landmarks: number): string {
  return landmarks === 3
    ? 'plane units: (1,0) and (0,1) are the 2nd and 3rd points'
    : "units of the filter-normalised directions (1 = the centre's per-neuron norm)";
}
