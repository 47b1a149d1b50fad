/**
 * Whether float32 can take an instrument's small steps at a particle's parameters. Sharpness steps
 * by central differences of size h, the LLC's chains by noise of size √ε: where the parameters have
 * blown up (|w| of 1e30 after a diverging run that stayed finite), a step that small rounds away, and
 * the instrument measures rounding, not the loss: an eigenvalue of 0 "converged", a λ̂ of 0.
 */

/** 2^-23: float32's relative spacing, one ulp of a number in [1, 2). */
export const FLOAT32_EPS = 2 ** -23;

/**
 * The fraction of the parameters at which a step of `step` survives rounding to float32: those where
 * fl32(w + step) − w keeps at least half the step.
 */
export function resolvedFraction(params: ArrayLike<number>, step: number): number {
  let resolved = 0;
  for (let k = 0; k < params.length; k++) {
    const w = Math.fround(params[k]);
    if (Math.abs(Math.fround(w + step) - w) >= step / 2) resolved++;
  }
  return params.length === 0 ? 1 : resolved / params.length;
}

/** Fewer than this share of the parameters resolving a step: the instrument cannot measure the particle. */
export const MIN_RESOLVED = 0.5;

/** Why a step of `step` (named `what`) is below float32's resolution at these parameters; undefined where it is not. */
export function stepProblem(params: ArrayLike<number>, step: number, what: string): string | undefined {
  const fraction = resolvedFraction(params, step);
  if (fraction >= MIN_RESOLVED) return undefined;
  let largest = 0;
  for (let k = 0; k < params.length; k++) largest = Math.max(largest, Math.abs(params[k]));
  return (
    `the parameters are too large for float32 to take ${what} of ${step.toPrecision(2)} (|w| up to ${largest.toPrecision(2)}; ` +
    `the step survives rounding at ${(100 * fraction).toFixed(0)}% of them): the particle's training blew up`
  );
}
