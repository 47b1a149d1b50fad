/**
 * The box-counting dimension of the boundary in a two-class map, as Sohl-Dickstein 2024 measures
 * the trainability boundary: a boundary pixel is a 2 × 2 window of cells holding both classes;
 * N(s) counts the s × s boxes (s = 1, 2, 4, …) that hold a boundary pixel, and the dimension is
 * the slope of log N(s) against log(1/s), fitted by least squares. A smooth curve gives 1, a
 * boundary that fills the plane 2.
 */
export interface BoxDimension {
  /** the least-squares slope of log N against log(1/s) */
  readonly dimension: number;
  /** the box sides used, in cells */
  readonly sizes: number[];
  /** boxes holding a boundary pixel, per size */
  readonly counts: number[];
  /** the slope between each pair of neighbouring sizes: their spread says how straight the fit is */
  readonly localSlopes: number[];
  /** the boundary pixels (2 × 2 windows holding both classes) */
  readonly boundary: number;
}

/** The fewest box sizes a slope is fitted over: below this the map is too small to say. */
export const MIN_BOX_SIZES = 3;

/**
 * `inside[j * res + i]`: cell (i, j) is in the first class. The largest box is a quarter of the
 * boundary image's side, so even it is counted over 16 boxes. Undefined where the map is too small
 * (fewer than MIN_BOX_SIZES sizes) or has no boundary.
 */
export function boxDimension(inside: ArrayLike<boolean>, res: number): BoxDimension | undefined {
  if (inside.length !== res * res) throw new Error(`a ${res} × ${res} map has ${res * res} cells, got ${inside.length}`);
  const side = res - 1;
  const edge = new Uint8Array(side * side);
  let boundary = 0;
  for (let j = 0; j < side; j++)
    for (let i = 0; i < side; i++) {
      const a = inside[j * res + i];
      const mixed = inside[j * res + i + 1] !== a || inside[(j + 1) * res + i] !== a || inside[(j + 1) * res + i + 1] !== a;
      if (mixed) {
        edge[j * side + i] = 1;
        boundary++;
      }
    }
  if (boundary === 0) return undefined;
  const sizes: number[] = [];
  for (let s = 2; s <= side / 4; s *= 2) sizes.push(s);
  if (sizes.length < MIN_BOX_SIZES) return undefined;
  const counts = sizes.map((s) => {
    const boxes = Math.ceil(side / s);
    const hit = new Uint8Array(boxes * boxes);
    for (let j = 0; j < side; j++)
      for (let i = 0; i < side; i++) if (edge[j * side + i]) hit[Math.floor(j / s) * boxes + Math.floor(i / s)] = 1;
    return hit.reduce((n, h) => n + h, 0);
  });
  const xs = sizes.map((s) => -Math.log(s));
  const ys = counts.map(Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, k) => {
    sxy += (x - mx) * (ys[k] - my);
    sxx += (x - mx) ** 2;
  });
  const localSlopes = counts.slice(1).map((n, k) => Math.log(counts[k] / n) / Math.log(sizes[k + 1] / sizes[k]));
  return { dimension: sxy / sxx, sizes, counts, localSlopes, boundary };
}

/**
 * The box count of a hyper map's boundary between `inside` (default: converged) and the rest: a
 * cell is inside when more than half its particles ended there. `counts`: per cell (row-major,
 * x fastest) a count per class, flat. Undefined where the map has no such class or boundary, or
 * is too small.
 */
export function mapBoundaryDimension(
  classes: readonly string[],
  counts: ArrayLike<number>,
  res: number,
  inside = 'converged',
): BoxDimension | undefined {
  const c = classes.indexOf(inside);
  const k = classes.length;
  if (c < 0) return undefined;
  const cells = Array.from({ length: res * res }, (_, cell) => {
    let total = 0;
    for (let j = 0; j < k; j++) total += counts[cell * k + j];
    return counts[cell * k + c] > total / 2;
  });
  return boxDimension(cells, res);
}
