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
