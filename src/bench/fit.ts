/**
 * Least-squares fit of log(y) = e·log(x) + c: the scaling exponent e. Time linear in the work
 * gives e = 1; a device that is not yet full gives e < 1 (more work in the same time).
 */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new Error(`logLogSlope: ${xs.length} xs but ${ys.length} ys`);
  if (xs.length < 2) return NaN;
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

/**
 * The points past which the device is full: from the first x whose throughput (x per unit of y)
 * reaches `share` of the best onward. Points after it stay in even if throughput drops again,
 * so a slowdown at large sizes shows in the exponent instead of being cut away.
 */
export function fullDeviceRange(xs: readonly number[], ys: readonly number[], share = 0.8): number[] {
  const rates = xs.map((x, i) => x / ys[i]);
  const best = Math.max(...rates);
  const first = rates.findIndex((r) => r >= share * best);
  return xs.map((_, i) => i).filter((i) => i >= first);
}
