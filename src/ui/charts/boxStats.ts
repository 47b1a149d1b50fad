/** Five numbers of one class's values, for a box plot; absent for a class with no finite value. */
export interface Box {
  readonly n: number;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
}

/** The q-quantile of sorted values, interpolating linearly between order statistics (R's type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Per class c in 0..classes−1, the box of the finite `values[i]` with `labels[i] === c` (labels
 * below 0 are left out): any per-particle scalar (mean barrier, sharpness, LLC) by outcome.
 */
export function boxesByClass(values: ArrayLike<number>, labels: ArrayLike<number>, classes: number): (Box | undefined)[] {
  const groups: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < values.length; i++) {
    if (labels[i] >= 0 && labels[i] < classes && Number.isFinite(values[i])) groups[labels[i]].push(values[i]);
  }
  return groups.map((g) => {
    if (g.length === 0) return undefined;
    const s = Float64Array.from(g).sort();
    return {
      n: s.length,
      min: s[0],
      q1: quantileSorted(s, 0.25),
      median: quantileSorted(s, 0.5),
      q3: quantileSorted(s, 0.75),
      max: s[s.length - 1],
    };
  });
}
