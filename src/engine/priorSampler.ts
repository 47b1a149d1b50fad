import { domainRows, functionWords, priorProblem } from '../core/instruments/prior/priorSampler';
import { flopsPerEvaluation } from '../core/layout';
import type { PriorResult, PriorSpec, RunOptions } from '../core/engine';
import { Chunker, firstChunk } from './chunker';
import type { DeviceBuffers } from './deviceBuffers';
import { MAX_WORKGROUPS, WORKGROUP_SIZE, type Dispatcher } from './dispatch';
import { bindBuffers, readBuffer } from './gpuBuffers';
import { PRIOR_UNIFORMS } from './kernelUniforms';
import type { Kernels } from './kernels';
import type { TaskUploads } from './taskUploads';

/** What the prior sampler needs of the engine. */
export interface PriorParts {
  readonly device: GPUDevice;
  readonly buffers: DeviceBuffers;
  readonly dispatcher: Dispatcher;
  readonly kernels: Kernels;
  readonly tasks: TaskUploads;
  readonly targetDispatchMs: number;
}

/** The most samples one dispatch takes: its results buffer must hold every one accepted (an empty training set accepts all). */
const MAX_CHUNK = 1 << 18;

/**
 * The prior sampler on the device (shaders/prior.wgsl): samples in timed dispatches, each
 * appending its accepted samples to a results buffer that is read back (count first, then only
 * what was appended) before the next, so progress and cancellation come between dispatches and
 * only accepted samples cross the bus.
 */
export async function samplePriorGpu(parts: PriorParts, spec: PriorSpec, options: RunOptions = {}): Promise<PriorResult> {
  const { device, buffers, dispatcher, kernels, tasks } = parts;
  const { layout, task, samples } = spec;
  const problem = priorProblem(layout, task, spec.dist);
  if (problem) throw new Error(problem);
  const rows = domainRows(task);
  const words = functionWords(rows);
  const record = 1 + words;
  const maxChunk = Math.min(MAX_CHUNK, MAX_WORKGROUPS * WORKGROUP_SIZE, samples);
  const made: GPUBuffer[] = [];
  const data = tasks.acquire(task);
  try {
    const found = buffers.storage('prior accepted samples', 4 * (1 + maxChunk * record));
    made.push(found);
    const uniforms = buffers.uniform('prior uniforms', PRIOR_UNIFORMS);
    made.push(uniforms);
    const pipeline = kernels.prior(layout);
    const bindGroup = bindBuffers(device, 'prior bind group', pipeline.getBindGroupLayout(0), [uniforms, data.x, data.y, found]);
    const accepted: number[] = [];
    const chunks: Uint32Array[] = [];
    const zero = new Uint32Array(1);
    const submit = (first: number, count: number) => {
      device.queue.writeBuffer(found, 0, zero);
      const values = {
        first_sample: (spec.firstSample + first) >>> 0,
        count,
        seed: spec.seed >>> 0,
        gaussian: spec.dist === 'gaussian' ? 1 : 0,
        scale: spec.scale,
        train_rows: task.train.rows,
        rows,
        words,
      };
      device.queue.writeBuffer(uniforms, 0, PRIOR_UNIFORMS.pack(values));
      dispatcher.submit('prior', pipeline, bindGroup, Math.ceil(count / WORKGROUP_SIZE));
    };
    const after = async () => {
      const n = new Uint32Array(await readBuffer(device, found, 4))[0];
      if (n === 0) return;
      const got = new Uint32Array(await readBuffer(device, found, 4 * n * record, 4));
      chunks.push(got);
    };
    await dispatcher.chunked(
      samples,
      new Chunker(parts.targetDispatchMs, firstChunk(flopsPerEvaluation(layout.widths, rows), Math.min(maxChunk, 256))),
      submit,
      {
        ...options,
        maxChunk,
        after,
      },
    );
    // appends come in any order: sort by sample index, so every engine returns the same list
    const order: [number, Uint32Array, number][] = [];
    for (const got of chunks) for (let k = 0; k < got.length; k += record) order.push([got[k], got, k]);
    order.sort((a, b) => a[0] - b[0]);
    const bits = new Uint32Array(order.length * words);
    order.forEach(([s, got, k], i) => {
      accepted.push(s);
      bits.set(got.subarray(k + 1, k + record), i * words);
    });
    return { accepted: Uint32Array.from(accepted), bits };
  } finally {
    buffers.release(...made);
    tasks.release(data);
  }
}
