import type { TrainSpec } from '../core/engine';
import { UserError } from '../core/errors';
import { layerSpans, paramCount, type ModelLayout } from '../core/layout';
import { adamBetas } from '../core/optimizer';
import { ANALYSIS_ONLY, FLAG_WORDS, updateInvocations, type BatchedPipelines, type BatchedTrainPass } from './batchedKernels';
import { backwardInvocations, forwardInvocations, gradientInvocations } from './batchedTiles';
import type { DeviceBuffers } from './deviceBuffers';
import type { ParamLayout } from './paramLayout';
import { PassRecorder } from './passRecorder';

/** The most bytes one work buffer takes, below the device's binding limit: enough to fill a device, not all its memory. */
const WORK_BYTES_CAP = 256 * 2 ** 20;

/** The bytes a batched kernel's work buffer may take on this device; `cap` (tests) lowers it to force row chunks. */
export function workBytesLimit(device: GPUDevice, cap = WORK_BYTES_CAP): number {
  return Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize, cap);
}

/** Units of the network, inputs included: one slot each of z, a and delta per (particle, row). */
export const unitCount = (layout: ModelLayout): number => layout.widths.reduce((s, w) => s + w, 0);

/**
 * How the batched trainer slices one step: `rows` rows of the batch per pass (the whole batch
 * unless one particle's activations over it exceed the work buffer) and up to `group` particles
 * per dispatch. Memory sets both, never timing, and neither changes any result. `perRow` more
 * floats per (particle, row): SGLD keeps each row's loss (src/engine/batchedSgld.ts). Each
 * particle also holds its gradient and its divergence flags.
 */
export function batchedShape(
  layout: ModelLayout,
  batchRows: number,
  particles: number,
  limitBytes: number,
  perRow = 0,
): { rows: number; group: number } {
  const p = paramCount(layout);
  const units = unitCount(layout);
  const floats = Math.floor(limitBytes / 4);
  const perParticle = (rows: number) => (3 * units + perRow) * rows + p + FLAG_WORDS;
  if (perParticle(batchRows) <= floats) return { rows: batchRows, group: Math.min(particles, Math.floor(floats / perParticle(batchRows))) };
  const rows = Math.floor((floats - p - FLAG_WORDS) / (3 * units + perRow));
  if (rows < 1) {
    throw new UserError(
      `a ${layout.widths.join('-')} network needs ${(((3 * units + p) * 4) / 2 ** 20).toFixed(0)} MiB of work memory per particle, more than this device's ${(limitBytes / 2 ** 20).toFixed(0)} MiB storage-buffer binding: use a smaller network`,
    );
  }
  return { rows, group: 1 };
}

/** The session's buffers the batched trainer binds, in binding order 1 … 7. */
export interface SessionBuffers {
  readonly x: GPUBuffer;
  readonly y: GPUBuffer;
  readonly params: GPUBuffer;
  readonly state: GPUBuffer;
  readonly diverged: GPUBuffer;
  readonly corrections: GPUBuffer;
  readonly hyperTable: GPUBuffer;
}

/**
 * Training on the batched kernels (shaders/batched_train.wgsl): each step is a sequence of passes
 * over (particle, row, unit), with activations and gradients in a work buffer. Records the passes
 * of `steps` steps of a group of particles; the session times and chunks them as it does the
 * per-particle kernels.
 */
export class BatchedTrainer {
  readonly group: number;
  private readonly rows: number;
  private readonly batchRows: number;
  private readonly work: GPUBuffer;
  private readonly recorder: PassRecorder;

  constructor(
    device: GPUDevice,
    private readonly buffers: DeviceBuffers,
    private readonly pipelines: BatchedPipelines<BatchedTrainPass>,
    private readonly spec: TrainSpec,
    bound: SessionBuffers,
    private readonly layout: ParamLayout,
    maxWorkBytes?: number,
  ) {
    const { hyper, task, particles } = spec;
    this.batchRows = hyper.batch === 'full' ? task.train.rows : hyper.batch;
    const shape = batchedShape(spec.layout, this.batchRows, particles, workBytesLimit(device, maxWorkBytes));
    this.rows = shape.rows;
    this.group = shape.group;
    const p = paramCount(spec.layout);
    this.work = buffers.storage('batched work', this.group * (3 * this.rows * unitCount(spec.layout) + p + FLAG_WORDS) * 4);
    this.recorder = new PassRecorder(device, buffers, 'batched train');
    const { x, y, params, state, diverged, corrections, hyperTable } = bound;
    const entries = [x, y, params, state, diverged, corrections, hyperTable, this.work].map((buffer, k) => ({
      binding: k + 1,
      resource: { buffer },
    }));
    this.recorder.use(
      device.createBindGroup({
        label: 'batched train bind group',
        layout: pipelines.bindings,
        entries: [{ binding: 0, resource: this.recorder.uniformBinding }, ...entries],
      }),
    );
  }

  /** Records and submits steps stepBase … stepBase + steps − 1 of particles offset … offset + count − 1 (count ≤ group). */
  submit(stepBase: number, steps: number, offset: number, count: number): void {
    const { spec, rows: chunk, batchRows, pipelines, recorder } = this;
    const { hyper, task, particles, noiseSeed, firstParticle } = spec;
    const spans = layerSpans(spec.layout);
    const p = paramCount(spec.layout);
    const inputs = spec.layout.widths[0];
    const zSize = this.group * chunk * unitCount(spec.layout);
    const betas = adamBetas(hyper);
    const base = {
      step_base: stepBase,
      particles,
      noise_seed: noiseSeed >>> 0,
      first_particle: firstParticle >>> 0,
      train_rows: task.train.rows,
      batch: hyper.batch === 'full' ? 0 : hyper.batch,
      batch_rows: batchRows,
      row_mode: 0,
      cell_size: spec.cells?.size ?? particles,
      beta1: betas[0],
      beta2: betas[1],
      particle_offset: offset,
      count,
      particle_stride: this.layout.particleStride,
      param_stride: this.layout.paramStride,
      work_a: zSize,
      work_delta: 2 * zSize,
      work_extra: 3 * zSize,
      work_flags: 3 * zSize + this.group * p,
      set_index: 0,
      sets: 0,
      set_first: 0,
      tolerance: 0,
      nan: 0,
      ...ANALYSIS_ONLY,
    };
    const pass = (name: BatchedTrainPass, s: number, layer: number, rowFirst: number, rows: number, invocations: number) =>
      recorder.add(pipelines.passes[name], { ...base, s, layer, row_first: rowFirst, rows }, invocations);
    for (let s = 0; s < steps; s++) {
      for (let r0 = 0; r0 < batchRows; r0 += chunk) {
        const rows = Math.min(chunk, batchRows - r0);
        pass('load_inputs', s, 0, r0, rows, count * rows * inputs);
        spans.forEach((span, l) => pass('forward_layer', s, l, r0, rows, forwardInvocations(pipelines.tiles, count, rows, span)));
        pass('output_deltas', s, 0, r0, rows, count * rows);
        for (let l = spans.length - 1; l >= 1; l--)
          pass('backward_layer', s, l, r0, rows, backwardInvocations(pipelines.tiles, count, rows, spans[l]));
        spans.forEach((span, l) => pass('gradients', s, l, r0, rows, gradientInvocations(pipelines.tiles, count, span)));
      }
      pass('update', s, 0, 0, chunk, updateInvocations(count, p));
    }
    // the divergence flags of the submission's steps into particle_diverged (shaders/batched_train.wgsl)
    pass('settle', 0, 0, 0, chunk, count);
    recorder.flush();
  }

  dispose(): void {
    this.recorder.dispose();
    this.buffers.release(this.work);
  }
}
