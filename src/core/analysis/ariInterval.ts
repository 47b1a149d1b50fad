import { PURPOSE_ARI_BOOTSTRAP, randU32 } from '../rng';
import { quantiles } from '../stats';
import { adjustedRandIndex } from './adjustedRand';
import { averageLinkage, cutTree } from './clustering';

/** Bootstrap resamples behind the ARI's interval: enough for stable 2.5th/97.5th percentiles. */
export const ARI_RESAMPLES = 1000;

export interface AriInterval {
  /** the 2.5th and 97.5th percentiles of the resampled ARIs (NaN when fewer than half were defined) */
  readonly lo: number;
  readonly hi: number;
  readonly resamples: number;
  /** resamples whose ARI was defined (a resample of one class or one cluster has none) */
  readonly defined: number;
  readonly seed: number;
  readonly method: string;
}

export const ARI_METHOD =
  'bootstrap over particles: each resample draws the particles with replacement, clusters their barrier matrix again by average linkage into the same number of clusters, and takes the ARI of those clusters with their classes; 95% percentile interval. A bootstrap, not a permutation null, because the question is how well clusters match classes and how precisely that is known (an interval for the ARI itself); a permutation null would only test ARI = 0. The number of clusters is held at the one chosen on all particles: a copy of a particle sits at barrier 0 from it, which would move the largest-gap rule.';

/**
 * A 95% interval for the adjusted Rand index between average-linkage clusters of a barrier matrix
 * and the particles' classes, from a bootstrap over particles (ARI_METHOD says how and why).
 * `distance` is n × n over the particles kept (diverged ones left out), `labels` their classes,
 * `k` the number of clusters chosen on all of them. The same seed gives the same interval.
 */
export function ariBootstrap(
  distance: Float64Array,
  labels: ArrayLike<number>,
  k: number,
  seed: number,
  resamples = ARI_RESAMPLES,
): AriInterval {
  const n = labels.length;
  const values: number[] = [];
  if (n >= 2 && k >= 1) {
    const idx = new Int32Array(n);
    const d = new Float64Array(n * n);
    const sub = new Int32Array(n);
    for (let r = 0; r < resamples; r++) {
      for (let s = 0; s < n; s++) idx[s] = randU32(seed, r, PURPOSE_ARI_BOOTSTRAP, 0, s) % n;
      for (let a = 0; a < n; a++) {
        sub[a] = labels[idx[a]];
        for (let b = 0; b < n; b++) d[a * n + b] = a === b ? 0 : distance[idx[a] * n + idx[b]];
      }
      const ari = adjustedRandIndex(cutTree(averageLinkage(d, n), n, Math.min(k, n)), sub);
      if (Number.isFinite(ari)) values.push(ari);
    }
  }
  const enough = values.length >= resamples / 2;
  const [lo, hi] = enough ? quantiles(values, [0.025, 0.975]) : [NaN, NaN];
  return { lo, hi, resamples, defined: values.length, seed, method: ARI_METHOD };
}
