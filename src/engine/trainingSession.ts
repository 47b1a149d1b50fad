import type { Metrics, RunOptions, TrainingSession, TrainSpec } from '../core/engine';
import { flopsPerParticleStep, isAdam, paramCount } from '../core/layout';
import { adamBetas, adamCorrections, hyperTable } from '../core/optimizer';
import { checkCells } from '../core/trainSpec';
import type { BatchedPipelines, BatchedTrainPass } from './batchedKernels';
import { BatchedTrainer } from './batchedTrain';
import { Chunker, firstChunk, keptChunker, modelKey } from './chunker';
import type { DeviceBuffers } from './deviceBuffers';
import { MAX_WORKGROUPS, WORKGROUP_SIZE, type Dispatcher } from './dispatch';
import type { Evaluator } from './evaluation';
import { bindBuffers, readBuffer } from './gpuBuffers';
import { TRAIN_UNIFORMS } from './kernelUniforms';
import type { TrainKernel } from './kernels';
import { fromLayout, toLayout, type ParamLayout } from './paramLayout';
import type { TaskData, TaskUploads } from './taskUploads';

/** What a training session needs of the engine. */
export interface SessionParts {
  readonly device: GPUDevice;
  readonly buffers: DeviceBuffers;
  readonly dispatcher: Dispatcher;
  readonly tasks: TaskUploads;
  readonly evaluator: Evaluator;
  readonly targetDispatchMs: number;
  /** the most particles one dispatch takes (tests lower it to force groups) */
  readonly maxDispatchParticles: number;
  /** the most bytes a batched work buffer takes (tests lower it to force row chunks) */
  readonly maxWorkBytes?: number;
  /**
   * The engine's training chunkers by model, batch, optimizer and kernel: a session starts at the
   * speed its kind last ran at, not from a first chunk small enough for any device (a hyper map
   * trains hundreds of short sessions of one kind, each of which began again from that small chunk).
   */
  readonly trainChunkers: Map<string, Chunker>;
}

/** Steps one dispatch may take: the length of the Adam corrections table it reads. */
const MAX_STEPS_PER_DISPATCH = 4096;
/** Steps a group of particles aims at per dispatch, when not every particle fits in one. */
const GROUP_STEPS = 16;
/**
 * The smallest group of particles, so that a group still fills a device, where the chunker's
 * budget allows it: a big net on a slow device gets smaller groups, down to one particle for one
 * step, since a dispatch cannot be stopped once submitted.
 */
const MIN_GROUP = 512;

/** An ensemble being trained on the device: parameters, optimizer state and flags stay there between calls. */
export class GpuTrainingSession implements TrainingSession {
  stepsDone = 0;
  private readonly paramsBuffer: GPUBuffer;
  private readonly stateBuffer: GPUBuffer;
  private readonly divergedBuffer: GPUBuffer;
  private readonly correctionsBuffer: GPUBuffer;
  /** the steps the corrections table holds now: correctionsFrom … + correctionsSteps − 1 */
  private correctionsFrom = -1;
  private correctionsSteps = 0;
  private readonly hyperTableBuffer: GPUBuffer;
  private readonly uniformBuffer: GPUBuffer;
  private readonly task: TaskData;
  /** the per-particle kernels' bind group, or the batched trainer (big nets) that binds its own */
  private readonly bindGroup: GPUBindGroup | undefined;
  private readonly batched: BatchedTrainer | undefined;
  /** counts particle-steps; starts with what FIRST_CHUNK_FLOPS allows, at most one step of 4096 particles */
  private readonly chunker: Chunker;
  private readonly p: number;
  private disposed = false;

  constructor(
    private readonly parts: SessionParts,
    private readonly spec: TrainSpec,
    /** the per-particle kernels, or the batched ones where the engine chose them for this model and population (src/engine/trainerChoice.ts) */
    private readonly kernel: TrainKernel | BatchedPipelines<BatchedTrainPass>,
    private readonly layout: ParamLayout,
  ) {
    const { particles, hyper } = spec;
    const { buffers } = parts;
    checkCells(spec);
    this.p = paramCount(spec.layout);
    const rows = hyper.batch === 'full' ? spec.task.train.rows : hyper.batch;
    const key = `${modelKey(spec.layout)} ${rows} ${hyper.optimizer} ${'passes' in kernel ? 'batched' : 'per-particle'}`;
    this.chunker = keptChunker(
      parts.trainChunkers,
      key,
      () => new Chunker(parts.targetDispatchMs, firstChunk(flopsPerParticleStep(spec.layout.widths, rows, hyper.optimizer), 4096)),
    );
    // every buffer is made (or refused beyond the device's limits) before anything is copied;
    // a refusal releases what was made
    const stateBytes = hyper.optimizer === 'sgd' ? 4 : particles * 2 * this.p * 4;
    this.task = parts.tasks.acquire(spec.task);
    try {
      this.paramsBuffer = buffers.storage('particle parameters', spec.init.byteLength);
      this.stateBuffer = buffers.storage('optimizer state', stateBytes);
      this.divergedBuffer = buffers.storage('diverged flags', particles * 4);
      this.correctionsBuffer = buffers.storage('adam corrections', isAdam(hyper.optimizer) ? MAX_STEPS_PER_DISPATCH * 8 : 8);
      // a row per cell: each layer's lr × multiplier (multiplied in float64 and rounded once, as
      // the CPU engine's), weight decay, momentum
      const layers = spec.layout.widths.length - 1;
      const table = Float32Array.from(hyperTable(spec.cells?.hypers ?? [hyper], layers));
      this.hyperTableBuffer = buffers.storage('hyper table', table);
      this.uniformBuffer = buffers.uniform('train uniforms', TRAIN_UNIFORMS);
      if ('passes' in kernel) {
        const bound = {
          x: this.task.x,
          y: this.task.y,
          params: this.paramsBuffer,
          state: this.stateBuffer,
          diverged: this.divergedBuffer,
          corrections: this.correctionsBuffer,
          hyperTable: this.hyperTableBuffer,
        };
        this.batched = new BatchedTrainer(parts.device, buffers, kernel, spec, bound, layout, parts.maxWorkBytes);
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
    // (a SharedArrayBuffer-backed init is fine too: writeBuffer copies it)
    parts.device.queue.writeBuffer(this.paramsBuffer, 0, toLayout(spec.init, particles, this.p, layout) as Float32Array<ArrayBuffer>);
    const bound = [
      this.uniformBuffer,
      this.task.x,
      this.task.y,
      this.paramsBuffer,
      this.stateBuffer,
      this.divergedBuffer,
      this.correctionsBuffer,
      this.hyperTableBuffer,
    ];
    if (!('passes' in kernel)) this.bindGroup = bindBuffers(parts.device, 'train bind group', kernel.bindings, bound);
  }

  get particles(): number {
    return this.spec.particles;
  }

  /**
   * The chunker counts particle-steps; a dispatch takes about the target's worth. On SwiftShader a
   * dispatch costs about a step per particle on top of its steps (docs/PERFORMANCE.md, items 16
   * and 20), so a dispatch should take many steps: when one step of every particle is already most
   * of a dispatch (16,384 particles of a 32-32 net there), the particles go in groups, each group
   * GROUP_STEPS steps per dispatch, round by round, so every particle has the same steps done at
   * the end of a round. A fast device takes every particle in one dispatch of many steps.
   */
  async advance(steps: number, options: RunOptions = {}): Promise<void> {
    const { dispatcher } = this.parts;
    const { particles } = this.spec;
    const start = this.stepsDone;
    const end = start + steps;
    const maxGroup = Math.min(particles, MAX_WORKGROUPS * WORKGROUP_SIZE, this.parts.maxDispatchParticles, this.batched?.group ?? Infinity);
    while (this.stepsDone < end) {
      const step = this.stepsDone;
      const left = end - step;
      const units = this.chunker.next(left * particles);
      const aimed = Math.floor(units / Math.min(left, GROUP_STEPS) / WORKGROUP_SIZE) * WORKGROUP_SIZE;
      const group = Math.min(maxGroup, Math.max(Math.min(MIN_GROUP, units), aimed));
      const k = Math.max(1, Math.min(left, MAX_STEPS_PER_DISPATCH, Math.floor(units / group)));
      for (let offset = 0; offset < particles; offset += group) {
        const n = Math.min(group, particles - offset);
        await dispatcher.timed(n * k, this.chunker, () => this.dispatch(step, k, offset, n), options.signal);
        if (n < particles) options.onProgress?.((step - start + (k * (offset + n)) / particles) / steps);
      }
      this.stepsDone = step + k;
      options.onProgress?.((this.stepsDone - start) / steps);
    }
  }

  /** Steps stepBase .. stepBase+steps-1 of particles offset .. offset+count-1. */
  private dispatch(stepBase: number, steps: number, offset: number, count: number): void {
    const { device, dispatcher } = this.parts;
    const { hyper, task, particles, noiseSeed, firstParticle } = this.spec;
    const betas = adamBetas(hyper);
    // the table of steps stepBase … : written once a round, not again for each group of the round
    if (isAdam(hyper.optimizer) && (stepBase !== this.correctionsFrom || steps > this.correctionsSteps)) {
      const table = new Float32Array(2 * steps);
      for (let s = 0; s < steps; s++) table.set(adamCorrections(stepBase + s + 1, betas), 2 * s);
      device.queue.writeBuffer(this.correctionsBuffer, 0, table);
      this.correctionsFrom = stepBase;
      this.correctionsSteps = steps;
    }
    if (this.batched) {
      this.batched.submit(stepBase, steps, offset, count);
      return;
    }
    const uniforms = TRAIN_UNIFORMS.pack({
      step_base: stepBase,
      steps,
      particles,
      noise_seed: noiseSeed >>> 0,
      first_particle: firstParticle >>> 0,
      train_rows: task.train.rows,
      batch: hyper.batch === 'full' ? 0 : hyper.batch,
      cell_size: this.spec.cells?.size ?? particles,
      beta1: betas[0],
      beta2: betas[1],
      particle_offset: offset,
      particle_end: offset + count,
      particle_stride: this.layout.particleStride,
      param_stride: this.layout.paramStride,
    });
    device.queue.writeBuffer(this.uniformBuffer, 0, uniforms);
    dispatcher.submit('train', (this.kernel as TrainKernel).current(), this.bindGroup!, Math.ceil(count / WORKGROUP_SIZE));
  }

  metrics(options: RunOptions = {}): Promise<Metrics> {
    const { signal } = options;
    return this.parts.evaluator.vectors(this.spec.layout, this.spec.task, this.paramsBuffer, this.spec.particles, this.layout, { signal });
  }

  async params(): Promise<Float32Array> {
    const { particles } = this.spec;
    const data = new Float32Array(await readBuffer(this.parts.device, this.paramsBuffer, particles * this.p * 4));
    return fromLayout(data, particles, this.p, this.layout);
  }

  async diverged(): Promise<Uint8Array> {
    return Uint8Array.from(new Uint32Array(await readBuffer(this.parts.device, this.divergedBuffer, this.spec.particles * 4)));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.batched?.dispose();
    // (some may be missing when the constructor failed half-way)
    const mine = [
      this.paramsBuffer,
      this.stateBuffer,
      this.divergedBuffer,
      this.correctionsBuffer,
      this.hyperTableBuffer,
      this.uniformBuffer,
    ];
    this.parts.buffers.release(...mine.filter((b) => b !== undefined));
    this.parts.tasks.release(this.task);
  }
}
