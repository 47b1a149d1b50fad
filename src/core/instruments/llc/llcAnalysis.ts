import { parseDecimal, parseNumber, type NameStyle, type NumberSpec } from '../../config';
import { quote } from '../../describe';
import type { Engine, RunOptions, SgldResult, SgldSettings } from '../../engine';
import { UserError } from '../../errors';
import type { EnsembleResult, Run } from '../../runs';
import { stepProblem } from '../../maths/float32Resolution';
import { estimateLlc, llcByClass, type LlcClassSummary, type LlcEstimate } from './llc';
import { chooseStepSizes, MAX_AUTO_EPS, STEP_BOUND } from './llcStepSize';
import type { SharpnessResult } from '../sharpness/sharpness';

/**
 * The estimator's settings as a user gives them: nβ undefined means n / log n; ε 'auto' means a
 * step size per particle from its top Hessian eigenvalue (src/core/instruments/llc/llcStepSize.ts). The
 * defaults are validated on models with a known learning coefficient (docs/instruments/llc.md).
 */
export interface LlcSettings extends Omit<SgldSettings, 'nbeta' | 'eps'> {
  readonly eps: number | 'auto';
  readonly nbeta?: number;
}

export const DEFAULT_LLC_SETTINGS: LlcSettings = { eps: 'auto', gamma: 1, chains: 4, burnin: 500, draws: 2000, batch: 'full' };

export const LLC_FIELDS = {
  eps: { flag: '--llc-eps', label: 'SGLD step size ε', integer: false, min: 0, max: 1, minExclusive: true },
  gamma: { flag: '--llc-gamma', label: 'localisation γ', integer: false, min: 0, max: 1e6 },
  nbeta: { flag: '--llc-beta', label: 'nβ (inverse temperature × n)', integer: false, min: 0, max: 1e9, minExclusive: true },
  chains: { flag: '--chains', label: 'chains per particle', integer: true, min: 1, max: 64 },
  burnin: { flag: '--burnin', label: 'burn-in steps', integer: true, min: 0, max: 1_000_000 },
  draws: { flag: '--draws', label: 'draws per chain', integer: true, min: 1, max: 1_000_000 },
} as const satisfies Record<string, NumberSpec>;

export interface LlcFlags {
  llcEps?: string;
  llcGamma?: string;
  llcBeta?: string;
  chains?: string;
  burnin?: string;
  draws?: string;
  llcBatch?: string;
}

/** The estimator's settings from a user's text, checked against the training set's size. */
export function parseLlcSettings(raw: LlcFlags, trainRows: number, style: NameStyle = 'flag'): LlcSettings {
  const d = DEFAULT_LLC_SETTINGS;
  const f = LLC_FIELDS;
  const num = (spec: NumberSpec, text: string | undefined, fallback: number) =>
    text === undefined ? fallback : parseNumber(spec, text, style);
  const settings: LlcSettings = {
    eps: raw.llcEps === undefined ? d.eps : raw.llcEps.trim() === 'auto' ? 'auto' : parseNumber(f.eps, raw.llcEps, style),
    gamma: num(f.gamma, raw.llcGamma, d.gamma),
    chains: num(f.chains, raw.chains, d.chains),
    burnin: num(f.burnin, raw.burnin, d.burnin),
    draws: num(f.draws, raw.draws, d.draws),
    batch: raw.llcBatch === undefined ? d.batch : parseLlcBatch(raw.llcBatch, trainRows, style),
  };
  return raw.llcBeta === undefined ? settings : { ...settings, nbeta: parseNumber(f.nbeta, raw.llcBeta, style) };
}

function parseLlcBatch(text: string, trainRows: number, style: NameStyle): number | 'full' {
  const t = text.trim();
  if (t === 'full') return 'full';
  const n = parseDecimal(t);
  if (Number.isInteger(n) && n >= 1 && n <= trainRows) return n;
  const name = style === 'flag' ? '--llc-batch' : 'SGLD batch';
  throw new UserError(`${name} must be "full" or an integer from 1 to ${trainRows} (the training set's size), got ${quote(t)}`);
}

/** nβ = n / log n (Watanabe's WBIC temperature, devinterp's default form) for n training rows. */
export function defaultNbeta(n: number): number {
  return n > 1 ? n / Math.log(n) : 1;
}

/** The sampler's settings; under ε 'auto', eps is the cap MAX_AUTO_EPS and each particle's own comes with the spec. */
export function resolveSgld(settings: LlcSettings, trainRows: number): SgldSettings {
  return { ...settings, eps: settings.eps === 'auto' ? MAX_AUTO_EPS : settings.eps, nbeta: settings.nbeta ?? defaultNbeta(trainRows) };
}

/** Every setting, in words, for the JSON: a result says how it was estimated. */
export function describeLlc(sgld: SgldSettings, given: LlcSettings, trainRows: number) {
  return {
    estimator:
      'per chain λ̂ = nβ·(mean over the draws of the minibatch loss − L(w*)), L(w*) the mean training loss at the trained parameters; llc is the mean of λ̂ over the chains that did not diverge, llcStd their sample standard deviation (Lau et al. 2023, as devinterp estimates it)',
    sampler:
      'SGLD localised at w*: Δw = −(ε/2)·(nβ·∇L_batch(w) + γ·(w − w*)) + √ε·N(0, I), started at w*; every step after the burn-in is a draw',
    eps: given.eps === 'auto' ? 'auto' : sgld.eps,
    epsFrom:
      given.eps === 'auto'
        ? `per particle, ε = min(${MAX_AUTO_EPS}, ${STEP_BOUND} / (nβ·h_max)) with h_max its top Hessian eigenvalue (power iteration, as sharpness measures it): SGLD's step-size bias on a quadratic basin is about ε·nβ·h/4 per direction, so at most 1% in the stiffest (the chosen ε per particle is in epsByParticle)`
        : 'given (--llc-eps), the same for every particle',
    gamma: sgld.gamma,
    nbeta: sgld.nbeta,
    nbetaFrom: given.nbeta === undefined ? `n / log n with n = ${trainRows} training rows` : 'given (--llc-beta sets nβ itself)',
    chains: sgld.chains,
    burnin: sgld.burnin,
    draws: sgld.draws,
    batch:
      sgld.batch === 'full' ? `full (all ${trainRows} training rows each step)` : `${sgld.batch} rows per step, drawn with replacement`,
    noise: "chain c of particle i draws from the run's noise seed, particle firstParticle + i, step c·(burnin + draws) + t",
  };
}

export interface LlcAnalysis {
  readonly sgld: SgldSettings;
  /** the step size each particle's chains used */
  readonly epsByParticle: Float64Array;
  /** under ε 'auto': each particle's top Hessian eigenvalue that chose it */
  readonly topEigenvalue?: Float64Array;
  readonly result: SgldResult;
  readonly estimate: LlcEstimate;
  readonly byClass: Record<string, LlcClassSummary>;
  /** particles with a problem (see LlcEstimate.problems) */
  readonly problems: number;
}

/** SGLD chains around every trained particle of the ensemble, then the estimate per particle and per class. */
export async function llcAnalysis(
  engine: Engine,
  run: Run,
  ensemble: EnsembleResult,
  settings: LlcSettings,
  options: RunOptions = {},
  /** under ε 'auto': these particles' sharpness when already measured (geometry), so it is not measured again */
  sharpness?: SharpnessResult,
): Promise<LlcAnalysis> {
  const { layout, task, config } = run;
  const sgld = resolveSgld(settings, task.train.rows);
  const particles = ensemble.outcomes.length;
  // under 'auto' the eigenvalues take a share of the progress bar: about 100 gradient passes against the chains' thousands of steps
  const share = settings.eps === 'auto' && !sharpness ? 0.1 : 0;
  const chosen =
    settings.eps === 'auto'
      ? await chooseStepSizes(
          engine,
          { layout, task, params: ensemble.params, firstParticle: config.firstParticle },
          sgld.nbeta,
          {
            signal: options.signal,
            onProgress: (f) => options.onProgress?.(share * f),
          },
          sharpness,
        )
      : undefined;
  const epsByParticle = chosen?.eps ?? new Float64Array(particles).fill(sgld.eps);
  const result = await engine.sampleSgld(
    {
      layout,
      task,
      centers: ensemble.params,
      particles,
      noiseSeed: config.noiseSeed,
      firstParticle: config.firstParticle,
      sgld,
      epsByParticle: chosen?.eps,
    },
    { signal: options.signal, onProgress: (f) => options.onProgress?.(share + (1 - share) * f) },
  );
  const estimate = estimateLlc(result, particles, sgld.chains, sgld.nbeta, ensemble.diverged);
  chosen?.problems.forEach((p, i) => {
    if (p !== undefined && estimate.problems[i] === undefined && !ensemble.diverged[i]) estimate.problems[i] = p;
  });
  // chains whose noise steps (√ε a parameter) round away never move: their λ̂ of ~0 is rounding
  const p = ensemble.params.length / particles;
  for (let i = 0; i < particles; i++) {
    if (ensemble.diverged[i]) continue;
    const stuck = stepProblem(ensemble.params.subarray(i * p, (i + 1) * p), Math.sqrt(epsByParticle[i]), 'SGLD noise steps');
    if (stuck !== undefined) estimate.problems[i] = stuck;
  }
  const problems = estimate.problems.filter((p) => p !== undefined).length;
  return {
    sgld,
    epsByParticle,
    topEigenvalue: chosen?.topEigenvalue,
    result,
    estimate,
    byClass: llcByClass(estimate, ensemble.outcomes, ensemble.classes),
    problems,
  };
}
