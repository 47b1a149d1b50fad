import { meanGradient } from '../cpuEngine';
import type { ModelLayout } from '../layout';
import { Mlp } from '../mlp';
import type { Dataset } from '../task';

/**
 * Float64 references for the sharpness tests and the step experiment (src/bench/experiments/
 * sharpnessStep.ts): the dense Hessian of the mean training loss and its eigenvalues, built
 * independently of the engines' float32 paths.
 */

/** ∂L/∂w_k by a central difference of the float64 mean loss (step `h`): checks the analytic gradient. */
export function lossGradientByDifferences(layout: ModelLayout, params: Float64Array, data: Dataset, h = 1e-6): Float64Array {
  const mlp = new Mlp(layout);
  const w = Float64Array.from(params);
  return Float64Array.from(w, (wk, k) => {
    w[k] = wk + h;
    const up = mlp.evaluate(w, data)[0];
    w[k] = wk - h;
    const down = mlp.evaluate(w, data)[0];
    w[k] = wk;
    return (up - down) / (2 * h);
  });
}

/**
 * The P × P Hessian (row-major) of the mean loss over `data`, column k a central difference of the
 * exact float64 gradient along e_k with step 1e-5 (error ~1e-10 relative for smooth activations),
 * then symmetrised.
 */
export function denseHessian(layout: ModelLayout, params: Float64Array, data: Dataset, h = 1e-5): Float64Array {
  const mlp = new Mlp(layout);
  const p = params.length;
  const w = Float64Array.from(params);
  const up = new Float64Array(p);
  const down = new Float64Array(p);
  const hess = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    w[k] = params[k] + h;
    meanGradient(mlp, w, data, up);
    w[k] = params[k] - h;
    meanGradient(mlp, w, data, down);
    w[k] = params[k];
    for (let j = 0; j < p; j++) hess[j * p + k] = (up[j] - down[j]) / (2 * h);
  }
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) hess[i * p + j] = hess[j * p + i] = (hess[i * p + j] + hess[j * p + i]) / 2;
  }
  return hess;
}

/** Eigenvalues of a symmetric n × n matrix by cyclic Jacobi rotations (small n: tests only). */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      scale += a[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    }
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J, rows then columns p and q
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => a[i * n + i]);
}

/** The eigenvalue of largest magnitude, with its sign. */
export function dominantEigenvalue(eigenvalues: Float64Array): number {
  let best = 0;
  for (const x of eigenvalues) if (Math.abs(x) > Math.abs(best)) best = x;
  return best;
}

export function trace(matrix: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += matrix[i * n + i];
  return t;
}
