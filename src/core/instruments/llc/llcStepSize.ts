import type { Engine, RunOptions } from '../../engine';
import { paramCount, type ModelLayout } from '../../layout';
import type { Task } from '../../task';
import { measureSharpness, type SharpnessResult } from '../sharpness/sharpness';
import { DEFAULT_SHARPNESS } from '../sharpness/sharpnessSettings';

/**
 * The SGLD step size per particle from its top Hessian eigenvalue h_max. On a quadratic basin of
 * curvature H = nβ·h, SGLD's stationary variance is 1 / (H·(1 − εH/4)): the estimate is biased up
 * by εH/4 in each direction. Holding ε·nβ·h_max at STEP_BOUND keeps that bias ≤ 1% in the stiffest
 * direction (less in the others) while taking the largest steps that do, so flat directions still mix.
 */
export const STEP_BOUND = 0.04;
/** The largest ε used however flat the particle: beyond it the localisation term ε·γ/2 and the noise dominate. */
export const MAX_AUTO_EPS = 1e-2;

export interface ChosenSteps {
  readonly eps: Float64Array;
  /** the top Hessian eigenvalue of the mean training loss per particle (NaN where not measured) */
  readonly topEigenvalue: Float64Array;
  /** per particle, why ε fell back to MAX_AUTO_EPS; undefined where it came from h_max */
  readonly problems: (string | undefined)[];
}

export async function chooseStepSizes(
  engine: Engine,
  problem: { layout: ModelLayout; task: Task; params: Float32Array; firstParticle: number },
  nbeta: number,
  options: RunOptions = {},
  measured?: SharpnessResult,
): Promise<ChosenSteps> {
  // `measured`: the same particles' sharpness, already taken (geometry measures it first): the
  // eigenvalue is not measured twice, and the ε rule reads the number reported beside it
  const sharpness = measured ?? (await measureSharpness(engine, problem, { ...DEFAULT_SHARPNESS, trace: false, seed: 1 }, options));
  if (sharpness.topEigenvalue.length * paramCount(problem.layout) !== problem.params.length)
    throw new Error('the sharpness given for the step sizes is not of these particles');
  const n = sharpness.topEigenvalue.length;
  const eps = new Float64Array(n);
  const problems: (string | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    // an unconverged power iteration's last Rayleigh quotient is a lower bound on the curvature: its ε
    // is still far below the cap that no estimate at all would give
    const top = Number.isFinite(sharpness.topEigenvalue[i]) ? sharpness.topEigenvalue[i] : sharpness.lastEstimate[i];
    const h = Math.abs(top);
    if (!Number.isFinite(h) || h === 0) {
      eps[i] = MAX_AUTO_EPS;
      problems.push(sharpness.problems[i] ?? 'its top Hessian eigenvalue could not be measured: ε is the largest automatic one');
      continue;
    }
    eps[i] = Math.min(MAX_AUTO_EPS, STEP_BOUND / (nbeta * h));
    problems.push(undefined);
  }
  return { eps, topEigenvalue: Float64Array.from(sharpness.topEigenvalue), problems };
}
