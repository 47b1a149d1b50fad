import { list } from '../../results';
import { describeLlc, type LlcAnalysis, type LlcSettings } from '../llc/llcAnalysis';
import { describeSharpness, type SharpnessResult } from '../sharpness/sharpness';
import type { SharpnessSettings } from '../sharpness/sharpnessSettings';
import type { SharpnessStats } from '../sharpness/sharpnessSummary';
import type { Crossing, WidthAnalysis, WidthSettings } from '../width/width';

/**
 * The JSON of sharpness, width and the LLC: a block saying how each was measured and the fields each
 * adds to a particle. One definition for the command line and the sandbox's export, so both write
 * the same field names.
 */

const num = (x: number) => (Number.isFinite(x) ? x : null);

export const RELU_CAVEAT =
  'ReLU has no second derivative at 0: central differences measure the Hessian smoothed over ±h (training rows whose pre-activation crosses 0 within the step contribute), not the almost-everywhere Hessian that automatic differentiation (PyHessian) gives';

/** The JSON of one measurement: per particle fields, the per-class summary, the method in words. */
export function sharpnessFields(r: SharpnessResult, settings: SharpnessSettings, summary: Record<string, SharpnessStats>, relu: boolean) {
  return {
    sharpness: { ...describeSharpness(settings), ...(relu ? { caveat: RELU_CAVEAT } : {}) },
    summary: Object.fromEntries(
      Object.entries(summary).map(([c, s]) => [
        c,
        {
          ...s,
          median: num(s.median),
          q1: num(s.q1),
          q3: num(s.q3),
          ...(s.traceMedian !== undefined ? { traceMedian: num(s.traceMedian) } : {}),
        },
      ]),
    ),
    perParticle: Array.from(r.iterations, (iterations, i) => ({
      topEigenvalue: num(r.topEigenvalue[i]),
      iterations,
      converged: r.converged[i] === 1,
      lastEstimate: num(r.lastEstimate[i]),
      ...(r.problems[i] === undefined ? {} : { sharpnessProblem: r.problems[i] }),
      ...(r.trace ? { trace: num(r.trace.estimate[i]), traceStdErr: num(r.trace.stdErr[i]) } : {}),
    })),
  };
}

/** A crossing as a number for statistics: below the grid 0, beyond it +∞ (undefined: NaN, no value). */
export const crossingValue = (c: Crossing | undefined): number =>
  c === undefined ? NaN : c.at === 'grid' ? c.radius : c.at === 'below' ? 0 : Infinity;

/** A crossing in JSON: the radius, or null with the bound it lies beyond. */
function crossingFields(name: string, c: Crossing, s: WidthSettings) {
  if (c.at === 'grid') return { [name]: c.radius };
  return { [name]: null, [`${name}Bound`]: c.at === 'below' ? `< ${s.rMin} (--r-min)` : `> ${s.rMax} (--r-max)` };
}

/** The width measurement's JSON: a `width` block saying how, and per-particle fields merged into train's particles. */
export function widthFields(a: WidthAnalysis) {
  const s = a.settings;
  return {
    width: {
      method:
        `each particle moved along ${s.directions} random filter-normalised directions (each neuron's perturbation has that neuron's norm, so a radius is relative) ` +
        `to ${s.radii} radii on a log grid from ${s.rMin} to ${s.rMax}; every moved network classified as train classifies; ` +
        `r50 = the radius where half no longer get the particle's own class, rLoss = where their mean train loss has risen by delta, both interpolated in log radius`,
      ...s,
      directionSeed: a.seed,
      radii: Array.from(a.radii),
    },
    particles: a.particles.map((p) =>
      p === undefined
        ? { r50: null, rLoss: null, widthProblem: 'diverged: no class or loss to keep' }
        : {
            ...crossingFields('r50', p.r50, s),
            ...crossingFields('rLoss', p.rLoss, s),
            widthChanged: list(p.changed),
            widthLossRise: list(p.lossRise),
          },
    ),
  };
}

/** The LLC's JSON: the `llc` block (settings in words, per-class summary) and each particle's fields. */
export function llcFields(analysis: LlcAnalysis, settings: LlcSettings, trainRows: number) {
  const { estimate, sgld, result } = analysis;
  return {
    llc: { ...describeLlc(sgld, settings, trainRows), byClass: analysis.byClass, problems: analysis.problems },
    perParticle: Array.from(estimate.llc, (value, i) => ({
      llc: num(value),
      llcStd: num(estimate.llcStd[i]),
      llcBelow: num(estimate.below[i]),
      llcCenterLoss: num(result.centerLoss[i]),
      llcEps: num(analysis.epsByParticle[i]),
      ...(analysis.topEigenvalue ? { llcTopEigenvalue: num(analysis.topEigenvalue[i]) } : {}),
      llcChains: list(
        Array.from({ length: sgld.chains }, (_, c) => sgld.nbeta * (result.meanLoss[i * sgld.chains + c] - result.centerLoss[i])),
      ),
      ...(estimate.problems[i] === undefined ? {} : { llcProblem: estimate.problems[i] }),
    })),
  };
}
