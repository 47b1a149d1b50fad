import type { Engine, RunOptions } from '../../engine';
import { paramCount, type ModelLayout } from '../../layout';
import { PURPOSE_SHARPNESS_START, PURPOSE_SHARPNESS_TRACE, randNormal, randU32 } from '../../rng';
import type { Task } from '../../task';
import { stepProblem } from '../../maths/float32Resolution';
import { HVP_STEP, hessianVectorProducts, type ProductRequest } from '../../maths/hessianProducts';
import type { SharpnessSettings } from './sharpnessSettings';

/** The networks whose sharpness is measured. */
export interface SharpnessProblem {
  readonly layout: ModelLayout;
  readonly task: Task;
  /** [count][P], particle-major */
  readonly params: Float32Array;
  /** global index of vector 0: selects its random streams, so split sweeps measure alike */
  readonly firstParticle: number;
}

export interface SharpnessResult {
  /** the converged eigenvalue of largest magnitude, with its sign; NaN where it did not converge */
  readonly topEigenvalue: Float64Array;
  /** the last Rayleigh quotient vᵀHv, converged or not (NaN where never finite) */
  readonly lastEstimate: Float64Array;
  /** Hessian–vector products each particle took */
  readonly iterations: Uint32Array;
  readonly converged: Uint8Array;
  /** per particle, why it was not measured (a non-finite parameter, or steps below float32's resolution); undefined where it was */
  readonly problems: (string | undefined)[];
  /** Hutchinson's estimate and its standard error, when asked for; NaN for non-finite particles */
  readonly trace?: { readonly estimate: Float64Array; readonly stdErr: Float64Array };
}

/** PyHessian's guard against dividing by a zero eigenvalue in the relative change. */
const RELATIVE_FLOOR = 1e-6;
/** Hutchinson samples go to the engine in calls of about this many gradients (2 per sample and particle). */
const TRACE_CALL_GRADIENTS = 8192;

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, k) => s + x * b[k], 0);
const norm = (a: Float64Array) => Math.sqrt(dot(a, a));
const allFinite = (a: ArrayLike<number>) => Array.prototype.every.call(a, Number.isFinite) as boolean;

/** Particle i's start vector: standard normal entries from its own stream, normalised. */
export function startVector(seed: number, particle: number, p: number): Float64Array {
  const v = Float64Array.from({ length: p }, (_, k) => randNormal(seed, particle, PURPOSE_SHARPNESS_START, 0, k));
  const n = norm(v);
  return v.map((x) => x / n);
}

/** Sample s's Rademacher vector for particle i, divided by √P so that it is a unit vector. */
function rademacher(seed: number, particle: number, sample: number, p: number): Float64Array {
  const r = 1 / Math.sqrt(p);
  return Float64Array.from({ length: p }, (_, k) => (randU32(seed, particle, PURPOSE_SHARPNESS_TRACE, sample, k) & 1 ? r : -r));
}

/**
 * Per particle, the top Hessian eigenvalue of the mean training loss (power iteration on
 * Hessian–vector products, PyHessian's defaults), and optionally Hutchinson's trace estimate.
 * Every engine call carries all particles still iterating; converged ones drop out. Particles with
 * a non-finite parameter, or so large that the difference step rounds away, are not measured
 * (converged 0, iterations 0, NaN, and a problem saying why).
 */
export async function measureSharpness(
  engine: Engine,
  problem: SharpnessProblem,
  settings: SharpnessSettings,
  options: RunOptions = {},
): Promise<SharpnessResult> {
  const p = paramCount(problem.layout);
  const count = problem.params.length / p;
  // a unit vector's typical component is 1/√P: the step h·v moves each parameter by about h/√P
  const problems = Array.from({ length: count }, (_, i) => {
    const w = problem.params.subarray(i * p, (i + 1) * p);
    if (!allFinite(w)) return 'a parameter is not finite (the particle diverged): nothing to measure';
    return stepProblem(w, HVP_STEP / Math.sqrt(p), 'central-difference steps');
  });
  const finite = problems.map((q) => q === undefined);
  const traceCalls = settings.trace ? Math.ceil(settings.traceSamples / samplesPerCall(count, settings.traceSamples)) : 0;
  const totalCalls = settings.maxIter + traceCalls;
  let callsDone = 0;
  const call = (requests: ProductRequest[]) =>
    hessianVectorProducts(engine, problem, problem.params, requests, {
      signal: options.signal,
      onProgress: (f) => options.onProgress?.((callsDone + f) / totalCalls),
    });

  const topEigenvalue = new Float64Array(count).fill(NaN);
  const lastEstimate = new Float64Array(count).fill(NaN);
  const iterations = new Uint32Array(count);
  const converged = new Uint8Array(count);
  const v = Array.from({ length: count }, (_, i) => (finite[i] ? startVector(settings.seed, problem.firstParticle + i, p) : undefined));
  let active = [...v.keys()].filter((i) => finite[i]);
  for (let it = 0; it < settings.maxIter && active.length > 0; it++) {
    const hv = await call(active.map((i) => ({ particle: i, v: v[i]! })));
    callsDone++;
    const still: number[] = [];
    active.forEach((i, j) => {
      iterations[i]++;
      const estimate = dot(v[i]!, hv[j]);
      // a non-finite product ends the iteration: no estimate can follow from it
      if (!Number.isFinite(estimate) || !allFinite(hv[j])) {
        lastEstimate[i] = NaN;
        return;
      }
      const n = norm(hv[j]);
      if (n > 0) v[i] = hv[j].map((x) => x / n);
      const previous = lastEstimate[i];
      lastEstimate[i] = estimate;
      if (it > 0 && Math.abs(previous - estimate) / (Math.abs(previous) + RELATIVE_FLOOR) < settings.tol) {
        converged[i] = 1;
        topEigenvalue[i] = estimate;
      } else still.push(i);
    });
    active = still;
  }
  callsDone = settings.maxIter;
  if (!settings.trace) return { topEigenvalue, lastEstimate, iterations, converged, problems };
  return {
    topEigenvalue,
    lastEstimate,
    iterations,
    converged,
    problems,
    trace: await hutchinson(problem, finite, settings, p, call, () => callsDone++),
  };
}

/** How many Hutchinson samples one engine call takes for `count` particles. */
function samplesPerCall(count: number, samples: number): number {
  return Math.max(1, Math.min(samples, Math.floor(TRACE_CALL_GRADIENTS / (2 * Math.max(1, count)))));
}

/**
 * tr H ≈ mean over Rademacher z of zᵀHz (Hutchinson 1989), with the standard error of that mean.
 * zᵀHz = P·uᵀHu for the unit vector u = z/√P, which is what the differences step along.
 */
async function hutchinson(
  problem: SharpnessProblem,
  finite: boolean[],
  settings: SharpnessSettings,
  p: number,
  call: (requests: ProductRequest[]) => Promise<Float64Array[]>,
  called: () => void,
): Promise<NonNullable<SharpnessResult['trace']>> {
  const count = finite.length;
  const particles = [...finite.keys()].filter((i) => finite[i]);
  const sum = new Float64Array(count);
  const sumSq = new Float64Array(count);
  const n = settings.traceSamples;
  const batch = samplesPerCall(count, n);
  for (let first = 0; first < n; first += batch) {
    const requests: ProductRequest[] = [];
    for (let s = first; s < Math.min(n, first + batch); s++)
      for (const i of particles) requests.push({ particle: i, v: rademacher(settings.seed, problem.firstParticle + i, s, p) });
    const hv = await call(requests);
    called();
    requests.forEach(({ particle, v }, j) => {
      const q = p * dot(v, hv[j]);
      sum[particle] += q;
      sumSq[particle] += q * q;
    });
  }
  const estimate = new Float64Array(count).fill(NaN);
  const stdErr = new Float64Array(count).fill(NaN);
  for (const i of particles) {
    const mean = sum[i] / n;
    estimate[i] = mean;
    // the sample variance (n − 1), clamped at 0 against rounding when every sample agrees
    stdErr[i] = Math.sqrt(Math.max(0, (sumSq[i] - n * mean * mean) / (n - 1)) / n);
  }
  return { estimate, stdErr };
}

/** The method in words and numbers, for the results' `sharpness` block. */
export function describeSharpness(settings: SharpnessSettings) {
  return {
    quantity:
      'per particle, the eigenvalue of largest magnitude (with its sign) of the Hessian of the mean data loss over all training rows; weight decay is not included',
    hessianVectorProducts: `central differences of full-batch gradients computed by the engine: Hv ≈ (∇L(w + h·v) − ∇L(w − h·v)) / 2h for unit vectors v, with h = ${HVP_STEP} (chosen against float64 dense Hessians); gradients in float32 on the GPU engine, float64 rounded to float32 on the CPU engine; vector maths in float64`,
    h: HVP_STEP,
    powerIteration: `start from a normalised standard-normal vector (seed ${settings.seed}, purpose ${PURPOSE_SHARPNESS_START}, the particle's global index); repeat v ← Hv/|Hv|; stop when the Rayleigh quotient vᵀHv changes by less than tol relative (|λₖ − λₖ₋₁| / (|λₖ₋₁| + ${RELATIVE_FLOOR}), as PyHessian) or after maxIter products; topEigenvalue is the last quotient, null where it did not converge (lastEstimate keeps it)`,
    tol: settings.tol,
    maxIter: settings.maxIter,
    startVectorSeed: settings.seed,
    ...(settings.trace
      ? {
          trace: `Hutchinson's estimator: the mean of zᵀHz over ${settings.traceSamples} Rademacher vectors z per particle (seed ${settings.seed}, purpose ${PURPOSE_SHARPNESS_TRACE}), with the standard error of that mean (sample standard deviation / √samples); the same central differences`,
          traceSamples: settings.traceSamples,
        }
      : {}),
  };
}
