/**
 * The report's verdicts as criteria over measured numbers: each a pure function that says whether
 * the measurement agrees with the paper's claim and writes the sentence with the numbers it read,
 * so that no "Agrees" is typed and each criterion can be fed a case on either side in tests.
 */

export interface Verdict {
  readonly agrees: boolean;
  readonly text: string;
}

/**
 * Grokking's signature (Power et al. 2022): held-out accuracy stays near chance long after the
 * training set is fitted, then rises. The plateau must last at least this many times the steps the
 * fit took, counted from the fit.
 */
export const GROKKING_PLATEAU_RATIO = 10;

/** One particle's grokking curve, read at recorded steps. */
export interface GrokCurve {
  /** the step training accuracy first reached 0.9 */
  readonly fit: number;
  /** the first recorded step from the fit on with held-out accuracy above twice chance; undefined if it never left */
  readonly leaves?: number;
  /** the step held-out accuracy first reached 0.9; undefined if it never did */
  readonly reach?: number;
}

const span = (xs: number[]) =>
  xs.length === 0 ? '—' : Math.min(...xs) === Math.max(...xs) ? String(xs[0]) : `${Math.min(...xs)}–${Math.max(...xs)}`;

/**
 * Agrees when more than half of the particles that fitted the training set kept held-out accuracy
 * at chance (at most twice 1/p) for at least GROKKING_PLATEAU_RATIO × the steps the fit took, and
 * then reached 0.9 on it; otherwise "differs: gradual" (or: never generalised) with the numbers.
 */
export function grokkingVerdict(curves: readonly GrokCurve[]): Verdict {
  const k = GROKKING_PLATEAU_RATIO;
  const grokked = curves.filter((c) => c.reach !== undefined && c.leaves !== undefined && c.leaves - c.fit >= k * c.fit);
  const criterion = `held-out accuracy at chance (at most twice 1/p) for at least ${k}× the steps the training pairs took to fit, then rising to 0.9`;
  if (curves.length === 0)
    return {
      agrees: false,
      text: `Differs: no particle fitted its training pairs, so there is no plateau to read (the criterion: ${criterion}).`,
    };
  if (2 * grokked.length > curves.length) {
    return {
      agrees: true,
      text: `Agrees: ${grokked.length} of ${curves.length} particles that fitted show grokking's plateau, ${criterion} (fitted at steps ${span(grokked.map((c) => c.fit))}, left chance at ${span(grokked.map((c) => c.leaves!))}, 0.9 held-out at ${span(grokked.map((c) => c.reach!))}).`,
    };
  }
  const rose = curves.filter((c) => c.reach !== undefined);
  if (rose.length === 0) {
    return {
      agrees: false,
      text: `Differs: none of the ${curves.length} particles that fitted reached 0.9 held-out accuracy within the budget (fitted at steps ${span(curves.map((c) => c.fit))}); grokking's criterion is ${criterion}.`,
    };
  }
  const ratios = rose.filter((c) => c.leaves !== undefined).map((c) => Math.floor((10 * (c.leaves! - c.fit)) / Math.max(1, c.fit)) / 10);
  // floored, so a plateau just short of the criterion never reads as meeting it
  return {
    agrees: false,
    text: `Differs: gradual. Only ${grokked.length} of ${curves.length} particles that fitted kept ${criterion}; held-out accuracy left chance ${span(ratios)}× the fitting time after the fit (fitted at steps ${span(rose.map((c) => c.fit))}, left chance at ${span(rose.filter((c) => c.leaves !== undefined).map((c) => c.leaves!))}, 0.9 held-out at ${span(rose.map((c) => c.reach!))}).`,
  };
}
