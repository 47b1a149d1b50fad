import type { InitDist } from './init';
import type { LossName, ModelLayout, OptimizerName } from './layout';
import type { Hyper } from './optimizer';
import type { Plane } from './plane';
import type { Task } from './task';

/**
 * What every engine (the CPU reference in core, the WebGPU one in src/engine) offers. Front ends
 * (CLI, worker) and the orchestration in core/runs.ts see only this.
 */
export interface TrainSpec {
  readonly layout: ModelLayout;
  readonly task: Task;
  readonly hyper: Hyper;
  /** initial parameters, [particles][paramCount] */
  readonly init: Float32Array;
  readonly particles: number;
  readonly noiseSeed: number;
  /** global index of particle 0: selects its noise stream, so a sweep can be split across machines */
  readonly firstParticle: number;
  /** absent: one run, every particle trained with `hyper` */
  readonly cells?: CellBlocks;
}

/**
 * A session holding several runs that differ only in optimizer settings (a hyper map's cells), so
 * they train in one pass: particle i belongs to cell ⌊i / size⌋, trains with hypers[cell] and draws
 * noise stream firstParticle + (i mod size). Each cell is then exactly the run of `size` particles
 * it would be alone. Every hyper shares `hyper`'s optimizer and batch (they shape the kernel's loop).
 */
export interface CellBlocks {
  /** particles per cell; particles = size × hypers.length */
  readonly size: number;
  readonly hypers: readonly Hyper[];
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** called after each chunk of work with the fraction done in [0, 1] */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Per-set metrics, [count][sets][2] with sets = train then each probe, and (loss, accuracy) pairs.
 * A particle whose parameters are not finite has NaN loss.
 */
export type Metrics = Float32Array;

export interface TrainingSession {
  readonly particles: number;
  readonly stepsDone: number;
  /** Trains every particle `steps` more steps (in chunks: progress and cancellation between them). */
  advance(steps: number, options?: RunOptions): Promise<void>;
  /** Loss and accuracy of every particle on every set; the signal stops it between chunks. */
  metrics(options?: RunOptions): Promise<Metrics>;
  params(): Promise<Float32Array>;
  /** 1 where a particle met a non-finite gradient; its parameters are frozen from then on */
  diverged(): Promise<Uint8Array>;
  dispose(): void;
}

export interface PlaneSpec {
  readonly layout: ModelLayout;
  readonly task: Task;
  readonly plane: Plane;
  readonly alphas: Float32Array;
  readonly betas: Float32Array;
}

/** Points on straight lines between pairs of parameter vectors: (1 − t)·a + t·b for each t. */
export interface LinesSpec {
  readonly layout: ModelLayout;
  readonly task: Task;
  /** the end points, [count][paramCount] */
  readonly vectors: Float32Array;
  /** (a, b) vector indices, one pair per line */
  readonly pairs: Uint32Array;
  /** positions along every line, 0 = a, 1 = b */
  readonly ts: Float32Array;
}

/** Parameter vectors whose full-training-set gradients are wanted (sharpness: Hessian–vector products by differences). */
export interface GradientsSpec {
  readonly layout: ModelLayout;
  readonly task: Task;
  /** the vectors, [count][paramCount], particle-major (PyTorch's flat order per vector) */
  readonly vectors: Float32Array;
}

/**
 * Stochastic gradient Langevin dynamics localised at w* (Lau et al. 2023), per step
 * Δw = −(ε/2)·(nβ·∇L_batch(w) + γ·(w − w*)) + √ε·N(0, I). Every step after the burn-in is a draw.
 */
export interface SgldSettings {
  /** step size ε */
  readonly eps: number;
  /** localisation strength γ */
  readonly gamma: number;
  /** inverse temperature times the training set size, nβ */
  readonly nbeta: number;
  /** independent chains per particle */
  readonly chains: number;
  /** steps discarded before the draws */
  readonly burnin: number;
  /** steps whose batch loss is recorded, after the burn-in */
  readonly draws: number;
  /** rows per SGLD step, drawn with replacement; 'full' = every training row in order */
  readonly batch: number | 'full';
}

/**
 * SGLD chains started at, and localised around, each of `particles` centres. Chain c of particle i
 * draws step t's rows and noise from the key (noiseSeed, firstParticle + i, PURPOSE_SGLD_*,
 * c·(burnin + draws) + t): the same on every engine.
 */
export interface SgldSpec {
  readonly layout: ModelLayout;
  readonly task: Task;
  /** the centres w*, [particles][paramCount] */
  readonly centers: Float32Array;
  readonly particles: number;
  readonly noiseSeed: number;
  readonly firstParticle: number;
  readonly sgld: SgldSettings;
  /** a step size per particle, [particles], in place of sgld.eps (the LLC's automatic ε) */
  readonly epsByParticle?: Float64Array;
}

export interface SgldResult {
  /** L(w*): the mean training loss at each centre, [particles] */
  readonly centerLoss: Float64Array;
  /** mean batch loss over each chain's draws, [particles][chains]; NaN where the chain diverged */
  readonly meanLoss: Float64Array;
  /** fraction of each chain's draws whose batch loss was below L(w*), [particles][chains] */
  readonly below: Float64Array;
  /** 1 where a chain met a non-finite loss, gradient or parameter, [particles][chains] */
  readonly diverged: Uint8Array;
}

/**
 * Rejection sampling from the init distribution (Valle-Pérez et al. 2019): sample s is the vector
 * drawn from the key (seed, s, PURPOSE_PRIOR), parameter k at the slot of its index in the
 * with-bias layout (src/core/init.ts's drawInit). A sample is accepted when its network labels
 * every training row as the task does. Binary tasks (one logit) only.
 */
export interface PriorSpec {
  readonly layout: ModelLayout;
  readonly task: Task;
  readonly dist: InitDist;
  readonly scale: number;
  readonly seed: number;
  /** global index of the first sample, so a long run goes in chunks */
  readonly firstSample: number;
  readonly samples: number;
}

export interface PriorResult {
  /** global indices of the accepted samples, ascending */
  readonly accepted: Uint32Array;
  /**
   * the function each accepted sample computes, [accepted][words]: bit r (of word ⌊r/32⌋, least
   * significant first) is 1 where the logit on row r is > 0, rows the train set's then each probe's
   */
  readonly bits: Uint32Array;
}

export interface Engine {
  readonly kind: 'gpu' | 'cpu';
  /** the adapter or machine that runs it, in words */
  readonly device: string;
  startTraining(spec: TrainSpec): Promise<TrainingSession>;
  /** Metrics at every grid point center + α·d1 + β·d2, row-major with α fastest. */
  evaluatePlane(spec: PlaneSpec, options?: RunOptions): Promise<Metrics>;
  /** Metrics at every point of every line, line by line with t fastest. */
  evaluateLines(spec: LinesSpec, options?: RunOptions): Promise<Metrics>;
  /** Runs SGLD chains around every centre (the local learning coefficient's sampler). */
  sampleSgld(spec: SgldSpec, options?: RunOptions): Promise<SgldResult>;
  /** Samples the init distribution and keeps the networks that fit the training set (the prior sampler). */
  samplePrior(spec: PriorSpec, options?: RunOptions): Promise<PriorResult>;
  /**
   * ∇L of every vector, [count][paramCount] particle-major, where L is the mean data loss over all
   * training rows (the loss `metrics` reports; weight decay is not part of it). A vector with a
   * non-finite entry gets non-finite gradients.
   */
  evaluateGradients(spec: GradientsSpec, options?: RunOptions): Promise<Float32Array>;
  /**
   * Compiles ahead what training this model needs (for `particles` particles, where given),
   * resolving to the kernel it will run (the GPU engine: 'unrolled', 'looped' or 'batched');
   * engines with nothing to compile leave it out.
   */
  prepare?(layout: ModelLayout, optimizer: OptimizerName, loss?: LossName, particles?: number): Promise<string>;
  dispose(): void;
}
