import type { SgldResult } from '../../engine';
import { quantiles } from '../../stats';
import { FLOAT32_EPS } from '../../maths/float32Resolution';

/**
 * The local learning coefficient estimate from SGLD chains (Lau et al. 2023; devinterp's
 * estimator): per chain λ̂ = nβ·(mean draw loss − L(w*)), then the mean and spread over chains.
 */
export interface LlcEstimate {
  /** mean λ̂ over the chains that did not diverge; NaN when none is left */
  readonly llc: Float64Array;
  /** sample standard deviation of λ̂ over those chains; NaN with fewer than two */
  readonly llcStd: Float64Array;
  /** mean over those chains of the fraction of draws below L(w*) */
  readonly below: Float64Array;
  /** per particle, why its estimate is not meaningful; undefined where it is */
  readonly problems: (string | undefined)[];
}

/**
 * Above this fraction of draws below L(w*), the chains found lower ground than the centre: it is not
 * a local minimum (train longer), or ε is so large that the discretisation dominates. With
 * minibatches, batch noise alone puts a healthy chain's draws below L(w*) up to nearly half the
 * time; past half means the chains' mean loss is (nearly always) below the centre's.
 */
export const MOST_BELOW = 0.5;

export function estimateLlc(result: SgldResult, particles: number, chains: number, nbeta: number, skip?: Uint8Array): LlcEstimate {
  const llc = new Float64Array(particles).fill(NaN);
  const llcStd = new Float64Array(particles).fill(NaN);
  const below = new Float64Array(particles).fill(NaN);
  const problems: (string | undefined)[] = [];
  for (let i = 0; i < particles; i++) {
    if (skip?.[i]) {
      problems.push('the particle diverged in training: there is no w* to measure around');
      continue;
    }
    const lambdas: number[] = [];
    let belowSum = 0;
    for (let c = 0; c < chains; c++) {
      const j = i * chains + c;
      if (result.diverged[j]) continue;
      lambdas.push(nbeta * (result.meanLoss[j] - result.centerLoss[i]));
      belowSum += result.below[j];
    }
    const n = lambdas.length;
    if (n > 0) {
      const mean = lambdas.reduce((a, b) => a + b, 0) / n;
      llc[i] = mean;
      below[i] = belowSum / n;
      if (n > 1) llcStd[i] = Math.sqrt(lambdas.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    }
    problems.push(centerProblem(result.centerLoss[i], nbeta) ?? problemOf(chains - n, chains, below[i], llc[i]));
  }
  return { llc, llcStd, below, problems };
}

/**
 * λ̂ is nβ times a difference of float32 losses: a loss L(w*) so large that its rounding alone,
 * nβ·|L(w*)|·2^-23, moves λ̂ by more than this cannot give a meaningful estimate (at a normal
 * minimum, L ~ 0.01 and nβ ~ 15, the floor is ~1e-8).
 */
export const LLC_ROUNDING_FLOOR = 0.01;

function centerProblem(centerLoss: number, nbeta: number): string | undefined {
  if (!Number.isFinite(centerLoss)) return `L(w*) is not finite (${centerLoss}): there is no minimum to measure around`;
  const floor = nbeta * Math.abs(centerLoss) * FLOAT32_EPS;
  if (floor > LLC_ROUNDING_FLOOR)
    return `L(w*) = ${centerLoss.toPrecision(3)} is too large: float32 rounding of the loss alone moves λ̂ by ${floor.toPrecision(2)} (the particle's training blew up)`;
  return undefined;
}

function problemOf(diverged: number, chains: number, below: number, llc: number): string | undefined {
  if (diverged > 0)
    return `${diverged} of ${chains} chains diverged (a non-finite loss or parameter): lower --llc-eps${diverged < chains ? '; the estimate uses the rest' : ''}`;
  if (below > MOST_BELOW)
    return `most draws (${(100 * below).toFixed(0)}%) had a batch loss below L(w*): w* is not a local minimum (train longer) or --llc-eps is too large`;
  if (llc < 0) return `the chains' mean loss is below L(w*) (λ̂ < 0): w* is not a local minimum, or the chains are too short`;
  return undefined;
}

export interface LlcClassSummary {
  /** particles of the class with a meaningful estimate */
  readonly count: number;
  readonly median: number;
  /** first and third quartiles */
  readonly q1: number;
  readonly q3: number;
}

/** Median and quartiles of the estimate per outcome class, over particles without a problem. */
export function llcByClass(
  estimate: LlcEstimate,
  outcomes: ArrayLike<number>,
  classes: readonly string[],
): Record<string, LlcClassSummary> {
  return Object.fromEntries(
    classes.map((name, k) => {
      const values: number[] = [];
      for (let i = 0; i < outcomes.length; i++) {
        if (outcomes[i] === k && estimate.problems[i] === undefined && Number.isFinite(estimate.llc[i])) values.push(estimate.llc[i]);
      }
      const [q1, median, q3] = quantiles(values, [0.25, 0.5, 0.75]);
      return [name, { count: values.length, median, q1, q3 }];
    }),
  );
}
