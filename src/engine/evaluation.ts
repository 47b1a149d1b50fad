import type { LinesSpec, Metrics, PlaneSpec, RunOptions } from '../core/engine';
import { flopsPerEvaluation, paramCount, type ModelLayout } from '../core/layout';
import { taskLoss, taskTolerance, type Task } from '../core/task';
import { BatchedEvaluator } from './batchedEvaluate';
import { Chunker, firstChunk, keptChunker, modelKey } from './chunker';
import type { DeviceBuffers } from './deviceBuffers';
import { MAX_WORKGROUPS, WORKGROUP_SIZE, type Dispatcher } from './dispatch';
import { bindBuffers, readBuffer } from './gpuBuffers';
import { EVALUATE_UNIFORMS, LINES_UNIFORMS, PLANE_UNIFORMS } from './kernelUniforms';
import type { Kernels } from './kernels';
import { parameterMajor, type ParamLayout } from './paramLayout';
import type { TaskUploads } from './taskUploads';
import { PER_PARTICLE_MAX_PARAMS } from './trainerChoice';
import type { UniformStruct } from './uniformStruct';

/** The most workgroups a dispatch takes in y (and z) on every WebGPU device. */
const MAX_WORKGROUPS_Y = 65535;

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
  /**
   * Learn how long evaluating one vector takes on this device, one per model and task size: a
   * chunker shared between a 3-16-1 net and a 3,312-parameter one would size the big net's
   * chunks from the small net's speed and hold the device for minutes.
   */
  private readonly chunkers = new Map<string, Chunker>();

  /** Evaluation of nets past the per-particle kernels, its work buffers kept between calls. */
  private readonly batched: BatchedEvaluator;

  constructor(private readonly parts: EvaluationParts) {
    this.batched = new BatchedEvaluator(parts);
  }

  private chunkerFor(layout: ModelLayout, task: Task): Chunker {
    const rows = task.train.rows + task.probes.reduce((n, p) => n + p.data.rows, 0);
    return keptChunker(
      this.chunkers,
      `${modelKey(layout)} ${rows}`,
      () => new Chunker(this.parts.targetDispatchMs, firstChunk(flopsPerEvaluation(layout.widths, rows), 4096)),
    );
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
    if (paramCount(layout) > PER_PARTICLE_MAX_PARAMS) {
      try {
        return await this.batched.evaluate(layout, task, data, params, count, paramLayout, options);
      } finally {
        tasks.release(data);
      }
    }
    const bytes = count * data.sets * 2 * 4;
    let metrics: GPUBuffer | undefined;
    let uniforms: GPUBuffer | undefined;
    try {
      metrics = buffers.storage('metrics', bytes);
      uniforms = buffers.uniform('evaluate uniforms', EVALUATE_UNIFORMS);
      const pipeline = kernels.evaluate(layout, taskLoss(task));
      const tolerance = taskTolerance(task);
      const bound = [uniforms, data.x, data.y, data.setRows, params, metrics];
      const bindGroup = bindBuffers(device, 'evaluate bind group', pipeline.getBindGroupLayout(0), bound);
      const { particleStride, paramStride } = paramLayout;
      const submit = (first: number, n: number) => {
        const values = {
          // the dispatch's end, not the whole count: a chunk of fewer vectors than a workgroup
          // then costs its own vectors only (the kernel reads count as its bound alone)
          count: first + n,
          sets: data.sets,
          nan: NaN,
          offset: first,
          particle_stride: particleStride,
          param_stride: paramStride,
          tolerance,
        };
        device.queue.writeBuffer(uniforms!, 0, EVALUATE_UNIFORMS.pack(values));
        dispatcher.submit('evaluate', pipeline, bindGroup, Math.ceil(n / WORKGROUP_SIZE));
      };
      await dispatcher.chunked(count, this.chunkerFor(layout, task), submit, {
        signal: options.signal,
        maxChunk: MAX_WORKGROUPS * WORKGROUP_SIZE,
      });
      return new Float32Array(await readBuffer(device, metrics, bytes));
    } finally {
      buffers.release(...[metrics, uniforms].filter((b) => b !== undefined));
      tasks.release(data);
    }
  }

  /** Metrics at every grid point center + α·d1 + β·d2, row-major with α fastest. */
  plane(spec: PlaneSpec, options: RunOptions = {}): Promise<Metrics> {
    const { layout, plane, alphas, betas } = spec;
    const p = paramCount(layout);
    const fill = this.parts.kernels.planeFill();
    const inputs = [plane.center, plane.d1, plane.d2, alphas, betas].map((a, i) => this.parts.buffers.storage(`plane input ${i}`, a));
    const uniforms = (first: number, count: number) => PLANE_UNIFORMS.pack({ first, count, res_alpha: alphas.length, n_params: p });
    return this.generated('plane', spec, alphas.length * betas.length, { fill, inputs, uniforms, uniformStruct: PLANE_UNIFORMS }, options);
  }

  /** Metrics at every point of every line (1 − t)·a + t·b, line by line with t fastest. */
  lines(spec: LinesSpec, options: RunOptions = {}): Promise<Metrics> {
    const { layout, vectors, pairs, ts } = spec;
    const p = paramCount(layout);
    const fill = this.parts.kernels.linesFill();
    const inputs = [vectors, pairs, ts].map((a, i) => this.parts.buffers.storage(`lines input ${i}`, a));
    const uniforms = (first: number, count: number) => LINES_UNIFORMS.pack({ first, count, n_t: ts.length, n_params: p });
    return this.generated(
      'lines',
      spec,
      (pairs.length / 2) * ts.length,
      { fill, inputs, uniforms, uniformStruct: LINES_UNIFORMS },
      options,
    );
  }

  /**
   * Metrics of `points` vectors made on the device by `fill` (bound to its uniforms, its `inputs`,
   * then the output), a chunk at a time: the chunk's parameters are written parameter-major, the
   * layout the evaluator reads fastest, then evaluated. Releases `inputs` at the end.
   */
  private async generated(
    label: string,
    spec: { readonly layout: ModelLayout; readonly task: Task },
    points: number,
    recipe: {
      fill: GPUComputePipeline;
      inputs: GPUBuffer[];
      uniforms: (first: number, count: number) => ArrayBuffer;
      uniformStruct: UniformStruct<Record<string, 'u32' | 'f32'>>;
    },
    options: RunOptions,
  ): Promise<Metrics> {
    const { device, buffers, dispatcher, targetDispatchMs } = this.parts;
    const { layout, task } = spec;
    const p = paramCount(layout);
    const sets = 1 + task.probes.length;
    const maxChunk = Math.min(MAX_WORKGROUPS * WORKGROUP_SIZE, Math.floor(device.limits.maxStorageBufferBindingSize / (p * 4)));
    const out = new Float32Array(points * sets * 2);
    let chunkParams: GPUBuffer | undefined;
    let uniforms: GPUBuffer | undefined;
    try {
      chunkParams = buffers.storage(`${label} point parameters`, Math.min(points, maxChunk) * p * 4);
      uniforms = buffers.uniform(`${label} uniforms`, recipe.uniformStruct);
      const bind = bindBuffers(device, `${label} fill bind group`, recipe.fill.getBindGroupLayout(0), [
        uniforms,
        ...recipe.inputs,
        chunkParams,
      ]);
      const submit = (first: number, count: number) => {
        device.queue.writeBuffer(uniforms!, 0, recipe.uniforms(first, count));
        // a row of workgroups per parameter: y up to 65,535 (WebGPU's guaranteed limit), z past it
        const y = Math.min(p, MAX_WORKGROUPS_Y);
        dispatcher.submit(`${label} fill`, recipe.fill, bind, Math.ceil(count / WORKGROUP_SIZE), y, Math.ceil(p / y));
      };
      const after = async (first: number, count: number) => {
        out.set(await this.vectors(layout, task, chunkParams!, count, parameterMajor(count), { signal: options.signal }), first * sets * 2);
      };
      const chunker = new Chunker(targetDispatchMs, Math.min(maxChunk, 1024));
      await dispatcher.chunked(points, chunker, submit, { ...options, maxChunk, after });
    } finally {
      buffers.release(...recipe.inputs, ...[chunkParams, uniforms].filter((b) => b !== undefined));
    }
    return out;
  }
}
