import { paramCount, type ModelLayout } from '../core/layout';
import { UNROLL_AWAIT_PARAMS } from './unrolledTrain';

/**
 * Which kernels train a population: 'per-particle' (one invocation trains one particle, the
 * network in private memory: shaders/train.wgsl and its unrolled twin) or 'batched' (a pass per
 * layer over particles × rows × units: shaders/batched_train.wgsl).
 */
export type TrainerKind = 'per-particle' | 'batched';

/**
 * The most parameters the per-particle kernels take: they hold the parameters, gradient and
 * optimizer state in private arrays, which past this compile slowly and run with spilled
 * registers. (It was the whole engine's cap before the batched trainer.)
 */
export const PER_PARTICLE_MAX_PARAMS = 4096;

/**
 * The choice, from measurement: the per-particle kernels win wherever there are particles enough
 * to fill the device (from 64 at every size measured) and on small nets at any count; the batched
 * trainer wins on nets past the awaited unrolled kernel with few particles (8), where one
 * invocation per particle leaves SwiftShader's threads idle. CROSSOVER holds the table.
 */
export function chooseTrainer(layout: ModelLayout, particles: number, forced: 'auto' | TrainerKind = 'auto'): TrainerKind {
  const p = paramCount(layout);
  if (p > PER_PARTICLE_MAX_PARAMS) return 'batched';
  if (forced !== 'auto') return forced;
  const row = CROSSOVER.find((r) => p <= r.maxParams)!;
  return particles >= row.minParticlesPerParticleKernel ? 'per-particle' : 'batched';
}

/**
 * Measured crossover: for nets up to `maxParams` parameters the per-particle kernels train faster
 * (steady rate) from `minParticlesPerParticleKernel` particles on. From
 * `nice npx tsx src/bench/experiments/trainerCrossover.ts` on SwiftShader, 2 cores at load ~22
 * (2026-12-07; docs/PERFORMANCE.md, item 27), particle-steps/s per-particle vs batched:
 *   3-16-1 (81):      8: 915 vs 63     64: 3,974 vs 2,273   1,024: 16,578 vs 863
 *   50-4-1 (209):     8: 1,770 vs 608  64: 5,746 vs 693     1,024: 11,798 vs 658
 *   3-64-1 (321):     8: 1,893 vs 433  64: 8,895 vs 253     1,024: 4,987 vs 314
 *   3-128-1 (641):    8: 32 vs 76      64: 512 vs 167       1,024: 528 vs 174
 *   3-32-32-1 (1,217): 8: 152 vs 301   64: 308 vs 95        1,024: 245 vs 119
 *   46-48-23 (3,383): 8: 32 vs 75      64: 118 vs 42
 * (≤ 400 parameters the per-particle side was the unrolled kernel, awaited; above it the looped
 * one.) The switch sits between the 8 and 64 measured, at their geometric middle.
 */
export const CROSSOVER: readonly { maxParams: number; minParticlesPerParticleKernel: number }[] = [
  // (to UNROLL_AWAIT_PARAMS the unrolled kernel is awaited: src/engine/unrolledTrain.ts UNROLL_AWAIT_PARAMS; past it a
  // run starts on the looped kernel, 51 particle-steps/s for 3-64-1 at 8 particles against the CPU
  // engine's 124 in the model-axis run, so few particles go batched there too)
  { maxParams: UNROLL_AWAIT_PARAMS, minParticlesPerParticleKernel: 1 },
  { maxParams: PER_PARTICLE_MAX_PARAMS, minParticlesPerParticleKernel: 23 },
];
