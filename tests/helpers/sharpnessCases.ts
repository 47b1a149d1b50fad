import { expect } from 'vitest';
import { measureSharpness, startVector } from '../../src/core/instruments/sharpness/sharpness';
import { DEFAULT_SHARPNESS } from '../../src/core/instruments/sharpness/sharpnessSettings';
import type { Engine } from '../../src/core/engine';
import { paramCount, type Activation } from '../../src/core/layout';
import { denseHessian, dominantEigenvalue, symmetricEigenvalues, trace } from '../../src/core/maths/denseHessian';
import { randomParams, randomTask, seeded, testSeed } from './random';

/** Tiny models: BCE with one logit, softmax with 2 logits on 2 classes, softmax on 3 classes. */
export const TINY_MODELS: [number[], Activation, number][] = [
  [[3, 4, 1], 'tanh', 2],
  [[3, 5, 2], 'gelu', 2],
  [[4, 5, 3], 'tanh', 3],
];

/**
 * Power iteration with PyHessian's defaults stops once vᵀHv changes by < tol relative; the quotient
 * then sits within about tol / (1 − r²) of λ₁ (r = |λ₂/λ₁|, the rate it converges at). Particles
 * with r ≤ 0.9 are held to 1e-2 relative (the bound is 5.3e-3, the differences add ≤ 1e-3);
 * closer pairs are left out, and counted.
 */
const MAX_RATIO = 0.9;
/**
 * A start vector with less than this share of its mass along the top eigenvector can stop on the
 * second one: the quotient sits near λ₂ and creeps away from it by less than tol a product until
 * the top direction has grown out of nothing (power iteration's own failure, seen at TEST_SEED=
 * 3557956004, where 6 products gave λ₂). Such particles are left out, and counted.
 */
const MIN_START_OVERLAP = 1e-3;

/** The unit eigenvector of the eigenvalue of largest magnitude, by float64 power iteration on a shifted matrix. */
function topEigenvector(H: Float64Array, p: number, top: number): Float64Array {
  let v = Float64Array.from({ length: p }, (_, k) => Math.sin(k + 1));
  // H − σI with σ on the far side from λ₁ makes λ₁ dominant by a clear margin
  const shift = -top;
  for (let it = 0; it < 5000; it++) {
    const w = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      let sum = -shift * v[a];
      for (let b = 0; b < p; b++) sum += H[a * p + b] * v[b];
      w[a] = sum;
    }
    const n = Math.hypot(...w);
    v = w.map((x) => x / n);
  }
  return v;
}
const EIGEN_RTOL = 1e-2;
/** Hutchinson's mean of 200 samples against the exact trace: 4.5 standard errors (p ≈ 7e-6 each). */
const TRACE_SAMPLES = 200;
const TRACE_Z = 4.5;

/**
 * The engine's top eigenvalue and trace against the float64 dense Hessian of random tiny networks
 * on random data, fresh each run (seed printed). Also checks the reported standard error against
 * Hutchinson's exact variance for Rademacher vectors, 2(‖H‖²_F − Σ H²ᵢᵢ).
 */
export async function checkAgainstDenseHessian(engine: Engine, widths: number[], activation: Activation, classes: number): Promise<void> {
  const seed = testSeed(`sharpness ${engine.kind} ${widths} ${activation}`);
  const rand = seeded(seed);
  const task = randomTask(rand, widths[0], classes, 30);
  const layout = { widths, activation };
  const p = paramCount(widths);
  const count = 12;
  const params = randomParams(rand, widths, count, 1.5);
  const settings = { ...DEFAULT_SHARPNESS, trace: true, traceSamples: TRACE_SAMPLES, seed };
  const r = await measureSharpness(engine, { layout, task, params, firstParticle: 0 }, settings);
  let compared = 0;
  let nearlyOrthogonal = 0;
  for (let i = 0; i < count; i++) {
    const H = denseHessian(layout, Float64Array.from(params.subarray(i * p, (i + 1) * p)), task.train);
    const eigenvalues = symmetricEigenvalues(H, p);
    const top = dominantEigenvalue(eigenvalues);
    const second = Math.max(
      ...Array.from(eigenvalues, Math.abs)
        .sort((a, b) => b - a)
        .slice(1, 2),
    );
    const what = `particle ${i}: λ₁ ${top}, |λ₂/λ₁| ${(second / Math.abs(top)).toFixed(3)}`;
    const u = topEigenvector(H, p, top);
    const start = startVector(seed, i, p);
    const overlap = start.reduce((sum, x, k) => sum + x * u[k], 0) ** 2;
    if (overlap < MIN_START_OVERLAP) nearlyOrthogonal++;
    else if (second / Math.abs(top) <= MAX_RATIO) {
      compared++;
      expect(r.converged[i], `${what}: not converged after ${r.iterations[i]}`).toBe(1);
      const err = Math.abs(r.topEigenvalue[i] - top) / Math.abs(top);
      expect(err, `${what}: measured ${r.topEigenvalue[i]} after ${r.iterations[i]} products`).toBeLessThanOrEqual(EIGEN_RTOL);
    }
    const exact = trace(H, p);
    const { estimate, stdErr } = { estimate: r.trace!.estimate[i], stdErr: r.trace!.stdErr[i] };
    expect(Math.abs(estimate - exact), `${what}: trace ${estimate} ± ${stdErr} vs ${exact}`).toBeLessThanOrEqual(TRACE_Z * stdErr);
    let offDiagonal = 0;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) if (a !== b) offDiagonal += H[a * p + b] ** 2;
    const expectedStdErr = Math.sqrt((2 * offDiagonal) / TRACE_SAMPLES);
    // the sample standard deviation of 200 draws: within ±35% (its own spread is ~5-15%)
    expect(stdErr / expectedStdErr, `${what}: standard error ${stdErr} vs ${expectedStdErr}`).toBeGreaterThan(0.65);
    expect(stdErr / expectedStdErr, `${what}: standard error ${stdErr} vs ${expectedStdErr}`).toBeLessThan(1.35);
  }
  console.log(
    `${engine.kind} ${widths}: ${compared} of ${count} particles had |λ₂/λ₁| ≤ ${MAX_RATIO} and were compared; ${nearlyOrthogonal} started with < ${MIN_START_OVERLAP} of their mass along the top eigenvector`,
  );
  expect(compared, 'too few particles with a clear eigen-gap to compare').toBeGreaterThanOrEqual(4);
}
