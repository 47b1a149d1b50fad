/** z for a two-sided 95% interval */
const Z95 = 1.959963984540054;

export interface Fraction {
  readonly fraction: number;
  readonly low: number;
  readonly high: number;
}

/** k of n as a fraction with its Wilson score 95% interval (well-behaved at 0, 1 and small n). */
export function wilson(k: number, n: number, z = Z95): Fraction {
  if (n === 0) return { fraction: 0, low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // the interval always contains p: clamp so that rounding cannot push a bound past it (0/n, n/n)
  return { fraction: p, low: Math.min(p, Math.max(0, centre - half)), high: Math.max(p, Math.min(1, centre + half)) };
}

export function countClasses(outcomes: Uint8Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const c of outcomes) counts[c]++;
  return counts;
}

/** The q-quantile (0..1) of finite values, linear interpolation; NaN when none are finite. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantiles(values, [q])[0];
}

/** Several quantiles of the same values (as `quantile`), sorting them once. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const finite = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite[n++] = values[i];
  const v = finite.subarray(0, n).sort();
  return qs.map((q) => {
    if (n === 0) return NaN;
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, n - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
  });
}
