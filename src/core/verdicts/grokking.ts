/**
 * Grokking's signature as one rule, read by the findings report (per particle, src/report/) and by
 * the sandbox's grokking story (on the median curves on screen, src/ui/stories/verdicts.ts), so the
 * two can never call the same curve differently.
 *
 * Power et al. (2022): held-out accuracy stays near chance long after the training set is fitted,
 * then rises. Here: training accuracy first reaches FIT_LEVEL at step `fit`; held-out accuracy stays
 * at chance (at most twice the chance level) until at least fit + GROKKING_PLATEAU_RATIO × fit; and
 * it then reaches REACH_LEVEL.
 */

export interface Verdict {
  readonly agrees: boolean;
  readonly text: string;
  /** the numbers cannot decide either way (too few to apply the rule): said as such, not as "unlike" */
  readonly cannotTell?: boolean;
}

/** The plateau must last at least this many times the steps the fit took, counted from the fit. */
export const GROKKING_PLATEAU_RATIO = 10;
/** training accuracy that counts as fitted, and held-out accuracy that counts as generalised */
export const FIT_LEVEL = 0.9;
export const REACH_LEVEL = 0.9;

/** One curve (a particle's, or an ensemble's median), read at recorded steps. */
export interface GrokCurve {
  /** the step training accuracy first reached FIT_LEVEL */
  readonly fit: number;
  /** the first recorded step from the fit on with held-out accuracy above twice chance; undefined if it never left */
  readonly leaves?: number;
  /** the first recorded step from the fit on with held-out accuracy at REACH_LEVEL; undefined if it never did */
  readonly reach?: number;
}

/**
 * The curve's three steps from recorded accuracies (`chance`: 1 / the number of classes);
 * undefined when training accuracy never reached FIT_LEVEL.
 */
export function grokCurve(
  steps: readonly number[],
  trainAcc: readonly number[],
  heldAcc: readonly number[],
  chance: number,
): GrokCurve | undefined {
  const f = trainAcc.findIndex((a) => a >= FIT_LEVEL);
  if (f < 0) return undefined;
  const fit = steps[f];
  const k = steps.findIndex((s, i) => s >= fit && heldAcc[i] > 2 * chance);
  const r = steps.findIndex((s, i) => s >= fit && heldAcc[i] >= REACH_LEVEL);
  return { fit, leaves: k < 0 ? undefined : steps[k], reach: r < 0 ? undefined : steps[r] };
}

/** The rule: held-out accuracy at chance for ≥ GROKKING_PLATEAU_RATIO × the fitting time after the fit, then REACH_LEVEL. */
export function showsPlateau(c: GrokCurve, options?: { readonly ratio?: number }): boolean {
  // an options object, not a bare number, so the compiler refuses `curves.filter(showsPlateau)`, which would pass the index
  const ratio = options?.ratio ?? GROKKING_PLATEAU_RATIO;
  // a fit at step 0 counts as step 1: otherwise any curve fitted at once would "plateau" for 0 × 0 steps
  return c.reach !== undefined && c.leaves !== undefined && c.leaves - c.fit >= ratio * Math.max(1, c.fit);
}

export const CRITERION = `held-out accuracy at chance (at most twice 1/p) for at least ${GROKKING_PLATEAU_RATIO}× the steps the training pairs took to fit, then rising to ${REACH_LEVEL}`;

const span = (xs: number[]) =>
  xs.length === 0 ? '—' : Math.min(...xs) === Math.max(...xs) ? String(xs[0]) : `${Math.min(...xs)}–${Math.max(...xs)}`;

/** how long after the fit held-out accuracy left chance, in fitting times; floored, so a plateau just short never reads as meeting it */
const plateauRatio = (c: GrokCurve) => Math.floor((10 * (c.leaves! - c.fit)) / Math.max(1, c.fit)) / 10;

/**
 * Many particles: agrees when more than half of those that fitted show the plateau (showsPlateau);
 * otherwise "differs: gradual" (or: never generalised) with the numbers.
 */
export function grokkingVerdict(curves: readonly GrokCurve[]): Verdict {
  const grokked = curves.filter((c) => showsPlateau(c));
  if (curves.length === 0)
    return {
      agrees: false,
      text: `Differs: no particle fitted its training pairs, so there is no plateau to read (the criterion: ${CRITERION}).`,
    };
  if (2 * grokked.length > curves.length) {
    return {
      agrees: true,
      text: `Agrees: ${grokked.length} of ${curves.length} particles that fitted show grokking's plateau, ${CRITERION} (fitted at steps ${span(grokked.map((c) => c.fit))}, left chance at ${span(grokked.map((c) => c.leaves!))}, ${REACH_LEVEL} held-out at ${span(grokked.map((c) => c.reach!))}).`,
    };
  }
  const rose = curves.filter((c) => c.reach !== undefined);
  if (rose.length === 0) {
    return {
      agrees: false,
      text: `Differs: none of the ${curves.length} particles that fitted reached ${REACH_LEVEL} held-out accuracy within the budget (fitted at steps ${span(curves.map((c) => c.fit))}); grokking's criterion is ${CRITERION}.`,
    };
  }
  const ratios = rose.filter((c) => c.leaves !== undefined).map(plateauRatio);
  return {
    agrees: false,
    text: `Differs: gradual. Only ${grokked.length} of ${curves.length} particles that fitted kept ${CRITERION}; held-out accuracy left chance ${span(ratios)}× the fitting time after the fit (fitted at steps ${span(rose.map((c) => c.fit))}, left chance at ${span(rose.filter((c) => c.leaves !== undefined).map((c) => c.leaves!))}, ${REACH_LEVEL} held-out at ${span(rose.map((c) => c.reach!))}).`,
  };
}

/** One curve (the sandbox's median): the same rule, in a sentence about that curve. */
export function grokkingCurveVerdict(c: GrokCurve | undefined): Verdict {
  if (c === undefined) return { agrees: false, text: `training accuracy never reached ${FIT_LEVEL} (median)` };
  if (c.reach === undefined)
    return { agrees: false, text: `training fitted by step ${c.fit}, but held-out accuracy never reached ${REACH_LEVEL}` };
  const left = c.leaves === undefined ? '' : `, left chance at step ${c.leaves} (${plateauRatio(c)}× the fitting time after the fit)`;
  const numbers = `training fitted by step ${c.fit}, held-out pairs${left}, reached ${REACH_LEVEL} at step ${c.reach}`;
  return showsPlateau(c)
    ? { agrees: true, text: numbers }
    : { agrees: false, text: `${numbers}: gradual, not at chance for ${GROKKING_PLATEAU_RATIO}× the fitting time` };
}
