import type { Metrics, RunOptions } from '../core/engine';
import { flopsPerEvaluation, layerSpans, type ModelLayout } from '../core/layout';
import { taskLoss, taskSets, taskTolerance, type Task } from '../core/task';
import { ANALYSIS_ONLY } from './batchedKernels';
import { forwardInvocations } from './batchedTiles';
import { unitCount, workBytesLimit } from './batchedTrain';
import { Chunker, firstChunk, modelKey } from './chunker';
import type { DeviceBuffers } from './deviceBuffers';
import type { Dispatcher } from './dispatch';
import { readBuffer } from './gpuBuffers';
import type { Kernels } from './kernels';
import type { ParamLayout } from './paramLayout';
import { PassRecorder } from './passRecorder';
import type { TaskData } from './taskUploads';

/** Rows of a set one pass takes at most: enough to fill a device with a few vectors, little memory. */
const ROW_CHUNK = 256;

export interface BatchedEvaluationParts {
  readonly device: GPUDevice;
  readonly buffers: DeviceBuffers;
  readonly kernels: Kernels;
  readonly dispatcher: Dispatcher;
  readonly targetDispatchMs: number;
}

/** What one model's evaluations keep between calls: the pass recorder, the work buffer (grown, never shrunk) and the slice timer. */
interface Kept {
  readonly recorder: PassRecorder;
  work: GPUBuffer | undefined;
  workBytes: number;
  readonly chunker: Chunker;
}

/** One slice of an evaluation: rows r0 … r0 + r − 1 of set `s` for vectors offset … offset + n − 1. */
interface Slice {
  offset: number;
  n: number;
  s: number;
  first: number;
  rows: number;
  r0: number;
  r: number;
}

/**
 * Loss and accuracy of many vectors on every set of a task, on the batched kernels
 * (shaders/batched_evaluate.wgsl): for nets whose vectors do not fit an invocation's private
 * memory. Vectors go in groups and rows in chunks sized by memory, and the (group, row chunk)
 * slices are submitted in timed chunks, as every other kernel's work, so a stop or a frame waits
 * for one chunk. Each slice's running sums continue in row order, so neither the groups, the row
 * chunks nor the timed split change a result. The recorder and work buffer of a model are kept
 * between calls (the sandbox evaluates every frame); concurrent calls may share them, since each
 * slice's passes are written and submitted together and the queue runs them in order.
 */
export class BatchedEvaluator {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly parts: BatchedEvaluationParts) {}

  private keptFor(layout: ModelLayout, task: Task, flopsPerSlice: number): Kept {
    const key = `${modelKey(layout)} ${taskLoss(task)}`;
    let kept = this.kept.get(key);
    if (!kept) {
      const { device, buffers, targetDispatchMs } = this.parts;
      kept = {
        recorder: new PassRecorder(device, buffers, 'batched evaluate'),
        work: undefined,
        workBytes: 0,
        chunker: new Chunker(targetDispatchMs, firstChunk(flopsPerSlice, 1 << 20)),
      };
      this.kept.set(key, kept);
    }
    return kept;
  }

  /** The kept work buffer of at least `bytes`. */
  private workOf(kept: Kept, bytes: number): GPUBuffer {
    if (!kept.work || kept.workBytes < bytes) {
      if (kept.work) this.parts.buffers.release(kept.work);
      kept.work = this.parts.buffers.storage('batched evaluate work', bytes);
      kept.workBytes = bytes;
    }
    return kept.work;
  }

  async evaluate(
    layout: ModelLayout,
    task: Task,
    data: TaskData,
    params: GPUBuffer,
    count: number,
    paramLayout: ParamLayout,
    options: RunOptions = {},
  ): Promise<Metrics> {
    const { device, buffers, kernels, dispatcher } = this.parts;
    const pipelines = kernels.batchedEvaluate(layout, taskLoss(task));
    const sets = taskSets(task);
    const units = unitCount(layout);
    const spans = layerSpans(layout);
    const floats = Math.floor(workBytesLimit(device) / 4);
    const rows = Math.max(1, Math.min(ROW_CHUNK, Math.max(...sets.map((s) => s.rows)), Math.floor(floats / (3 * units + 2))));
    const group = Math.max(1, Math.min(count, Math.floor(floats / (rows * (3 * units + 2)))));
    const zSize = group * rows * units;
    const bytes = count * sets.length * 2 * 4;
    const kept = this.keptFor(layout, task, group * flopsPerEvaluation(layout.widths, rows));
    const work = this.workOf(kept, (3 * zSize + 2 * group * rows) * 4);
    const { recorder } = kept;
    let metrics: GPUBuffer | undefined;
    try {
      metrics = buffers.storage('metrics', bytes);
      const entries = [data.x, data.y, params, work, metrics].map((buffer, k) => ({ binding: k + 1, resource: { buffer } }));
      const bindGroup = device.createBindGroup({
        label: 'batched evaluate bind group',
        layout: pipelines.bindings,
        entries: [{ binding: 0, resource: recorder.uniformBinding }, ...entries],
      });
      const base = {
        step_base: 0,
        s: 0,
        particles: count,
        noise_seed: 0,
        first_particle: 0,
        train_rows: 0,
        batch: 0,
        row_mode: 1,
        cell_size: count,
        beta1: 0,
        beta2: 0,
        particle_stride: paramLayout.particleStride,
        param_stride: paramLayout.paramStride,
        work_a: zSize,
        work_delta: 2 * zSize,
        work_extra: 3 * zSize,
        work_flags: 0,
        sets: sets.length,
        tolerance: taskTolerance(task),
        nan: NaN,
        ...ANALYSIS_ONLY,
      };
      const slices: Slice[] = [];
      for (let offset = 0; offset < count; offset += group) {
        let first = 0;
        sets.forEach((set, s) => {
          for (let r0 = 0; r0 < set.rows; r0 += rows)
            slices.push({ offset, n: Math.min(group, count - offset), s, first, rows: set.rows, r0, r: Math.min(rows, set.rows - r0) });
          first += set.rows;
        });
      }
      const submit = (from: number, n: number) => {
        recorder.use(bindGroup);
        for (const { offset, n: v, s, first, rows: setRows, r0, r } of slices.slice(from, from + n)) {
          const values = {
            ...base,
            particle_offset: offset,
            count: v,
            set_index: s,
            set_first: first,
            batch_rows: setRows,
            row_first: first + r0,
            rows: r,
          };
          recorder.add(pipelines.passes.load_inputs, { ...values, layer: 0 }, v * r * layout.widths[0]);
          spans.forEach((span, l) =>
            recorder.add(pipelines.passes.forward_layer, { ...values, layer: l }, forwardInvocations(pipelines.tiles, v, r, span)),
          );
          recorder.add(pipelines.passes.row_metrics, { ...values, layer: 0 }, v * r);
          recorder.add(pipelines.passes.accumulate, { ...values, layer: 0 }, v);
        }
        recorder.flush();
      };
      // a lost device or a validation error would otherwise read back as zeros: the dispatcher checks after each chunk
      await dispatcher.chunked(slices.length, kept.chunker, submit, { signal: options.signal });
      const values = new Float32Array(await readBuffer(device, metrics, bytes));
      dispatcher.check();
      return values;
    } finally {
      if (metrics) buffers.release(metrics);
    }
  }

  /** Buffers kept between calls, handed back (the engine's dispose releases them too). */
  dispose(): void {
    for (const kept of this.kept.values()) {
      kept.recorder.dispose();
      if (kept.work) this.parts.buffers.release(kept.work);
    }
    this.kept.clear();
  }
}
