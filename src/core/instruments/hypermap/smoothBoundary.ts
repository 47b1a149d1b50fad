import { boxDimension } from './boxDimension';

/**
 * What a smooth boundary measures with boxDimension on a res × res map: on a coarse map the box
 * count has few sizes to fit, and a line, a circle or a gentle wave can measure well above 1
 * (at 33 cells a side up to ~1.4; at 65, ~1.25). A map's boundary is rougher than a curve only
 * where it measures above what smooth ones reach at the same size. This draws SHAPES smooth
 * boundaries from a fixed stream — lines at every angle and offset, circles, sine waves of one to
 * three periods, a third each — and returns the `q` quantile of their dimensions.
 */
export const SHAPES = 300;

/** A seeded Park–Miller stream: the same shapes on every call, so the ceiling is a fixed number per size. */
function stream(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

function smoothShape(k: number, res: number, r: () => number): boolean[] {
  const [a, b, c, d] = [r(), r(), r(), r()];
  return Array.from({ length: res * res }, (_, cell) => {
    const x = (cell % res) / (res - 1);
    const y = Math.floor(cell / res) / (res - 1);
    if (k % 3 === 0) return Math.cos(2 * Math.PI * a) * (x - 0.5) + Math.sin(2 * Math.PI * a) * (y - 0.5) < (b - 0.5) * 0.5;
    if (k % 3 === 1) return (x - 0.3 - 0.4 * a) ** 2 + (y - 0.3 - 0.4 * b) ** 2 < (0.15 + 0.3 * c) ** 2;
    return y < 0.5 + 0.2 * (b - 0.5) + 0.15 * c * Math.sin(2 * Math.PI * ((1 + 2 * a) * x + d));
  });
}

const cache = new Map<string, number>();

/** The `q` quantile of smooth boundaries' box-counting dimensions at `res` cells a side; undefined where none can be measured. */
export function smoothBoundaryCeiling(res: number, q = 0.99): number | undefined {
  const key = `${res} ${q}`;
  if (cache.has(key)) return cache.get(key);
  const r = stream(1);
  const dims: number[] = [];
  for (let k = 0; k < SHAPES; k++) {
    const measured = boxDimension(smoothShape(k, res, r), res);
    if (measured) dims.push(measured.dimension);
  }
  if (dims.length === 0) return undefined;
  dims.sort((x, y) => x - y);
  const ceiling = dims[Math.min(dims.length - 1, Math.floor(q * dims.length))];
  cache.set(key, ceiling);
  return ceiling;
}
