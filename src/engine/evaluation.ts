import type { Metrics, PlaneSpec, RunOptions } from '../core/engine';
import { paramCount, type ModelLayout } from '../core/layout';
import type { Task } from '../core/task';
import { Chunker } from './chunker';
import type { DeviceBuffers } from './deviceBuffers';
import { MAX_WORKGROUPS, WORKGROUP_SIZE, type Dispatcher } from './dispatch';
import { bindBuffers, readBuffer } from './gpuBuffers';
import { EVALUATE_UNIFORMS, PLANE_UNIFORMS } from './kernelUniforms';
import type { Kernels } from './kernels';
import { parameterMajor, type ParamLayout } from './paramLayout';
import type { TaskUploads } from './taskUploads';

/** What evaluation needs of the engine. */
export interface EvaluationParts {
  readonly device: GPUDevice;
  readonly buffers: DeviceBuffers;
  readonly dispatcher: Dispatcher;
  readonly kernels: Kernels;
  readonly tasks: TaskUploads;
  readonly targetDispatchMs: number;
}

/** Loss and accuracy of many parameter vectors on every set of a task: of trained particles, of a plane's grid points. */
export class Evaluator {
  /** learns how long evaluating one vector takes on this device */
  private readonly chunker: Chunker;

  constructor(private readonly parts: EvaluationParts) {
    this.chunker = new Chunker(parts.targetDispatchMs, 4096);
  }

  /** Metrics of the `count` vectors held in `params` in `layout`, in timed chunks. */
  async vectors(
    layout: ModelLayout,
    task: Task,
    params: GPUBuffer,
    count: number,
    paramLayout: ParamLayout,
    options: RunOptions = {},
  ): Promise<Metrics> {
    const { device, buffers, dispatcher, kernels, tasks } = this.parts;
    const data = tasks.acquire(task);
    const bytes = count * data.sets * 2 * 4;
    const metrics = buffers.storage('metrics', bytes);
    const uniforms = buffers.uniform('evaluate uniforms', EVALUATE_UNIFORMS);
    const pipeline = kernels.evaluate(layout);
    const bindGroup = bindBuffers(device, 'evaluate bind group', pipeline.getBindGroupLayout(0), [
      uniforms,
      data.x,
      data.y,
      data.setRows,
      params,
      metrics,
    ]);
    try {
      const submit = (first: number, n: number) => {
        const values = {
          count,
          sets: data.sets,
          nan: NaN,
          offset: first,
          particle_stride: paramLayout.particleStride,
          param_stride: paramLayout.paramStride,
        };
        device.queue.writeBuffer(uniforms, 0, EVALUATE_UNIFORMS.pack(values));
        dispatcher.submit('evaluate', pipeline, bindGroup, Math.ceil(n / WORKGROUP_SIZE));
      };
      await dispatcher.chunked(count, this.chunker, submit, { signal: options.signal, maxChunk: MAX_WORKGROUPS * WORKGROUP_SIZE });
      return new Float32Array(await readBuffer(device, metrics, bytes));
    } finally {
      buffers.release(metrics, uniforms);
      tasks.release(data);
    }
  }

  /** Metrics at every grid point center + α·d1 + β·d2, row-major with α fastest. */
  async plane(spec: PlaneSpec, options: RunOptions = {}): Promise<Metrics> {
    const { device, buffers, dispatcher, kernels, targetDispatchMs } = this.parts;
    const { layout, task, plane, alphas, betas } = spec;
    const p = paramCount(layout.widths);
    const points = alphas.length * betas.length;
    const sets = 1 + task.probes.length;
    const maxChunk = Math.min(MAX_WORKGROUPS * WORKGROUP_SIZE, Math.floor(device.limits.maxStorageBufferBindingSize / (p * 4)));
    const chunkParams = buffers.storage('plane point parameters', Math.min(points, maxChunk) * p * 4);
    const inputs = [plane.center, plane.d1, plane.d2, alphas, betas].map((a, i) => buffers.storage(`plane input ${i}`, a));
    const uniforms = buffers.uniform('plane uniforms', PLANE_UNIFORMS);
    const fill = kernels.planeFill();
    const fillBind = bindBuffers(device, 'plane fill bind group', fill.getBindGroupLayout(0), [uniforms, ...inputs, chunkParams]);
    const out = new Float32Array(points * sets * 2);
    const fillChunker = new Chunker(targetDispatchMs, Math.min(maxChunk, 1024));
    try {
      const submit = (first: number, count: number) => {
        device.queue.writeBuffer(uniforms, 0, PLANE_UNIFORMS.pack({ first, count, res_alpha: alphas.length, n_params: p }));
        dispatcher.submit('plane fill', fill, fillBind, Math.ceil(count / WORKGROUP_SIZE), p);
      };
      // the fill writes the chunk parameter-major, the layout the evaluator reads fastest
      const after = async (first: number, count: number) => {
        out.set(await this.vectors(layout, task, chunkParams, count, parameterMajor(count)), first * sets * 2);
      };
      await dispatcher.chunked(points, fillChunker, submit, { ...options, maxChunk, after });
    } finally {
      buffers.release(chunkParams, ...inputs, uniforms);
    }
    return out;
  }
}
