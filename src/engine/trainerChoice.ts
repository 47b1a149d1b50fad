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
 * The choice, from measurement: the per-particle kernels win on small nets at any count; past
 * 1,000 parameters the register-tiled batched trainer wins at every count measured (8 to 256);
 * between, it takes few particles of nets just past the awaited unrolled kernel (the looped
 * kernel runs while the unrolled one compiles) and many particles of nets past 400 parameters.
 * CROSSOVER holds the table.
 */
export function chooseTrainer(layout: ModelLayout, particles: number, forced: 'auto' | TrainerKind = 'auto'): TrainerKind {
  const p = paramCount(layout);
  if (p > PER_PARTICLE_MAX_PARAMS) return 'batched';
  if (forced !== 'auto') return forced;
  const row = CROSSOVER.find((r) => p <= r.maxParams)!;
  return particles >= row.perParticleFrom && particles < row.perParticleBelow ? 'per-particle' : 'batched';
}

/**
 * Measured crossover: for nets up to `maxParams` parameters the per-particle kernels train faster
 * (steady rate) from `perParticleFrom` particles up to below `perParticleBelow`. From
 * `SIZES=8,16,32,64,256 SECONDS=1 nice npx tsx src/bench/experiments/trainerCrossover.ts` with the
 * 4×4-tiled batched kernels, SwiftShader, 2 cores at load 30–50 (2026-12-07 21:11–21:33 UTC, two
 * runs; docs/PERFORMANCE.md, item 30), particle-steps/s per-particle vs batched, run 1 | run 2:
 *   3-16-1 (81), 50-4-1 (209):  per-particle 4–20× faster at 8, 64, 256 (run 1)
 *   3-64-1 (321):     8: 1,300 vs 268 | 258 vs 343   64: 2,707 vs 644 | 996 vs 261   256: 5,855 vs 992 | 1,216 vs 2,037
 *   3-128-1 (641):    8: 101 vs 26 | 459 vs 97       64: 17 vs 28 | 313 vs 475       256: 37 vs 153 | 621 vs 483
 *   3-32-32-1 (1,217): 8: 260 vs 332 | 166 vs 868    64: 247 vs 636 | 202 vs 887     256: 184 vs 373 | 195 vs 302
 *   46-48-23 (3,383): 8: 11 vs 7 | 106 vs 82         64: 13 vs 263 | 123 vs 141      256: 4 vs 93 | 104 vs 115
 * (Run 2 also at 16 and 32: per-particle for 3-64-1 and 3-128-1, batched for the two bigger nets.)
 * Past 1,000 parameters the batched trainer won 18 of 20 cells (both losses at 8 particles of the
 * grokking net, within the noise). Between 300 and 400 the earlier rule stays (batched below 23
 * particles, while the unrolled kernel compiles); 400–1,000 is per-particle below 48 particles
 * (between the 32 and 64 measured), batched from there.
 */
export const CROSSOVER: readonly { maxParams: number; perParticleFrom: number; perParticleBelow: number }[] = [
  // (to UNROLL_AWAIT_PARAMS the unrolled kernel is awaited: src/engine/unrolledTrain.ts UNROLL_AWAIT_PARAMS; past it a
  // run starts on the looped kernel, 51 particle-steps/s for 3-64-1 at 8 particles against the CPU
  // engine's 124 in the model-axis run, so few particles go batched there too)
  { maxParams: UNROLL_AWAIT_PARAMS, perParticleFrom: 1, perParticleBelow: Infinity },
  // 3-64-1: the unrolled kernel (compiled in the background) from 16 particles on in both runs
  { maxParams: 400, perParticleFrom: 23, perParticleBelow: Infinity },
  // 3-128-1: the looped kernel at 8–32 particles in both runs, the batched trainer at 64 in both
  { maxParams: 1000, perParticleFrom: 1, perParticleBelow: 48 },
  { maxParams: PER_PARTICLE_MAX_PARAMS, perParticleFrom: Infinity, perParticleBelow: Infinity },
];
