import type { GradientsSpec, RunOptions } from '../core/engine';
import { flopsPerEvaluation, paramCount, type ModelLayout } from '../core/layout';
import { taskLoss, type Task } from '../core/task';
import { BatchedGradients } from './batchedGradients';
import { Chunker, firstChunk, keptChunker, modelKey } from './chunker';
import { MAX_WORKGROUPS, WORKGROUP_SIZE } from './dispatch';
import type { EvaluationParts } from './evaluation';
import { bindBuffers, readBuffer } from './gpuBuffers';
import { GRADIENT_UNIFORMS } from './kernelUniforms';
import { fromLayout, parameterMajor, toLayout } from './paramLayout';

/**
 * Full-training-set gradients of many parameter vectors at once (shaders/gradients.wgsl): the
 * primitive under sharpness, whose Hessian–vector products are central differences of them.
 */
export class GradientEvaluator {
  /**
   * How long a gradient takes on this device, one per kernel, model and training-set size (see
   * Evaluator): the per-vector kernel's count vectors, the batched kernels' (vector, row) pairs.
   */
  private readonly chunkers = new Map<string, Chunker>();

  /** the batched kernels' gradients, for nets past the per-particle kernel (or all, where `batched` says so) */
  private readonly batchedGradients: BatchedGradients;

  constructor(
    private readonly parts: EvaluationParts,
    /** whether a net of this size takes the batched kernels */
    private readonly batched: (layout: ModelLayout) => boolean,
  ) {
    this.batchedGradients = new BatchedGradients(parts);
  }

  private chunkerFor(layout: ModelLayout, task: Task, batched: boolean): Chunker {
    const key = `${batched ? 'batched' : 'per-vector'} ${modelKey(layout)} ${task.train.rows}`;
    return keptChunker(this.chunkers, key, () => {
      // a gradient costs about three forward passes: over the training set (per vector), over one row (batched)
      const first = batched ? BatchedGradients.firstChunk(layout) : firstChunk(3 * flopsPerEvaluation(layout.widths, task.train.rows), 256);
      return new Chunker(this.parts.targetDispatchMs, first);
    });
  }

  /** ∇L of every vector, [count][P] particle-major; slabs as large as one storage binding allows. */
  async gradients(spec: GradientsSpec, options: RunOptions = {}): Promise<Float32Array> {
    const { layout, task, vectors } = spec;
    const { limits } = this.parts.device;
    const p = paramCount(layout);
    const count = vectors.length / p;
    const perSlab = Math.max(1, Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / (p * 4)));
    const out = new Float32Array(vectors.length);
    for (let first = 0; first < count; first += perSlab) {
      const n = Math.min(perSlab, count - first);
      const onProgress = (f: number) => options.onProgress?.((first + f * n) / count);
      const slab = vectors.subarray(first * p, (first + n) * p);
      out.set(await this.slab(layout, task, slab, n, { signal: options.signal, onProgress }), first * p);
    }
    return out;
  }

  /** One slab: uploaded parameter-major (neighbouring invocations read neighbouring addresses), chunked dispatches, one readback. */
  private async slab(layout: ModelLayout, task: Task, vectors: Float32Array, n: number, options: RunOptions): Promise<Float32Array> {
    if (this.batched(layout)) {
      return this.batchedGradients.gradients(layout, task, vectors, n, this.chunkerFor(layout, task, true), options);
    }
    const { device, buffers, dispatcher, kernels, tasks } = this.parts;
    const p = paramCount(layout);
    const onDevice = parameterMajor(n);
    const data = tasks.acquire(task);
    const made: GPUBuffer[] = [];
    try {
      const input = buffers.storage('gradient vectors', toLayout(vectors, n, p, onDevice));
      made.push(input);
      const output = buffers.storage('gradients', n * p * 4);
      made.push(output);
      const uniforms = buffers.uniform('gradient uniforms', GRADIENT_UNIFORMS);
      made.push(uniforms);
      const pipeline = kernels.gradients(layout, taskLoss(task));
      const bindGroup = bindBuffers(device, 'gradients bind group', pipeline.getBindGroupLayout(0), [
        uniforms,
        data.x,
        data.y,
        input,
        output,
      ]);
      const submit = (first: number, count: number) => {
        const values = {
          // the dispatch's end: the kernel reads count as its bound alone
          count: first + count,
          offset: first,
          train_rows: task.train.rows,
          particle_stride: onDevice.particleStride,
          param_stride: onDevice.paramStride,
        };
        device.queue.writeBuffer(uniforms, 0, GRADIENT_UNIFORMS.pack(values));
        dispatcher.submit('gradients', pipeline, bindGroup, Math.ceil(count / WORKGROUP_SIZE));
      };
      await dispatcher.chunked(n, this.chunkerFor(layout, task, false), submit, { ...options, maxChunk: MAX_WORKGROUPS * WORKGROUP_SIZE });
      return fromLayout(new Float32Array(await readBuffer(device, output, n * p * 4)), n, p, onDevice);
    } finally {
      buffers.release(...made);
      tasks.release(data);
    }
  }
}
