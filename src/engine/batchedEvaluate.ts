import type { Metrics } from '../core/engine';
import { CancelledError } from '../core/errors';
import { layerSpans, type ModelLayout } from '../core/layout';
import { taskLoss, taskSets, taskTolerance, type Task } from '../core/task';
import { tiles } from './batchedKernels';
import { unitCount, workBytesLimit } from './batchedTrain';
import type { DeviceBuffers } from './deviceBuffers';
import type { Dispatcher } from './dispatch';
import { readBuffer } from './gpuBuffers';
import type { Kernels } from './kernels';
import type { ParamLayout } from './paramLayout';
import { PassRecorder } from './passRecorder';
import type { TaskData } from './taskUploads';

/** Rows of a set one pass takes at most: enough to fill a device with a few vectors, little memory. */
const ROW_CHUNK = 256;

/**
 * Loss and accuracy of `count` vectors held in `params` on every set of the task, on the batched
 * kernels (shaders/batched_evaluate.wgsl): for nets whose vectors do not fit an invocation's
 * private memory. Vectors go in groups and rows in chunks sized by memory; the sums run in row
 * order, so neither changes a result.
 */
export async function evaluateBatched(
  parts: { device: GPUDevice; buffers: DeviceBuffers; kernels: Kernels; dispatcher: Dispatcher },
  layout: ModelLayout,
  task: Task,
  data: TaskData,
  params: GPUBuffer,
  count: number,
  paramLayout: ParamLayout,
  signal?: AbortSignal,
): Promise<Metrics> {
  const { device, buffers, kernels } = parts;
  const pipelines = kernels.batchedEvaluate(layout, taskLoss(task));
  const sets = taskSets(task);
  const units = unitCount(layout);
  const spans = layerSpans(layout);
  const floats = Math.floor(workBytesLimit(device) / 4);
  const rows = Math.max(1, Math.min(ROW_CHUNK, Math.max(...sets.map((s) => s.rows)), Math.floor(floats / (3 * units + 2))));
  const group = Math.max(1, Math.min(count, Math.floor(floats / (rows * (3 * units + 2)))));
  const zSize = group * rows * units;
  const bytes = count * sets.length * 2 * 4;
  const recorder = new PassRecorder(device, buffers, 'batched evaluate');
  let work: GPUBuffer | undefined;
  let metrics: GPUBuffer | undefined;
  try {
    work = buffers.storage('batched evaluate work', (3 * zSize + 2 * group * rows) * 4);
    metrics = buffers.storage('metrics', bytes);
    const entries = [data.x, data.y, params, work, metrics].map((buffer, k) => ({ binding: k + 1, resource: { buffer } }));
    recorder.use(
      device.createBindGroup({
        label: 'batched evaluate bind group',
        layout: pipelines.bindings,
        entries: [{ binding: 0, resource: recorder.uniformBinding }, ...entries],
      }),
    );
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
      sets: sets.length,
      tolerance: taskTolerance(task),
      nan: NaN,
    };
    for (let offset = 0; offset < count; offset += group) {
      // one group's passes at a time, so a stop waits for one group, not for every group queued
      if (offset > 0) await device.queue.onSubmittedWorkDone();
      if (signal?.aborted) throw new CancelledError();
      // a lost device or a validation error would otherwise read back as zeros
      parts.dispatcher.check();
      const n = Math.min(group, count - offset);
      let first = 0;
      sets.forEach((set, s) => {
        for (let r0 = 0; r0 < set.rows; r0 += rows) {
          const r = Math.min(rows, set.rows - r0);
          const values = {
            ...base,
            particle_offset: offset,
            count: n,
            set_index: s,
            set_first: first,
            batch_rows: set.rows,
            row_first: first + r0,
            rows: r,
          };
          recorder.add(pipelines.passes.load_inputs, { ...values, layer: 0 }, n * r * layout.widths[0]);
          spans.forEach((span, l) => recorder.add(pipelines.passes.forward_layer, { ...values, layer: l }, n * tiles(r) * tiles(span.fanOut)));
          recorder.add(pipelines.passes.row_metrics, { ...values, layer: 0 }, n * r);
          recorder.add(pipelines.passes.accumulate, { ...values, layer: 0 }, n);
        }
        first += set.rows;
      });
      recorder.flush();
    }
    const values = new Float32Array(await readBuffer(device, metrics, bytes));
    parts.dispatcher.check();
    return values;
  } finally {
    recorder.dispose();
    buffers.release(...[work, metrics].filter((b) => b !== undefined));
  }
}
