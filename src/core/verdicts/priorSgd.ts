import type { Verdict } from './verdicts';

/**
 * Mingard et al. (2021)'s claim as a criterion over the measured correlation: SGD finds a function
 * about as often as the prior's posterior holds it, so that log P_SGD(f) against log P_prior(f)
 * lies along the diagonal with a strong correlation. Read from Pearson's r of the logs over the
 * functions both found, with its 95% bootstrap interval.
 */

/** Fewer functions found by both than this, and no verdict: the papers' scatters have hundreds. */
export const PRIOR_VERDICT_MIN_SHARED = 20;
/** "Strong": the whole 95% interval of r above this. */
export const PRIOR_VERDICT_MIN_R = 0.5;

export interface PriorCorrelationReading {
  /** functions found by both sides, by one only */
  readonly both: number;
  readonly priorOnly: number;
  readonly sgdOnly: number;
  /** Pearson's r of the logs with its 95% interval; null when none was estimated */
  readonly r: { readonly value: number; readonly low: number; readonly high: number } | null;
}

const f2 = (x: number) => x.toFixed(2);

/**
 * Agrees when at least PRIOR_VERDICT_MIN_SHARED functions were found by both and r's 95% interval
 * lies above PRIOR_VERDICT_MIN_R; otherwise "Differs" (or "cannot tell" with too few shared
 * functions) with the numbers.
 */
export function priorSgdVerdict(m: PriorCorrelationReading): Verdict {
  const counts = `${m.both} functions found by both, ${m.priorOnly} by the prior only, ${m.sgdOnly} by SGD only`;
  const criterion = `the 95% interval of Pearson's r of log P_SGD(f) against log P_prior(f) above ${PRIOR_VERDICT_MIN_R} over at least ${PRIOR_VERDICT_MIN_SHARED} functions found by both`;
  if (m.both < PRIOR_VERDICT_MIN_SHARED || !m.r)
    return { agrees: false, text: `Cannot tell: ${counts}; the criterion needs ${criterion}.` };
  const r = `r = ${f2(m.r.value)} [${f2(m.r.low)}, ${f2(m.r.high)}]`;
  if (m.r.low > PRIOR_VERDICT_MIN_R) return { agrees: true, text: `Agrees: ${r} over ${counts} (the criterion: ${criterion}).` };
  return {
    agrees: false,
    text: `Differs: ${r} over ${counts}; ${m.r.high < PRIOR_VERDICT_MIN_R ? 'the whole interval lies below' : 'the interval reaches below'} ${PRIOR_VERDICT_MIN_R} (the criterion: ${criterion}).`,
  };
}
