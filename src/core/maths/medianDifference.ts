import { PURPOSE_MEDIAN_BOOTSTRAP, randU32 } from '../rng';
import { quantile, quantiles } from '../stats';

/** Resamples behind the interval. */
export const MEDIAN_RESAMPLES = 2000;
/** Fewer values than this in either group: no interval (the medians say little). */
export const MIN_GROUP = 5;

export interface MedianDifference {
  /** median(a) − median(b); NaN when either group has no finite value */
  readonly difference: number;
  /** 95% percentile bootstrap interval; NaN when either group has fewer than MIN_GROUP finite values */
  readonly lo: number;
  readonly hi: number;
  readonly n: readonly [number, number];
}

export const MEDIAN_DIFFERENCE_METHOD =
  'difference of the two classes\u2019 medians with a 95% percentile bootstrap interval: each resample draws each class\u2019s particles with replacement, apart (the classes are independent samples of seeds)';

/**
 * How two classes' medians of a per-particle measurement differ, with a bootstrap interval over
 * particles (MEDIAN_DIFFERENCE_METHOD). Non-finite values (no measurement) are left out. The same
 * seed gives the same interval.
 */
export function medianDifference(a: readonly number[], b: readonly number[], seed: number, resamples = MEDIAN_RESAMPLES): MedianDifference {
  const fa = a.filter(Number.isFinite);
  const fb = b.filter(Number.isFinite);
  const n: [number, number] = [fa.length, fb.length];
  if (fa.length === 0 || fb.length === 0) return { difference: NaN, lo: NaN, hi: NaN, n };
  const difference = quantile(fa, 0.5) - quantile(fb, 0.5);
  if (fa.length < MIN_GROUP || fb.length < MIN_GROUP) return { difference, lo: NaN, hi: NaN, n };
  const draw = (xs: number[], r: number, group: number) =>
    quantile(
      Array.from(xs, (_, s) => xs[randU32(seed, r, PURPOSE_MEDIAN_BOOTSTRAP, group, s) % xs.length]),
      0.5,
    );
  const diffs = Array.from({ length: resamples }, (_, r) => draw(fa, r, 0) - draw(fb, r, 1));
  const [lo, hi] = quantiles(diffs, [0.025, 0.975]);
  return { difference, lo, hi, n };
}
