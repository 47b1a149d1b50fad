import type { Engine, RunOptions } from '../engine';
import type { ModelLayout } from '../layout';
import type { Task } from '../task';

/**
 * The step h of the central differences, along unit vectors in the full parameter space. Chosen by
 * measurement against float64 dense Hessians of trained thneeb nets, tanh and gelu, 3-16-1 and
 * 3-32-32-1 (src/bench/experiments/sharpnessStep.ts, docs/PERFORMANCE.md item 24): at 3e-3 the Rayleigh
 * quotient at the top eigenvector is off by at most 1.0e-3 relative on the GPU engine (median
 * 5e-5 to 3e-4); smaller steps drown in the float32 rounding of the gradients (error ∝ 1/h, 6e-4
 * at 1e-3 for gelu), larger ones in the third derivative (error ∝ h², 2.4e-3 at 1e-2 for 3-32-32-1).
 * ReLU nets have no second derivative at a kink: there the differences measure the Hessian
 * smoothed over ±h (rows whose pre-activation crosses 0 within the step contribute), not the
 * almost-everywhere Hessian automatic differentiation gives.
 */
export const HVP_STEP = 3e-3;

/** One Hessian–vector product wanted: particle `particle`'s Hessian times `v` (|v| = 1). */
export interface ProductRequest {
  readonly particle: number;
  readonly v: Float64Array;
}

/**
 * H·v for every request, by central differences of full-batch gradients,
 * Hv ≈ (∇L(w + h·v) − ∇L(w − h·v)) / 2h, in ONE engine call for all of them (2 vectors each), so
 * the GPU sees every particle's work at once. Host side in float64; the points w ± h·v are rounded
 * to float32, as the engine holds parameters.
 */
export async function hessianVectorProducts(
  engine: Engine,
  problem: { readonly layout: ModelLayout; readonly task: Task },
  params: Float32Array,
  requests: readonly ProductRequest[],
  options: RunOptions = {},
  h = HVP_STEP,
): Promise<Float64Array[]> {
  if (requests.length === 0) return [];
  const p = requests[0].v.length;
  const vectors = new Float32Array(2 * requests.length * p);
  requests.forEach(({ particle, v }, j) => {
    const w = particle * p;
    for (let k = 0; k < p; k++) {
      vectors[2 * j * p + k] = params[w + k] + h * v[k];
      vectors[(2 * j + 1) * p + k] = params[w + k] - h * v[k];
    }
  });
  const grads = await engine.evaluateGradients({ ...problem, vectors }, options);
  return requests.map((_, j) => Float64Array.from({ length: p }, (_, k) => (grads[2 * j * p + k] - grads[(2 * j + 1) * p + k]) / (2 * h)));
}
