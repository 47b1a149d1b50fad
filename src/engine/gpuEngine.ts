import type { BatchedTiles } from './batchedTiles';
import type {
  Engine,
  GradientsSpec,
  LinesSpec,
  Metrics,
  PlaneSpec,
  PriorResult,
  PriorSpec,
  RunOptions,
  SgldResult,
  SgldSpec,
  TrainingSession,
  TrainSpec,
} from '../core/engine';
import { paramCount, type LossName, type ModelLayout, type OptimizerName } from '../core/layout';
import { taskLoss } from '../core/task';
import { Chunker } from './chunker';
import { DeviceBuffers } from './deviceBuffers';
import { Dispatcher } from './dispatch';
import { Evaluator } from './evaluation';
import { GradientEvaluator } from './gradients';
import { Kernels, type TrainKernelKind } from './kernels';
import { deviceLayout } from './paramLayout';
import { samplePriorBatched } from './batchedPrior';
import { samplePriorGpu } from './priorSampler';
import { sampleSgldBatched } from './batchedSgld';
import { sampleSgldGpu } from './sgldSampler';
import type { ShaderLibrary } from './shaderLibrary';
import { TaskUploads } from './taskUploads';
import { chooseTrainer, PER_PARTICLE_MAX_PARAMS, type TrainerKind } from './trainerChoice';

import { GpuTrainingSession } from './trainingSession';

/** Aim of one dispatch's duration: under a laptop GPU watchdog, over the submit overhead. */
const TARGET_DISPATCH_MS = 50;

export interface GpuEngineOptions {
  /** how long one dispatch should take; tests shrink it to force the smallest chunks */
  readonly targetDispatchMs?: number;
  /** whether to use the generated unrolled kernels where the model is small enough; tests turn it off to check the looped ones */
  readonly unroll?: boolean;
  /** the most particles one training dispatch takes; tests lower it to force groups of particles */
  readonly maxDispatchParticles?: number;
  /** how particle buffers are laid out on the device (src/engine/paramLayout.ts); src/bench/experiments/paramLayout.ts compares both */
  readonly paramLayout?: 'parameter-major' | 'particle-major';
  /** which training kernels to use: 'auto' chooses by model size and particle count (src/engine/trainerChoice.ts); tests force one */
  readonly trainer?: 'auto' | TrainerKind;
  /** the most bytes the batched trainer's and SGLD's work buffers take (not the gradients', prior's or evaluation's); tests lower it to force every step into row chunks */
  readonly maxWorkBytes?: number;
  /** the batched kernels' matrix tiles (src/engine/batchedTiles.ts BATCHED_TILES); tests try others */
  readonly tiles?: BatchedTiles;
}

/**
 * The WebGPU engine: core's Engine interface on a GPUDevice its caller provides (browser worker,
 * CLI, tests). A thin front over its rooms: kernels (compiled pipelines), task uploads, device
 * buffers, the dispatcher (the one submit path and the chunked loop), evaluation, gradients and the
 * training session.
 */
export class GpuEngine implements Engine {
  readonly kind = 'gpu' as const;
  private readonly buffers: DeviceBuffers;
  private readonly dispatcher: Dispatcher;
  private readonly kernels: Kernels;
  private readonly tasks: TaskUploads;
  private readonly evaluator: Evaluator;
  private readonly gradientEvaluator: GradientEvaluator;
  private readonly targetDispatchMs: number;
  /** training chunkers shared by this engine's sessions (SessionParts.trainChunkers) */
  private readonly trainChunkers = new Map<string, Chunker>();
  private readonly paramLayout: 'parameter-major' | 'particle-major';
  private readonly maxDispatchParticles: number;
  private readonly trainer: 'auto' | TrainerKind;
  private readonly maxWorkBytes: number | undefined;

  constructor(
    readonly gpu: GPUDevice,
    shaders: ShaderLibrary,
    readonly device: string,
    options: GpuEngineOptions = {},
  ) {
    this.targetDispatchMs = options.targetDispatchMs ?? TARGET_DISPATCH_MS;
    this.paramLayout = options.paramLayout ?? 'parameter-major';
    this.maxDispatchParticles = options.maxDispatchParticles ?? Infinity;
    this.trainer = options.trainer ?? 'auto';
    this.maxWorkBytes = options.maxWorkBytes;
    this.buffers = new DeviceBuffers(gpu);
    this.dispatcher = new Dispatcher(gpu);
    this.kernels = new Kernels(gpu, shaders, options.unroll ?? true, options.tiles);
    this.tasks = new TaskUploads(this.buffers);
    this.evaluator = new Evaluator(this.parts());
    this.gradientEvaluator = new GradientEvaluator(this.parts(), (layout) => this.analysisBatched(layout));
  }

  /**
   * Compiles the fastest training kernel for this model ahead of use, resolving to its kind:
   * 'unrolled', or 'looped' where the model is too large or the compile failed, or 'batched'
   * where the batched trainer will run: past what the per-particle kernels take, or, given the
   * population, where trainerFor chooses it. Only what will run is compiled: the unrolled
   * kernel's compile takes seconds of a CPU device's cores that the batched run needs.
   */
  prepare(
    layout: ModelLayout,
    optimizer: OptimizerName,
    loss: LossName = 'cross-entropy',
    particles?: number,
  ): Promise<TrainKernelKind | 'batched'> {
    this.dispatcher.check();
    const batched =
      particles === undefined ? paramCount(layout) > PER_PARTICLE_MAX_PARAMS : this.trainerFor(layout, particles) === 'batched';
    if (batched) {
      this.kernels.batchedTrain(layout, optimizer, loss);
      return Promise.resolve('batched');
    }
    return this.kernels.train(layout, optimizer, loss).ready;
  }

  /** The training kernels this engine uses for a model and population. */
  trainerFor(layout: ModelLayout, particles: number): TrainerKind {
    return chooseTrainer(layout, particles, this.trainer);
  }

  async startTraining(spec: TrainSpec): Promise<TrainingSession> {
    this.dispatcher.check();
    const layout = deviceLayout(spec.particles, paramCount(spec.layout), this.paramLayout);
    const parts = {
      ...this.parts(),
      evaluator: this.evaluator,
      maxDispatchParticles: this.maxDispatchParticles,
      trainChunkers: this.trainChunkers,
    };
    if (this.trainerFor(spec.layout, spec.particles) === 'batched') {
      return new GpuTrainingSession(parts, spec, this.kernels.batchedTrain(spec.layout, spec.hyper.optimizer, taskLoss(spec.task)), layout);
    }
    const kernel = this.kernels.train(spec.layout, spec.hyper.optimizer, taskLoss(spec.task));
    // small nets compile in a few seconds at most: wait, so every step runs the same kernel
    if (Kernels.awaitsUnrolled(spec.layout)) await kernel.ready;
    return new GpuTrainingSession(parts, spec, kernel, layout);
  }

  evaluatePlane(spec: PlaneSpec, options: RunOptions = {}): Promise<Metrics> {
    this.dispatcher.check();
    return this.evaluator.plane(spec, options);
  }

  evaluateLines(spec: LinesSpec, options: RunOptions = {}): Promise<Metrics> {
    this.dispatcher.check();
    return this.evaluator.lines(spec, options);
  }

  /**
   * Whether full-batch gradients, SGLD and the prior sampler run on the batched kernels: past what the per-particle
   * kernels hold, or everywhere where a test forces the batched trainer.
   */
  private analysisBatched(layout: ModelLayout): boolean {
    return this.trainer === 'batched' || paramCount(layout) > PER_PARTICLE_MAX_PARAMS;
  }

  evaluateGradients(spec: GradientsSpec, options: RunOptions = {}): Promise<Float32Array> {
    this.dispatcher.check();
    return this.gradientEvaluator.gradients(spec, options);
  }

  sampleSgld(spec: SgldSpec, options: RunOptions = {}): Promise<SgldResult> {
    this.dispatcher.check();
    const parts = { ...this.parts(), evaluator: this.evaluator };
    return this.analysisBatched(spec.layout) ? sampleSgldBatched(parts, spec, options) : sampleSgldGpu(parts, spec, options);
  }

  samplePrior(spec: PriorSpec, options: RunOptions = {}): Promise<PriorResult> {
    this.dispatcher.check();
    return this.analysisBatched(spec.layout)
      ? samplePriorBatched(this.parts(), spec, options)
      : samplePriorGpu(this.parts(), spec, options);
  }

  /** Buffers alive on the device now: task uploads, sessions not yet disposed, work in flight. */
  get liveBuffers(): number {
    return this.buffers.live;
  }

  dispose(): void {
    this.buffers.releaseAll();
    this.tasks.clear();
    this.kernels.clear();
    this.dispatcher.dispose();
  }

  private parts() {
    const { gpu: device, buffers, dispatcher, kernels, tasks, targetDispatchMs, maxWorkBytes } = this;
    return { device, buffers, dispatcher, kernels, tasks, targetDispatchMs, maxWorkBytes };
  }
}
