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
 * The choice, from measurement: the per-particle kernels win on nets to 400 parameters at every
 * count measured; past 1,000 parameters the register-tiled batched trainer wins at every count;
 * between, the batched trainer takes the middle counts (48 to 511 particles) and the per-particle
 * kernels the few and the many. CROSSOVER holds the table.
 */
export function chooseTrainer(layout: ModelLayout, particles: number, forced: 'auto' | TrainerKind = 'auto'): TrainerKind {
  const p = paramCount(layout);
  if (p > PER_PARTICLE_MAX_PARAMS) return 'batched';
  if (forced !== 'auto') return forced;
  const row = CROSSOVER.find((r) => p <= r.maxParams)!;
  return particles >= row.batchedFrom && particles < row.batchedBelow ? 'batched' : 'per-particle';
}

/**
 * Measured crossover: for nets up to `maxParams` parameters the batched trainer trains faster
 * (settled rate) from `batchedFrom` particles up to below `batchedBelow`, the per-particle kernels
 * elsewhere. From six runs of `NETS='3-64-1/16;3-128-1/16;3-32-32-1/16;50-4-1/16'
 * SIZES=8,64,256,1024 SECONDS=1 MAX_RUNS=6 nice npx tsx src/bench/experiments/trainerCrossover.ts`
 * (four with SECONDS=0.5 MAX_RUNS=4) with the 8×8-tiled batched kernels, SwiftShader, 2 cores at
 * load 4.2–7.6 (2026-12-08 04:08–04:19 UTC; docs/PERFORMANCE.md, item 36). A cell's choice changed
 * only where its winner was the same in both SECONDS=1 runs and in 5 of the 6; winners, 6 runs:
 *   50-4-1 (209):      per-particle in all 24 cells (8 to 1,024), 1.2–22×
 *   3-64-1 (321):      per-particle at 8 (5 of 6; was batched), 64 (4 of 6), 256 (5), 1,024 (4)
 *   3-128-1 (641):     8 per-particle 3 of 6; 64 batched 5 of 6; 256 per-particle 4 of 6; 1,024 per-particle 5 of 6 (was batched)
 *   3-32-32-1 (1,217): batched in 23 of 24 cells (8 to 1,024)
 * (Item 30's table, taken with one timed run and the 4×4 tiles, had put 3-64-1 at 8 particles and
 * 3-128-1 at 1,024 on the batched trainer.) 3-128-1 at 8 and 256 were not clear, so they keep
 * item 30's choice; 512 splits 256 and 1,024, which were not measured between.
 */
export const CROSSOVER: readonly { maxParams: number; batchedFrom: number; batchedBelow: number }[] = [
  // 3-16-1, 50-4-1, 3-64-1: per-particle at every count measured (item 30's batched below 23
  // particles for 300–400 parameters lost 5 of 6 runs at 8). Past UNROLL_AWAIT_PARAMS
  // (src/engine/unrolledTrain.ts) a run starts on the looped kernel and switches to the unrolled
  // one when it is compiled; the measurement timed the looped kernel alone there, the least a run gets.
  { maxParams: 400, batchedFrom: Infinity, batchedBelow: Infinity },
  // 3-128-1: batched at 64 particles, per-particle at 1,024 (and, from item 30, at 8–32)
  { maxParams: 1000, batchedFrom: 48, batchedBelow: 512 },
  { maxParams: PER_PARTICLE_MAX_PARAMS, batchedFrom: 1, batchedBelow: Infinity },
];
