import type { Verdict } from './grokking';

/**
 * Mingard et al. (2021)'s claim as a criterion over the measured correlation: SGD finds a function
 * about as often as the prior's posterior holds it, so that log P_SGD(f) against log P_prior(f)
 * lies along the diagonal with a strong correlation. Read from Pearson's r of the logs over the
 * functions both found, with its 95% bootstrap interval. One rule, read by the findings report
 * (priorSgdVerdict) and by the sandbox's prior story (priorSgdScreenVerdict, on the Prior vs SGD
 * panel's numbers), so the two can never call the same measurement differently.
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

/** The rule: 'cannot tell' under PRIOR_VERDICT_MIN_SHARED shared functions (or no r), else whether r's interval lies above PRIOR_VERDICT_MIN_R. */
export function priorSgdReading(m: PriorCorrelationReading): 'agrees' | 'differs' | 'cannot tell' {
  if (m.both < PRIOR_VERDICT_MIN_SHARED || !m.r) return 'cannot tell';
  return m.r.low > PRIOR_VERDICT_MIN_R ? 'agrees' : 'differs';
}

const rText = (r: NonNullable<PriorCorrelationReading['r']>) => `r = ${f2(r.value)} [${f2(r.low)}, ${f2(r.high)}]`;

/**
 * Agrees when at least PRIOR_VERDICT_MIN_SHARED functions were found by both and r's 95% interval
 * lies above PRIOR_VERDICT_MIN_R; otherwise "Differs" (or "cannot tell" with too few shared
 * functions) with the numbers.
 */
export function priorSgdVerdict(m: PriorCorrelationReading): Verdict {
  const counts = `${m.both} functions found by both, ${m.priorOnly} by the prior only, ${m.sgdOnly} by SGD only`;
  const criterion = `the 95% interval of Pearson's r of log P_SGD(f) against log P_prior(f) above ${PRIOR_VERDICT_MIN_R} over at least ${PRIOR_VERDICT_MIN_SHARED} functions found by both`;
  const reading = priorSgdReading(m);
  if (reading === 'cannot tell' || !m.r) return { agrees: false, text: `Cannot tell: ${counts}; the criterion needs ${criterion}.` };
  const r = rText(m.r);
  if (reading === 'agrees') return { agrees: true, text: `Agrees: ${r} over ${counts} (the criterion: ${criterion}).` };
  return {
    agrees: false,
    text: `Differs: ${r} over ${counts}; ${m.r.high < PRIOR_VERDICT_MIN_R ? 'the whole interval lies below' : 'the interval reaches below'} ${PRIOR_VERDICT_MIN_R} (the criterion: ${criterion}).`,
  };
}

/**
 * The same rule as one sentence for the sandbox's story card (which puts "As the story says:",
 * "Unlike the story:" or "Cannot tell yet:" before it): the numbers on screen, with what the
 * criterion needs where they fall short.
 */
export function priorSgdScreenVerdict(m: PriorCorrelationReading): Verdict {
  const reading = priorSgdReading(m);
  const found = `${m.both} function${m.both === 1 ? '' : 's'} found by both the prior and SGD`;
  if (reading === 'cannot tell' || !m.r) {
    const why =
      m.both < PRIOR_VERDICT_MIN_SHARED
        ? `${m.r ? ` (${rText(m.r)})` : ''}, fewer than the ${PRIOR_VERDICT_MIN_SHARED} the test needs: sample more prior samples, or train more particles`
        : `, but they are equally frequent on one side, so no correlation is estimated`;
    return { agrees: false, cannotTell: true, text: `${found}${why}` };
  }
  const numbers = `Pearson's ${rText(m.r)} (95% bootstrap) of log P_SGD(f) against log P_prior(f) over ${found}`;
  if (reading === 'agrees') return { agrees: true, text: `${numbers}: the whole interval lies above ${PRIOR_VERDICT_MIN_R}` };
  return {
    agrees: false,
    text: `${numbers}: ${m.r.high < PRIOR_VERDICT_MIN_R ? 'the whole interval lies below' : 'the interval reaches below'} ${PRIOR_VERDICT_MIN_R}, so SGD does not find functions in the prior's proportions`,
  };
}
