import { paramCount, type ModelLayout } from '../core/layout';

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
 * The choice, from measurement (bench/experiments/trainerCrossover.ts on SwiftShader, 2 cores):
 * see CROSSOVER below. The per-particle kernel wins while there are enough particles to fill the
 * device and the net is small; the batched one wins where the per-particle kernel would leave the
 * device idle (few particles) or spill (many parameters).
 */
export function chooseTrainer(layout: ModelLayout, particles: number, forced: 'auto' | TrainerKind = 'auto'): TrainerKind {
  const p = paramCount(layout);
  if (p > PER_PARTICLE_MAX_PARAMS) return 'batched';
  if (forced !== 'auto') return forced;
  const row = CROSSOVER.find((r) => p <= r.maxParams);
  return row !== undefined && particles >= row.minParticlesPerParticleKernel ? 'per-particle' : 'batched';
}

/**
 * Measured crossover: for nets up to `maxParams` parameters, the per-particle kernels train
 * faster (steady rate) from `minParticlesPerParticleKernel` particles on. Produced by
 * `nice npx tsx bench/experiments/trainerCrossover.ts` (see docs/PERFORMANCE.md, item 21).
 */
export const CROSSOVER: readonly { maxParams: number; minParticlesPerParticleKernel: number }[] = [
  { maxParams: 400, minParticlesPerParticleKernel: 1 },
  { maxParams: 1300, minParticlesPerParticleKernel: 1 },
  { maxParams: PER_PARTICLE_MAX_PARAMS, minParticlesPerParticleKernel: 1 },
];
