import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/core/cpuEngine';
import { ACTIVATIONS, outputsFor, paramCount } from '../../src/core/layout';
import { lossGradientByDifferences, symmetricEigenvalues } from '../../src/core/maths/denseHessian';
import { randomParams, randomTask, seeded, testSeed, worstMismatch } from '../helpers/random';

describe('CPU engine: evaluateGradients', () => {
  for (const activation of ACTIVATIONS) {
    for (const classes of [2, 3]) {
      it(`is the gradient of the mean training loss (${activation}, ${classes} classes), by float64 differences`, async () => {
        const rand = seeded(testSeed(`cpu gradients ${activation} ${classes}`));
        const task = randomTask(rand, 3, classes, 20);
        const layout = { widths: [3, 5, 4, outputsFor(classes)], activation };
        const p = paramCount(layout.widths);
        const count = 4;
        const vectors = randomParams(rand, [...layout.widths], count);
        const grads = await new CpuEngine().evaluateGradients({ layout, task, vectors });
        expect(grads.length).toBe(count * p);
        for (let i = 0; i < count; i++) {
          const w = Float64Array.from(vectors.subarray(i * p, (i + 1) * p));
          const reference = lossGradientByDifferences(layout, w, task.train);
          // step 1e-6 in float64: ~1e-9 truncation and rounding; the result is rounded to float32 (6e-8 relative)
          const m = worstMismatch(grads.subarray(i * p, (i + 1) * p), reference, 1e-7, 1e-5);
          expect(m.ratio, `vector ${i}: ${m.a} (engine) vs ${m.b} (differences) at parameter ${m.at}`).toBeLessThanOrEqual(1);
        }
      });
    }
  }

  it('gives non-finite gradients for a vector with a non-finite entry, and finite ones for its neighbours', async () => {
    const rand = seeded(testSeed('cpu gradients nan'));
    const task = randomTask(rand, 2, 2, 8);
    const layout = { widths: [2, 3, 1], activation: 'tanh' as const };
    const p = paramCount(layout.widths);
    const vectors = randomParams(rand, [...layout.widths], 3);
    vectors[p + 2] = NaN;
    const grads = await new CpuEngine().evaluateGradients({ layout, task, vectors });
    expect(grads.subarray(p, 2 * p).some((g) => !Number.isFinite(g))).toBe(true);
    expect(grads.subarray(0, p).every(Number.isFinite) && grads.subarray(2 * p).every(Number.isFinite)).toBe(true);
  });
});

describe('test helper: symmetricEigenvalues (the oracle of the sharpness tests)', () => {
  it('recovers the eigenvalues of Q·diag(λ)·Qᵀ for a random orthogonal Q', () => {
    const rand = seeded(testSeed('jacobi'));
    const n = 7;
    const lambda = Float64Array.from({ length: n }, () => 10 * rand() - 5);
    // Q from Gram–Schmidt on random columns
    const q: number[][] = [];
    for (let j = 0; j < n; j++) {
      const v = Array.from({ length: n }, () => rand() - 0.5);
      for (const u of q) {
        const d = u.reduce((s, x, k) => s + x * v[k], 0);
        u.forEach((x, k) => (v[k] -= d * x));
      }
      const norm = Math.hypot(...v);
      q.push(v.map((x) => x / norm));
    }
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q[k][i] * lambda[k] * q[k][j];
    const got = Array.from(symmetricEigenvalues(a, n)).sort((x, y) => x - y);
    const want = Array.from(lambda).sort((x, y) => x - y);
    got.forEach((g, k) => expect(Math.abs(g - want[k]), `eigenvalue ${k}: ${g} vs ${want[k]}`).toBeLessThanOrEqual(1e-10));
  });
});
