/**
 * Grokking's signature read off one network's recorded curves (Power et al. 2022): the training
 * set is fitted, held-out accuracy then stays near chance for a long time, and only then rises.
 * "Long" is counted in units of the time the fit took, so a net that fits at step 100 and leaves
 * chance at step 1,200 has a plateau of (1,200 − 100) / 100 = 11 fitting times.
 *
 * The same reading as the findings report's grokking verdict (`src/report/verdicts.ts`): fit at
 * training accuracy 0.9, chance left above twice 1/classes, generalised at held-out 0.9, a plateau
 * of at least GROKKING_PLATEAU_MIN_RATIO fitting times. Pure, recorded steps only.
 */

/** Training (and held-out) accuracy at which a set counts as fitted (generalised). */
export const GROKKING_FIT_ACCURACY = 0.9;
/** The plateau must last at least this many times the steps the fit took. */
export const GROKKING_PLATEAU_MIN_RATIO = 10;

export interface GrokkingCurves {
  /** recorded steps, increasing */
  readonly steps: readonly number[];
  /** training accuracy at each recorded step */
  readonly trainAcc: readonly number[];
  /** held-out accuracy at each recorded step */
  readonly heldOutAcc: readonly number[];
  /** classes of the task (p for a + b mod p): chance is 1/classes */
  readonly classes: number;
}

export interface GrokkingPlateau {
  /** first recorded step with training accuracy ≥ 0.9; undefined: never fitted */
  readonly fit?: number;
  /** first recorded step from the fit on with held-out accuracy above twice chance; undefined: never left chance */
  readonly leaves?: number;
  /** first recorded step from the fit on with held-out accuracy ≥ 0.9; undefined: never generalised */
  readonly generalises?: number;
  /**
   * the plateau in fitting times, (leaves − fit) / fit (a fit at step 0 counts as step 1); when
   * held-out accuracy never left chance, the lower bound (last step − fit) / fit; undefined without a fit
   */
  readonly ratio?: number;
  /** true when `ratio` is only a lower bound: the budget ended on the plateau */
  readonly ratioIsLowerBound: boolean;
  /** fitted, stayed at chance for ≥ GROKKING_PLATEAU_MIN_RATIO fitting times, then generalised */
  readonly grokked: boolean;
}

/** One network's plateau, or why it has none (no fit, never left chance, never generalised). */
export function grokkingPlateau(c: GrokkingCurves, minRatio = GROKKING_PLATEAU_MIN_RATIO): GrokkingPlateau {
  const n = c.steps.length;
  if (c.trainAcc.length !== n || c.heldOutAcc.length !== n) throw new Error('grokkingPlateau: steps and accuracies differ in length');
  if (!(c.classes >= 2)) throw new Error(`grokkingPlateau: classes must be at least 2, got ${c.classes}`);
  const f = c.trainAcc.findIndex((a) => a >= GROKKING_FIT_ACCURACY);
  if (f < 0) return { ratioIsLowerBound: false, grokked: false };
  const fit = c.steps[f];
  const unit = Math.max(1, fit);
  const chance = 2 / c.classes;
  let leaves: number | undefined;
  let generalises: number | undefined;
  for (let k = f; k < n; k++) {
    if (leaves === undefined && c.heldOutAcc[k] > chance) leaves = c.steps[k];
    if (c.heldOutAcc[k] >= GROKKING_FIT_ACCURACY) {
      generalises = c.steps[k];
      break;
    }
  }
  const ratioIsLowerBound = leaves === undefined;
  const ratio = ((leaves ?? c.steps[n - 1]) - fit) / unit;
  return {
    fit,
    leaves,
    generalises,
    ratio,
    ratioIsLowerBound,
    grokked: !ratioIsLowerBound && generalises !== undefined && ratio >= minRatio,
  };
}
