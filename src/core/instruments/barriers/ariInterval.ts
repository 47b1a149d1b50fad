import { PURPOSE_ARI_BOOTSTRAP, randU32 } from '../../rng';
import { quantiles } from '../../stats';
import { adjustedRandIndex } from '../../maths/adjustedRand';
import { averageLinkage, cutTree } from '../../maths/clustering';

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
  'bootstrap over particles: each resample draws as many particles as there are, with replacement, keeps the distinct ones (about 63%: a copy would sit at barrier 0 from its original and add agreeing pairs), clusters their barrier matrix again by average linkage into the same number of clusters, and takes the ARI of those clusters with their classes; 95% percentile interval, a little wide for the full sample since each resample holds fewer particles. A bootstrap, not a permutation null, because the question is how well clusters match classes and how precisely that is known (an interval for the ARI itself); a permutation null would only test ARI = 0.';

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
    const drawn = new Uint8Array(n);
    for (let r = 0; r < resamples; r++) {
      drawn.fill(0);
      for (let s = 0; s < n; s++) drawn[randU32(seed, r, PURPOSE_ARI_BOOTSTRAP, 0, s) % n] = 1;
      // the distinct particles drawn: a copy would sit at barrier 0 from its original, always share
      // its cluster and class, and count as agreeing pairs that raise the ARI
      const idx = [...drawn.keys()].filter((i) => drawn[i]);
      const q = idx.length;
      if (q < 2) continue;
      const d = new Float64Array(q * q);
      idx.forEach((i, a) => idx.forEach((j, b) => (d[a * q + b] = distance[i * n + j])));
      const ari = adjustedRandIndex(
        cutTree(averageLinkage(d, q), q, Math.min(k, q)),
        idx.map((i) => labels[i]),
      );
      if (Number.isFinite(ari)) values.push(ari);
    }
  }
  const enough = values.length >= resamples / 2;
  const [lo, hi] = enough ? quantiles(values, [0.025, 0.975]) : [NaN, NaN];
  return { lo, hi, resamples, defined: values.length, seed, method: ARI_METHOD };
}
