import { paramCount, type LossName, type ModelLayout, type OptimizerName } from '../core/layout';
import {
  BATCHED_ANALYSIS_PASSES,
  BATCHED_EVALUATE_PASSES,
  BATCHED_PRIOR_PASSES,
  BATCHED_TRAIN_PASSES,
  batchedAnalysisSource,
  batchedEvaluateSource,
  batchedPriorSource,
  batchedTrainSource,
  compileBatched,
  type BatchedAnalysisPass,
  type BatchedEvaluatePass,
  type BatchedPipelines,
  type BatchedPriorPass,
  type BatchedTrainPass,
} from './batchedKernels';
import { BATCHED_TILES, type BatchedTiles } from './batchedTiles';
import { composeShader, modelHeader, priorWordsHeader, uniformsPart, type ShaderPart } from './compose';
import { WORKGROUP_SIZE } from './dispatch';
import {
  EVALUATE_UNIFORMS,
  GRADIENT_UNIFORMS,
  LINES_UNIFORMS,
  PLANE_UNIFORMS,
  PRIOR_UNIFORMS,
  SGLD_UNIFORMS,
  TRAIN_UNIFORMS,
} from './kernelUniforms';
import type { ShaderLibrary } from './shaderLibrary';
import { unrolledEvaluateShader } from './unrolledEvaluate';
import { UNROLL_AWAIT_PARAMS, UNROLL_MAX_PARAMS, unrolledTrainShader } from './unrolledTrain';

export type TrainKernelKind = 'unrolled' | 'looped';

/** What a model's kernels are compiled for, in words: the cache key and the pipeline labels. */
function modelKey(layout: ModelLayout, loss: LossName): string {
  return `${layout.widths.join('-')} ${layout.activation}${layout.bias === false ? ' no-bias' : ''}${loss === 'mse' ? ' mse' : ''}`;
}

/**
 * The analysis passes' storage bindings, which batchedAnalysis and batchedPrior share: their types
 * and binding numbers, batchedTrain's less the optimizer's (4, 6, 7), then 9, 10 and 11.
 */
const ANALYSIS_BINDINGS: { readonly types: readonly GPUBufferBindingType[]; readonly numbers: readonly number[] } = {
  types: ['read-only-storage', 'read-only-storage', 'storage', 'storage', 'storage', 'read-only-storage', 'storage', 'storage'],
  numbers: [1, 2, 3, 5, 8, 9, 10, 11],
};

/** A model's training kernels: the looped one, ready now, and the unrolled one once compiled. */
export interface TrainKernel {
  /** the fastest pipeline compiled so far; both give the same results, so switching mid-run is safe */
  current(): GPUComputePipeline;
  /** resolves once the fastest kernel there will be is compiled, to its kind */
  readonly ready: Promise<TrainKernelKind>;
  /** train_bindings.wgsl's layout, which both kernels share: a session binds its buffers to it */
  readonly bindings: GPUBindGroupLayout;
}

/**
 * The engine's compiled kernels, cached by model shape: training (looped and unrolled),
 * evaluation, full-batch gradients, the plane and line fills. Each source is composed from the shared WGSL files in order
 * (src/engine/compose.ts); uniform structs come from src/engine/kernelUniforms.ts.
 */
export class Kernels {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly trainKernels = new Map<string, TrainKernel>();
  private readonly batchedKernels = new Map<string, BatchedPipelines<string>>();
  /** train_bindings.wgsl as an explicit layout: one bind group serves the looped and the unrolled kernel */
  private readonly trainBindings: GPUBindGroupLayout;
  private readonly trainLayout: GPUPipelineLayout;

  constructor(
    private readonly device: GPUDevice,
    private readonly shaders: ShaderLibrary,
    /** whether to use the generated unrolled kernels where the model is small enough */
    private readonly unroll: boolean,
    /** the batched kernels' matrix tiles (tests try others) */
    private readonly tiles: BatchedTiles = BATCHED_TILES,
  ) {
    const entry = (binding: number, type: GPUBufferBindingType): GPUBindGroupLayoutEntry => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type },
    });
    this.trainBindings = device.createBindGroupLayout({
      label: 'train bindings',
      entries: [
        entry(0, 'uniform'),
        entry(1, 'read-only-storage'),
        entry(2, 'read-only-storage'),
        entry(3, 'storage'),
        entry(4, 'storage'),
        entry(5, 'storage'),
        entry(6, 'read-only-storage'),
        entry(7, 'read-only-storage'),
      ],
    });
    this.trainLayout = device.createPipelineLayout({ label: 'train', bindGroupLayouts: [this.trainBindings] });
  }

  /** The WGSL of the looped training kernel (tests compile it alone). */
  static trainSource(
    shaders: ShaderLibrary,
    layout: ModelLayout,
    optimizer: OptimizerName,
    unrolled: boolean,
    loss: LossName = 'cross-entropy',
  ): string {
    const prelude: ShaderPart[] = [
      { code: modelHeader(layout, optimizer, loss) },
      uniformsPart(TRAIN_UNIFORMS),
      'workgroup',
      'rng',
      'activations',
      'task_bindings',
      'train_bindings',
    ];
    return composeShader(
      shaders,
      unrolled ? [...prelude, { code: unrolledTrainShader(layout, optimizer, loss) }] : [...prelude, 'mlp', 'train'],
    );
  }

  static evaluateSource(shaders: ShaderLibrary, layout: ModelLayout, unrolled: boolean, loss: LossName = 'cross-entropy'): string {
    const prelude: ShaderPart[] = [
      { code: modelHeader(layout, 'sgd', loss) },
      uniformsPart(EVALUATE_UNIFORMS),
      'workgroup',
      'activations',
      'task_bindings',
      'evaluate_bindings',
    ];
    return composeShader(
      shaders,
      unrolled ? [...prelude, { code: unrolledEvaluateShader(layout, loss) }] : [...prelude, 'mlp', 'evaluate'],
    );
  }

  /** Full-batch gradients of many vectors: the looped network only (one pass per vector, no steps to unroll for). */
  static gradientsSource(shaders: ShaderLibrary, layout: ModelLayout, loss: LossName = 'cross-entropy'): string {
    return composeShader(shaders, [
      { code: modelHeader(layout, 'sgd', loss) },
      uniformsPart(GRADIENT_UNIFORMS),
      'workgroup',
      'activations',
      'task_bindings',
      'mlp',
      'gradients',
    ]);
  }

  /** The SGLD chains' kernel (the local learning coefficient): looped only, composed like training's. */
  static sgldSource(shaders: ShaderLibrary, layout: ModelLayout, loss: LossName = 'cross-entropy'): string {
    return composeShader(shaders, [
      { code: modelHeader(layout, 'sgd', loss) },
      uniformsPart(SGLD_UNIFORMS),
      'workgroup',
      'rng',
      'activations',
      'task_bindings',
      'mlp',
      'sgld',
    ]);
  }

  /** The prior sampler's kernel: draws, rejection and function bits in one pass (looped network). */
  static priorSource(shaders: ShaderLibrary, layout: ModelLayout): string {
    return composeShader(shaders, [
      { code: modelHeader(layout, 'sgd') },
      uniformsPart(PRIOR_UNIFORMS),
      { code: priorWordsHeader() },
      'workgroup',
      'rng',
      'activations',
      'task_bindings',
      'mlp',
      'prior',
    ]);
  }

  static planeSource(shaders: ShaderLibrary): string {
    return composeShader(shaders, [uniformsPart(PLANE_UNIFORMS), 'workgroup', 'plane']);
  }

  static linesSource(shaders: ShaderLibrary): string {
    return composeShader(shaders, [uniformsPart(LINES_UNIFORMS), 'workgroup', 'lines']);
  }

  /**
   * The training kernels for a model. The unrolled one (src/engine/unrolledTrain.ts, the same
   * results, 20-30× faster on SwiftShader) compiles in the background, since its compile time
   * grows steeply with the parameter count (0.8 s for 81 parameters, 44 s for 1,217 on
   * SwiftShader); sessions switch to it once it is there.
   */
  train(layout: ModelLayout, optimizer: OptimizerName, loss: LossName = 'cross-entropy'): TrainKernel {
    const key = `${modelKey(layout, loss)} ${optimizer}`;
    let kernel = this.trainKernels.get(key);
    if (kernel) return kernel;
    const looped = this.compile(
      `train ${key}`,
      Kernels.trainSource(this.shaders, layout, optimizer, false, loss),
      'train',
      this.trainLayout,
    );
    if (!this.unroll || paramCount(layout) > UNROLL_MAX_PARAMS) {
      kernel = { current: () => looped, ready: Promise.resolve('looped'), bindings: this.trainBindings };
    } else {
      const label = `train unrolled ${key}`;
      let unrolled: GPUComputePipeline | undefined;
      const module = this.device.createShaderModule({ label, code: Kernels.trainSource(this.shaders, layout, optimizer, true, loss) });
      const ready = this.device
        .createComputePipelineAsync({
          label,
          layout: this.trainLayout,
          compute: { module, entryPoint: 'train', constants: { WORKGROUP_SIZE } },
        })
        .then(
          (p): TrainKernelKind => {
            unrolled = p;
            return 'unrolled';
          },
          // the looped kernel stays in use; it gives the same results
          (e: unknown): TrainKernelKind => {
            console.warn(`${label}: ${(e as Error).message}; the looped kernel stays in use`);
            return 'looped';
          },
        );
      kernel = { current: () => unrolled ?? looped, ready, bindings: this.trainBindings };
    }
    this.trainKernels.set(key, kernel);
    return kernel;
  }

  /** Whether training waits for the unrolled kernel: small nets compile in a few seconds at most. */
  static awaitsUnrolled(layout: ModelLayout): boolean {
    return paramCount(layout) <= UNROLL_AWAIT_PARAMS;
  }

  /** The evaluation kernel: unrolled where it compiles in seconds (see unrolledTrain.ts). */
  evaluate(layout: ModelLayout, loss: LossName = 'cross-entropy'): GPUComputePipeline {
    const unrolled = this.unroll && paramCount(layout) <= UNROLL_AWAIT_PARAMS;
    const label = `evaluate${unrolled ? ' unrolled' : ''} ${modelKey(layout, loss)}`;
    return this.compile(label, Kernels.evaluateSource(this.shaders, layout, unrolled, loss), 'evaluate', 'auto');
  }

  gradients(layout: ModelLayout, loss: LossName = 'cross-entropy'): GPUComputePipeline {
    const label = `gradients ${modelKey(layout, loss)}`;
    return this.compile(label, Kernels.gradientsSource(this.shaders, layout, loss), 'gradients', 'auto');
  }

  sgld(layout: ModelLayout, loss: LossName = 'cross-entropy'): GPUComputePipeline {
    const label = `sgld ${modelKey(layout, loss)}`;
    return this.compile(label, Kernels.sgldSource(this.shaders, layout, loss), 'sgld', 'auto');
  }

  prior(layout: ModelLayout): GPUComputePipeline {
    const label = `prior ${modelKey(layout, 'cross-entropy')}`;
    return this.compile(label, Kernels.priorSource(this.shaders, layout), 'prior', 'auto');
  }

  planeFill(): GPUComputePipeline {
    return this.compile('plane fill', Kernels.planeSource(this.shaders), 'fill', 'auto');
  }

  linesFill(): GPUComputePipeline {
    return this.compile('lines fill', Kernels.linesSource(this.shaders), 'fill', 'auto');
  }

  /** The population trainer's passes for big nets (shaders/batched_train.wgsl): generic, compiled at once. */
  batchedTrain(layout: ModelLayout, optimizer: OptimizerName, loss: LossName = 'cross-entropy'): BatchedPipelines<BatchedTrainPass> {
    const label = `batched train ${modelKey(layout, loss)} ${optimizer}`;
    let k = this.batchedKernels.get(label);
    if (!k) {
      const storage: GPUBufferBindingType[] = [
        'read-only-storage',
        'read-only-storage',
        'storage',
        'storage',
        'storage',
        'read-only-storage',
        'read-only-storage',
        'storage',
      ];
      const code = batchedTrainSource(this.shaders, layout, optimizer, loss, this.tiles);
      k = { ...compileBatched(this.device, label, code, BATCHED_TRAIN_PASSES, storage), tiles: this.tiles };
      this.batchedKernels.set(label, k);
    }
    return k as BatchedPipelines<BatchedTrainPass>;
  }

  /** Evaluation's passes for big nets (shaders/batched_evaluate.wgsl). */
  batchedEvaluate(layout: ModelLayout, loss: LossName = 'cross-entropy'): BatchedPipelines<BatchedEvaluatePass> {
    const label = `batched evaluate ${modelKey(layout, loss)}`;
    let k = this.batchedKernels.get(label);
    if (!k) {
      const storage: GPUBufferBindingType[] = ['read-only-storage', 'read-only-storage', 'read-only-storage', 'storage', 'storage'];
      const code = batchedEvaluateSource(this.shaders, layout, loss, this.tiles);
      k = { ...compileBatched(this.device, label, code, BATCHED_EVALUATE_PASSES, storage), tiles: this.tiles };
      this.batchedKernels.set(label, k);
    }
    return k as BatchedPipelines<BatchedEvaluatePass>;
  }

  /**
   * Full-batch gradients and SGLD chains for big nets (shaders/batched_sgld.wgsl beside the
   * trainer's passes): batchedTrain's bindings less the optimizer's (4, 6, 7), then the centres
   * with their losses and step sizes (9), the chain sums (10) and the draw block sums (11): eight
   * storage buffers, what every WebGPU device takes.
   */
  batchedAnalysis(layout: ModelLayout, loss: LossName = 'cross-entropy'): BatchedPipelines<BatchedAnalysisPass> {
    const label = `batched analysis ${modelKey(layout, loss)}`;
    let k = this.batchedKernels.get(label);
    if (!k) {
      const { types, numbers } = ANALYSIS_BINDINGS;
      const code = batchedAnalysisSource(this.shaders, layout, loss, this.tiles);
      k = { ...compileBatched(this.device, label, code, BATCHED_ANALYSIS_PASSES, types, numbers), tiles: this.tiles };
      this.batchedKernels.set(label, k);
    }
    return k as BatchedPipelines<BatchedAnalysisPass>;
  }

  /** The prior sampler for big nets (shaders/batched_prior.wgsl): bound as batchedAnalysis, its bits at binding 10. */
  batchedPrior(layout: ModelLayout): BatchedPipelines<BatchedPriorPass> {
    const label = `batched prior ${modelKey(layout, 'cross-entropy')}`;
    let k = this.batchedKernels.get(label);
    if (!k) {
      const { types, numbers } = ANALYSIS_BINDINGS;
      const code = batchedPriorSource(this.shaders, layout, this.tiles);
      k = { ...compileBatched(this.device, label, code, BATCHED_PRIOR_PASSES, types, numbers), tiles: this.tiles };
      this.batchedKernels.set(label, k);
    }
    return k as BatchedPipelines<BatchedPriorPass>;
  }

  clear(): void {
    this.batchedKernels.clear();
    this.pipelines.clear();
    this.trainKernels.clear();
  }

  /** A pipeline cached by its label (which names the model, optimizer and variant). */
  private compile(label: string, code: string, entryPoint: string, layout: GPUPipelineLayout | 'auto'): GPUComputePipeline {
    let p = this.pipelines.get(label);
    if (!p) {
      const module = this.device.createShaderModule({ label, code });
      p = this.device.createComputePipeline({ label, layout, compute: { module, entryPoint, constants: { WORKGROUP_SIZE } } });
      this.pipelines.set(label, p);
    }
    return p;
  }
}
