import { CancelledError, DeviceFailure, UserError } from '../core/errors';
import type { Engine, Metrics, PlaneSpec, RunOptions, TrainingSession, TrainSpec } from '../core/engine';
import { paramCount, type ModelLayout, type OptimizerName } from '../core/layout';
import { taskSets, type Task } from '../core/task';
import { Chunker } from './chunker';
import { queueDone } from './queueWait';
import { composeShader, modelHeader } from './compose';
import { bindBuffers, readBuffer, storageBuffer, uniformBuffer } from './gpuBuffers';
import type { ShaderLibrary } from './shaderLibrary';
import { unrolledEvaluateShader } from './unrolledEvaluate';
import { UNROLL_AWAIT_PARAMS, UNROLL_MAX_PARAMS, unrolledTrainShader } from './unrolledTrain';

const WORKGROUP_SIZE = 64;
/** Aim of one dispatch's duration: under a laptop GPU watchdog, over the submit overhead. */
const TARGET_DISPATCH_MS = 50;
/** WebGPU's guaranteed minimum of workgroups per dispatch dimension */
const MAX_WORKGROUPS = 65535;

/** An unrolled training kernel being compiled (pipeline undefined) or ready. */
interface UnrolledKernel {
  pipeline: GPUComputePipeline | undefined;
  ready: Promise<void>;
}

interface TaskBuffers {
  x: GPUBuffer;
  y: GPUBuffer;
  setRows: GPUBuffer;
  sets: number;
}

/**
 * The WebGPU engine. It takes a GPUDevice from its caller (browser worker, CLI, tests) and
 * implements core's Engine interface with WGSL kernels: one fused training kernel (many steps per
 * dispatch), one evaluation kernel, one plane-filling kernel. Pipelines are cached per model
 * shape; task data is uploaded once per task.
 */
export class GpuEngine implements Engine {
  readonly kind = 'gpu' as const;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly taskBuffers = new WeakMap<Task, TaskBuffers>();
  private readonly allBuffers = new Set<GPUBuffer>();
  private readonly unrolledKernels = new Map<string, UnrolledKernel>();
  private trainLayout: GPUPipelineLayout | undefined;
  /** the bind group layout of trainPipelineLayout() */
  trainBindings: GPUBindGroupLayout | undefined;
  /** learns how long evaluating one vector takes on this device */
  private readonly evaluateChunker: Chunker;
  /** why the engine can no longer be used: the device was lost, or a GPU error happened */
  failure: string | undefined;

  /** how long one dispatch should take; tests shrink it to force the smallest chunks */
  readonly targetDispatchMs: number;
  /** whether to use the generated unrolled kernels where the model is small enough; tests turn it off to check the looped ones */
  readonly unroll: boolean;

  constructor(
    readonly gpu: GPUDevice,
    private readonly shaders: ShaderLibrary,
    readonly device: string,
    options: { targetDispatchMs?: number; unroll?: boolean } = {},
  ) {
    this.targetDispatchMs = options.targetDispatchMs ?? TARGET_DISPATCH_MS;
    this.unroll = options.unroll ?? true;
    this.evaluateChunker = new Chunker(this.targetDispatchMs, 4096);
    void gpu.lost.then((info) => {
      this.failure ??= `the GPU device was lost (${info.message || info.reason})`;
    });
    // a validation or out-of-memory error would otherwise leave zeros behind, silently
    gpu.addEventListener('uncapturederror', (event) => {
      this.failure ??= `GPU error: ${(event as GPUUncapturedErrorEvent).error.message}`;
    });
  }

  private checkDevice(): void {
    if (this.failure !== undefined) throw new DeviceFailure(this.failure);
  }

  /** A pipeline for `entry` of the shader made of `parts`, cached by the full source. */
  pipeline(label: string, code: string, entryPoint: string, layout: GPUPipelineLayout | 'auto' = 'auto'): GPUComputePipeline {
    const key = `${entryPoint}\n${code}`;
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.gpu.createShaderModule({ label, code });
      p = this.gpu.createComputePipeline({ label, layout, compute: { module, entryPoint, constants: { WORKGROUP_SIZE } } });
      this.pipelines.set(key, p);
    }
    return p;
  }

  private modelPipeline(kind: 'train' | 'evaluate', layout: ModelLayout, optimizer: OptimizerName): GPUComputePipeline {
    if (kind === 'evaluate' && this.unroll && paramCount(layout.widths) <= UNROLL_AWAIT_PARAMS) {
      // the unrolled evaluator: same results, compiles in seconds at this size (see unrolledTrain.ts)
      const code = composeShader(this.shaders, [{ code: modelHeader(layout, optimizer) }, 'rng', { code: unrolledEvaluateShader(layout, this.shaders.evaluate, this.shaders.mlp) }]);
      return this.pipeline(`evaluate unrolled ${layout.widths.join('-')} ${layout.activation}`, code, kind);
    }
    const code = composeShader(this.shaders, [{ code: modelHeader(layout, optimizer) }, 'rng', 'mlp', kind]);
    return this.pipeline(`${kind} ${layout.widths.join('-')} ${layout.activation} ${optimizer}`, code, kind, kind === 'train' ? this.trainPipelineLayout() : 'auto');
  }

  /**
   * train.wgsl's bindings as an explicit layout, so that one bind group serves both the looped
   * kernel and the unrolled one (whose 'auto' layout could differ).
   */
  trainPipelineLayout(): GPUPipelineLayout {
    if (!this.trainLayout) {
      const entry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } });
      const bindGroupLayout = this.gpu.createBindGroupLayout({
        label: 'train bindings',
        entries: [entry(0, 'uniform'), entry(1, 'read-only-storage'), entry(2, 'read-only-storage'), entry(3, 'storage'), entry(4, 'storage'), entry(5, 'storage')],
      });
      this.trainLayout = this.gpu.createPipelineLayout({ label: 'train', bindGroupLayouts: [bindGroupLayout] });
      this.trainBindings = bindGroupLayout;
    }
    return this.trainLayout;
  }

  /**
   * The training kernels for a model: the looped train.wgsl, ready now, and the unrolled one
   * (src/engine/unrolledTrain.ts, the same results, 20-30x faster on SwiftShader) compiled in the
   * background, since its compile time grows steeply with the parameter count (0.8 s for 81
   * parameters, 44 s for 1,217 on SwiftShader). Sessions switch to it once it is there.
   */
  trainKernels(layout: ModelLayout, optimizer: OptimizerName): { looped: GPUComputePipeline; unrolled: UnrolledKernel | undefined } {
    const looped = this.modelPipeline('train', layout, optimizer);
    if (!this.unroll || paramCount(layout.widths) > UNROLL_MAX_PARAMS) return { looped, unrolled: undefined };
    const key = `${layout.widths.join('-')} ${layout.activation} ${optimizer}`;
    let unrolled = this.unrolledKernels.get(key);
    if (!unrolled) {
      const label = `train unrolled ${key}`;
      const code = composeShader(this.shaders, [{ code: modelHeader(layout, optimizer) }, 'rng', { code: unrolledTrainShader(layout, optimizer, this.shaders.train, this.shaders.mlp) }]);
      const module = this.gpu.createShaderModule({ label, code });
      const kernel: UnrolledKernel = {
        pipeline: undefined,
        ready: this.gpu
          .createComputePipelineAsync({ label, layout: this.trainPipelineLayout(), compute: { module, entryPoint: 'train', constants: { WORKGROUP_SIZE } } })
          .then(
            (p) => {
              kernel.pipeline = p;
            },
            // the looped kernel stays in use; it gives the same results
            (e: unknown) => console.warn(`${label}: ${(e as Error).message}; the looped kernel stays in use`),
          ),
      };
      unrolled = kernel;
      this.unrolledKernels.set(key, unrolled);
    }
    return { looped, unrolled };
  }

  /**
   * Resolves once the fastest training kernel for this model is compiled (the benchmark waits for
   * it): to 'unrolled', or to 'looped' where the model is too large or the compile failed.
   */
  async trainKernelReady(layout: ModelLayout, optimizer: OptimizerName): Promise<'unrolled' | 'looped'> {
    const { unrolled } = this.trainKernels(layout, optimizer);
    await unrolled?.ready;
    return unrolled?.pipeline ? 'unrolled' : 'looped';
  }

  buffer(label: string, data: ArrayBufferView | number): GPUBuffer {
    const size = typeof data === 'number' ? data : data.byteLength;
    const max = Math.min(this.gpu.limits.maxStorageBufferBindingSize, this.gpu.limits.maxBufferSize);
    if (size > max) {
      throw new UserError(`${label} needs ${(size / 2 ** 20).toFixed(0)} MiB but this device allows ${(max / 2 ** 20).toFixed(0)} MiB per buffer: use fewer particles or a smaller grid`);
    }
    const b = storageBuffer(this.gpu, label, data);
    this.allBuffers.add(b);
    return b;
  }

  release(...buffers: GPUBuffer[]): void {
    for (const b of buffers) {
      this.allBuffers.delete(b);
      b.destroy();
    }
  }

  taskData(task: Task): TaskBuffers {
    let t = this.taskBuffers.get(task);
    if (!t) {
      const sets = taskSets(task);
      const rows = sets.reduce((n, s) => n + s.rows, 0);
      const x = new Float32Array(rows * task.inputs);
      const y = new Uint32Array(rows);
      const setRows = new Uint32Array(sets.length * 2);
      let r = 0;
      sets.forEach((s, i) => {
        x.set(s.x, r * task.inputs);
        y.set(s.y, r);
        setRows[2 * i] = r;
        setRows[2 * i + 1] = s.rows;
        r += s.rows;
      });
      t = { x: this.buffer(`${task.name} inputs`, x), y: this.buffer(`${task.name} labels`, y), setRows: this.buffer(`${task.name} set rows`, setRows), sets: sets.length };
      this.taskBuffers.set(task, t);
    }
    return t;
  }

  /**
   * Submits one chunk of work (`encode` records and submits it), waits for the device, and feeds
   * the chunker its duration. Cancellation and device failures are checked between chunks.
   */
  async timed(units: number, chunker: Chunker, encode: () => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CancelledError();
    this.checkDevice();
    const t0 = performance.now();
    encode();
    await queueDone(this.gpu, chunker.predictMs(units));
    chunker.record(units, performance.now() - t0);
    this.checkDevice();
  }

  /** Runs `total` units of work in timed chunks; `encode(first, count)` records one chunk. */
  async chunked(total: number, chunker: Chunker, encode: (first: number, count: number) => void, options: RunOptions = {}, maxChunk = Infinity): Promise<void> {
    for (let done = 0; done < total; ) {
      const count = chunker.next(Math.min(total - done, maxChunk));
      await this.timed(count, chunker, () => encode(done, count), options.signal);
      done += count;
      options.onProgress?.(done / total);
    }
  }

  /** Metrics of `count` parameter vectors held in `params` ([count][P]), in timed chunks. */
  async evaluateBuffer(layout: ModelLayout, task: Task, params: GPUBuffer, count: number): Promise<Metrics> {
    const data = this.taskData(task);
    const bytes = count * data.sets * 2 * 4;
    const metrics = this.buffer('metrics', bytes);
    const uniforms = uniformBuffer(this.gpu, 'evaluate uniforms', 16);
    const words = new Uint32Array([count, data.sets, new Uint32Array(Float32Array.of(NaN).buffer)[0], 0]);
    const pipeline = this.modelPipeline('evaluate', layout, 'sgd');
    const bindGroup = bindBuffers(this.gpu, 'evaluate bind group', pipeline.getBindGroupLayout(0), [uniforms, data.x, data.y, data.setRows, params, metrics]);
    try {
      await this.chunked(count, this.evaluateChunker, (first, n) => {
        words[3] = first;
        this.gpu.queue.writeBuffer(uniforms, 0, words);
        const encoder = this.gpu.createCommandEncoder({ label: 'evaluate' });
        const pass = encoder.beginComputePass({ label: 'evaluate' });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(Math.ceil(n / WORKGROUP_SIZE));
        pass.end();
        this.gpu.queue.submit([encoder.finish()]);
      }, {}, MAX_WORKGROUPS * WORKGROUP_SIZE);
      return new Float32Array(await readBuffer(this.gpu, metrics, bytes));
    } finally {
      this.release(metrics);
      uniforms.destroy();
    }
  }

  async startTraining(spec: TrainSpec): Promise<TrainingSession> {
    this.checkDevice();
    const kernels = this.trainKernels(spec.layout, spec.hyper.optimizer);
    // small nets compile in a few seconds at most: wait, so every step runs the same kernel
    if (paramCount(spec.layout.widths) <= UNROLL_AWAIT_PARAMS) await kernels.unrolled?.ready;
    return new GpuTrainingSession(this, spec, kernels);
  }

  async evaluatePlane(spec: PlaneSpec, options: RunOptions = {}): Promise<Metrics> {
    this.checkDevice();
    const { layout, task, plane, alphas, betas } = spec;
    const p = paramCount(layout.widths);
    const points = alphas.length * betas.length;
    const sets = 1 + task.probes.length;
    const maxChunk = Math.min(MAX_WORKGROUPS, Math.floor(this.gpu.limits.maxStorageBufferBindingSize / (p * 4)));
    const chunkParams = this.buffer('plane point parameters', Math.min(points, maxChunk) * p * 4);
    const inputs = [plane.center, plane.d1, plane.d2, alphas, betas].map((a, i) => this.buffer(`plane input ${i}`, a));
    const uniforms = uniformBuffer(this.gpu, 'plane uniforms', 16);
    const fill = this.pipeline('plane fill', this.shaders.plane, 'fill');
    const fillBind = bindBuffers(this.gpu, 'plane fill bind group', fill.getBindGroupLayout(0), [uniforms, ...inputs, chunkParams]);
    const out = new Float32Array(points * sets * 2);
    const fillChunker = new Chunker(this.targetDispatchMs, Math.min(maxChunk, 1024));
    try {
      for (let first = 0; first < points; ) {
        const count = fillChunker.next(Math.min(points - first, maxChunk));
        await this.timed(count, fillChunker, () => {
          this.gpu.queue.writeBuffer(uniforms, 0, new Uint32Array([first, count, alphas.length, p]));
          const encoder = this.gpu.createCommandEncoder({ label: 'plane fill' });
          const pass = encoder.beginComputePass({ label: 'plane fill' });
          pass.setPipeline(fill);
          pass.setBindGroup(0, fillBind);
          pass.dispatchWorkgroups(Math.ceil(p / WORKGROUP_SIZE), count);
          pass.end();
          this.gpu.queue.submit([encoder.finish()]);
        }, options.signal);
        out.set(await this.evaluateBuffer(layout, task, chunkParams, count), first * sets * 2);
        first += count;
        options.onProgress?.(first / points);
      }
    } finally {
      this.release(chunkParams, ...inputs);
      uniforms.destroy();
    }
    return out;
  }

  dispose(): void {
    for (const b of this.allBuffers) b.destroy();
    this.allBuffers.clear();
    this.pipelines.clear();
    this.unrolledKernels.clear();
  }
}

class GpuTrainingSession implements TrainingSession {
  stepsDone = 0;
  private readonly paramsBuffer: GPUBuffer;
  private readonly stateBuffer: GPUBuffer;
  private readonly divergedBuffer: GPUBuffer;
  private readonly uniforms: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  /** counts particle-steps; starts with one step of up to 4096 particles */
  private readonly chunker: Chunker;
  private readonly p: number;

  constructor(
    private readonly engine: GpuEngine,
    private readonly spec: TrainSpec,
    private readonly kernels: { looped: GPUComputePipeline; unrolled: UnrolledKernel | undefined },
  ) {
    const { particles, layout, task, hyper } = spec;
    this.p = paramCount(layout.widths);
    this.chunker = new Chunker(engine.targetDispatchMs, 4096);
    const state = hyper.optimizer === 'sgd' ? 1 : this.p;
    this.paramsBuffer = engine.buffer('particle parameters', spec.init);
    this.stateBuffer = engine.buffer('optimizer state', particles * 2 * state * 4);
    this.divergedBuffer = engine.buffer('diverged flags', particles * 4);
    this.uniforms = uniformBuffer(engine.gpu, 'train uniforms', 44);
    const data = engine.taskData(task);
    this.bindGroup = bindBuffers(engine.gpu, 'train bind group', engine.trainBindings!, [this.uniforms, data.x, data.y, this.paramsBuffer, this.stateBuffer, this.divergedBuffer]);
  }

  get particles(): number {
    return this.spec.particles;
  }

  /**
   * The chunker counts particle-steps. A chunk of at least one step of every particle runs as one
   * dispatch of k steps; on a device too slow for that (SwiftShader with 65,536 particles), each
   * step is split into groups of particles, so no dispatch outlasts the target.
   */
  async advance(steps: number, options: RunOptions = {}): Promise<void> {
    const { hyper, task, particles, noiseSeed, firstParticle } = this.spec;
    const gpu = this.engine.gpu;
    const words = new ArrayBuffer(44);
    const u32 = new Uint32Array(words);
    const f32 = new Float32Array(words);
    const dispatch = (stepBase: number, k: number, offset: number, count: number) => {
      u32.set([stepBase, k, particles, noiseSeed >>> 0, firstParticle >>> 0, task.train.rows, hyper.batch === 'full' ? 0 : hyper.batch]);
      f32.set([hyper.lr, hyper.momentum, hyper.weightDecay], 7);
      u32[10] = offset;
      gpu.queue.writeBuffer(this.uniforms, 0, words);
      const encoder = gpu.createCommandEncoder({ label: 'train' });
      const pass = encoder.beginComputePass({ label: 'train' });
      // the unrolled kernel once compiled: both give the same results, so switching mid-run is safe
      pass.setPipeline(this.kernels.unrolled?.pipeline ?? this.kernels.looped);
      pass.setBindGroup(0, this.bindGroup);
      pass.dispatchWorkgroups(Math.ceil(count / WORKGROUP_SIZE));
      pass.end();
      gpu.queue.submit([encoder.finish()]);
    };
    const end = this.stepsDone + steps;
    const maxGroup = MAX_WORKGROUPS * WORKGROUP_SIZE;
    while (this.stepsDone < end) {
      const units = this.chunker.next((end - this.stepsDone) * particles);
      const step = this.stepsDone;
      if (units >= particles && particles <= maxGroup) {
        const k = Math.min(end - step, Math.floor(units / particles));
        await this.engine.timed(k * particles, this.chunker, () => dispatch(step, k, 0, particles), options.signal);
        this.stepsDone = step + k;
      } else {
        for (let offset = 0; offset < particles; ) {
          const group = Math.min(particles - offset, maxGroup, Math.max(WORKGROUP_SIZE, Math.floor(this.chunker.next(particles - offset) / WORKGROUP_SIZE) * WORKGROUP_SIZE));
          await this.engine.timed(group, this.chunker, () => dispatch(step, 1, offset, group), options.signal);
          offset += group;
          options.onProgress?.((step - (end - steps) + offset / particles) / steps);
        }
        this.stepsDone = step + 1;
      }
      options.onProgress?.(1 - (end - this.stepsDone) / steps);
    }
  }

  metrics(): Promise<Metrics> {
    return this.engine.evaluateBuffer(this.spec.layout, this.spec.task, this.paramsBuffer, this.spec.particles);
  }

  async params(): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.engine.gpu, this.paramsBuffer, this.spec.particles * this.p * 4));
  }

  async diverged(): Promise<Uint8Array> {
    return Uint8Array.from(new Uint32Array(await readBuffer(this.engine.gpu, this.divergedBuffer, this.spec.particles * 4)));
  }

  dispose(): void {
    this.engine.release(this.paramsBuffer, this.stateBuffer, this.divergedBuffer);
    this.uniforms.destroy();
  }
}
