/**
 * Loss barriers along straight lines between trained networks (linear mode connectivity: Frankle
 * et al. 2020; Juneja et al. 2023). The barrier of a pair is the largest rise of the loss along
 * the line above the straight interpolation of its end points' losses:
 *   max over t of L((1 − t)·a + t·b) − ((1 − t)·L(a) + t·L(b)), clipped at 0.
 */

/** `points` evenly spaced positions in [0, 1], both ends included. */
export function interpolationPoints(points: number): Float32Array {
  if (!Number.isInteger(points) || points < 2) throw new RangeError(`points must be an integer ≥ 2, got ${points}`);
  return Float32Array.from({ length: points }, (_, k) => k / (points - 1));
}

/** The barrier of one line from its losses at `ts` (ts[0] = 0, ts[last] = 1); NaN if any loss is not finite. */
export function lineBarrier(losses: ArrayLike<number>, ts: ArrayLike<number>): number {
  const n = ts.length;
  const l0 = losses[0];
  const l1 = losses[n - 1];
  let barrier = 0;
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(losses[k])) return NaN;
    barrier = Math.max(barrier, losses[k] - ((1 - ts[k]) * l0 + ts[k] * l1));
  }
  return barrier;
}

/** Every unordered pair (i, j), i < j, of `m` items, flattened: the lines a barrier matrix needs. */
export function allPairs(m: number): Uint32Array {
  const out = new Uint32Array(m * (m - 1));
  let at = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      out[at++] = i;
      out[at++] = j;
    }
  }
  return out;
}

/**
 * The symmetric M × M barrier matrix (zero diagonal) from the train losses along every pair of
 * allPairs(m), `lossAt(line, k)` being the loss of line `line` at ts[k].
 */
export function barrierMatrix(m: number, ts: ArrayLike<number>, lossAt: (line: number, k: number) => number): Float64Array {
  const out = new Float64Array(m * m);
  const losses = new Float64Array(ts.length);
  let line = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      for (let k = 0; k < ts.length; k++) losses[k] = lossAt(line, k);
      out[i * m + j] = out[j * m + i] = lineBarrier(losses, ts);
      line++;
    }
  }
  return out;
}

export interface BarrierStats {
  /** unordered pairs counted */
  pairs: number;
  mean: number;
  /** standard deviation over the pairs (0 for one pair) */
  sd: number;
  median: number;
}

/**
 * Mean barrier within each class and between each pair of classes (`labels[i]` the class of item
 * i, −1 to leave an item out). Keys: "a" within class a, "a|b" between a and b (a < b in class
 * order). Pairs with a non-finite barrier are left out. Classes with no pair get no entry. Keys come
 * within-class first, then between, in class order.
 */
export function barrierSummary(matrix: Float64Array, labels: ArrayLike<number>, classes: readonly string[]): Record<string, BarrierStats> {
  const m = labels.length;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const [a, b] = [labels[i], labels[j]].sort((x, y) => x - y);
      const v = matrix[i * m + j];
      if (a < 0 || !Number.isFinite(v)) continue;
      const key = a === b ? classes[a] : `${classes[a]}|${classes[b]}`;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(v);
    }
  }
  // within each class first, then between pairs of classes, all in class order
  const keys = [...classes, ...classes.flatMap((a, i) => classes.slice(i + 1).map((b) => `${a}|${b}`))].filter((k) => groups.has(k));
  const out: Record<string, BarrierStats> = {};
  for (const key of keys) {
    const values = groups.get(key)!;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
    const sorted = [...values].sort((x, y) => x - y);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    out[key] = { pairs: values.length, mean, sd: values.length > 1 ? sd : 0, median };
  }
  return out;
}
