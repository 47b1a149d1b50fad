import type { MetricsView } from '../core/metricsView';
import { quantiles } from '../core/stats';
import type { Band } from './protocol';

/**
 * Small per-frame digests of big per-particle arrays, made in the worker so that only a few
 * numbers per frame cross to the UI thread.
 */

/** Median and 10–90% band of the loss (metric 0) or accuracy (1) on set `s`; non-finite values are left out. */
export function band(metrics: MetricsView, s: number, metric: 0 | 1): Band {
  const [lo, mid, hi] = quantiles(metrics.column(s, metric), [0.1, 0.5, 0.9]);
  return { lo, mid, hi };
}

/**
 * How strongly each particle agrees with its outcome class, 0..1, for shading the basin map:
 * a hypothesis by its probe accuracy, `mixed` by its best probe accuracy, `unconverged` by its
 * training accuracy, `diverged` fully.
 */
export function strengths(metrics: MetricsView, outcomes: Uint8Array): Float32Array {
  const hypotheses = metrics.sets - 1;
  const out = new Float32Array(outcomes.length);
  for (let i = 0; i < outcomes.length; i++) {
    const c = outcomes[i];
    if (c < hypotheses) out[i] = metrics.acc(i, c + 1);
    else if (c === hypotheses) {
      let best = 0;
      for (let h = 0; h < hypotheses; h++) best = Math.max(best, metrics.acc(i, h + 1));
      out[i] = best;
    } else if (c === hypotheses + 1) out[i] = metrics.acc(i, 0);
    else out[i] = 1;
    if (!Number.isFinite(out[i])) out[i] = 0;
  }
  return out;
}
