/**
 * A per-particle measurement summarised per outcome class: median and interquartile range, the
 * way the geometry report compares classes. Values may be ±∞ (a censored measurement: "beyond
 * the largest radius"), which take part in the order statistics; NaN means "no value" and is left
 * out. A class with fewer than MIN_CLASS_SIZE values is marked, not hidden.
 */
export const MIN_CLASS_SIZE = 5;

export interface Spread {
  /** particles of the class with a value */
  readonly n: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  /** fewer than MIN_CLASS_SIZE values: the quantiles say little */
  readonly few: boolean;
}

/** The q-quantile (linear interpolation) of sorted values, which may hold ±∞. */
function sortedQuantile(v: Float64Array, q: number): number {
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  // exact positions and ties first: ∞ · 0 would be NaN
  if (pos === lo || v[lo] === v[hi]) return v[lo];
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export function spread(values: ArrayLike<number>): Spread {
  const v = Float64Array.from(values).filter((x) => !Number.isNaN(x));
  v.sort();
  if (v.length === 0) return { n: 0, median: NaN, q1: NaN, q3: NaN, few: true };
  return {
    n: v.length,
    median: sortedQuantile(v, 0.5),
    q1: sortedQuantile(v, 0.25),
    q3: sortedQuantile(v, 0.75),
    few: v.length < MIN_CLASS_SIZE,
  };
}

/** The spread of `values` within each class that has at least one value (diverged particles have none), in class order. */
export function spreadByClass(values: ArrayLike<number>, outcomes: ArrayLike<number>, classes: readonly string[]): Record<string, Spread> {
  const out: Record<string, Spread> = {};
  classes.forEach((name, c) => {
    const mine: number[] = [];
    for (let i = 0; i < outcomes.length; i++) if (outcomes[i] === c) mine.push(values[i]);
    const s = spread(mine);
    if (s.n > 0) out[name] = s;
  });
  return out;
}

/** Spreads for JSON: ±∞ (a quartile beyond the grid) as the bound it stands for. */
export function spreadJson(s: Record<string, Spread>, bounds?: { below: string; beyond: string }) {
  const value = (x: number) =>
    x === Infinity && bounds ? bounds.beyond : x === 0 && bounds ? bounds.below : Number.isFinite(x) ? x : null;
  return Object.fromEntries(
    Object.entries(s).map(([c, v]) => [
      c,
      { n: v.n, median: value(v.median), q1: value(v.q1), q3: value(v.q3), ...(v.few ? { problem: 'fewer than 5 particles' } : {}) },
    ]),
  );
}
