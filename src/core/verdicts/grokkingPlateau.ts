import { FIT_LEVEL, GROKKING_PLATEAU_RATIO, grokCurve, showsPlateau } from './grokking';

/**
 * Grokking's signature read off one network's recorded curves (Power et al. 2022): the training
 * set is fitted, held-out accuracy then stays near chance for a long time, and only then rises.
 * "Long" is counted in units of the time the fit took, so a net that fits at step 100 and leaves
 * chance at step 1,200 has a plateau of (1,200 − 100) / 100 = 11 fitting times.
 *
 * The same rule as the findings report's and the sandbox story's verdict: it reads the curve with
 * grokCurve and decides with showsPlateau (src/core/verdicts/grokking.ts), and adds what a search
 * over settings needs: the plateau's length, or its lower bound when the budget ended on it.
 */

/** Training (and held-out) accuracy at which a set counts as fitted (generalised): the rule's own. */
export const GROKKING_FIT_ACCURACY = FIT_LEVEL;
/** The plateau must last at least this many times the steps the fit took: the rule's own. */
export const GROKKING_PLATEAU_MIN_RATIO = GROKKING_PLATEAU_RATIO;

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
  const curve = grokCurve(c.steps, c.trainAcc, c.heldOutAcc, 1 / c.classes);
  if (curve === undefined) return { ratioIsLowerBound: false, grokked: false };
  const { fit, leaves, reach } = curve;
  const ratioIsLowerBound = leaves === undefined;
  const ratio = ((leaves ?? c.steps[n - 1]) - fit) / Math.max(1, fit);
  return { fit, leaves, generalises: reach, ratio, ratioIsLowerBound, grokked: showsPlateau(curve, { ratio: minRatio }) };
}
