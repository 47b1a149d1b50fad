import { type LossName, type ModelLayout, type OptimizerName } from '../core/layout';
import { composeShader, modelHeader, priorWordsHeader, uniformsPart, type ShaderPart } from './compose';
import { WORKGROUP_SIZE } from './dispatch';
import { BATCHED_UNIFORMS } from './kernelUniforms';
import { BATCHED_TILES, batchedTileKernels, type BatchedTiles } from './batchedTiles';
import type { ShaderLibrary } from './shaderLibrary';

/** The passes of one training step (shaders/batched_train.wgsl), and of evaluation. */
export const BATCHED_TRAIN_PASSES = [
  'load_inputs',
  'forward_layer',
  'output_deltas',
  'backward_layer',
  'gradients',
  'update',
  'settle',
] as const;
export const BATCHED_EVALUATE_PASSES = ['load_inputs', 'forward_layer', 'row_metrics', 'accumulate'] as const;

/** The SGLD chains and the analysis passes (shaders/batched_sgld.wgsl; src/engine/batchedSgld.ts, batchedGradients.ts). */
export const BATCHED_ANALYSIS_PASSES = [
  'load_inputs',
  'forward_layer',
  'output_deltas',
  'backward_layer',
  'gradients',
  'settle',
  'sgld_output_loss',
  'sgld_batch_loss',
  'sgld_update',
] as const;

/** The prior sampler's passes (shaders/batched_prior.wgsl; src/engine/batchedPrior.ts). */
export const BATCHED_PRIOR_PASSES = ['load_inputs', 'forward_layer', 'prior_init', 'prior_bits'] as const;

/**
 * Consecutive parameters of one particle per invocation of the update passes (shaders/batched_train.wgsl
 * update, batched_sgld.wgsl sgld_update): the run shares its flags and hyperparameters (docs/PERFORMANCE.md, item 35).
 */
export const UPDATE_RUN = 8;

/** The invocations of an update pass over `count` particles of `params` parameters each. */
export function updateInvocations(count: number, params: number): number {
  return count * Math.ceil(params / UPDATE_RUN);
}

/** The fields of a batched uniform record only SGLD and the prior sampler read, for the trainer's and evaluator's records. */
export const ANALYSIS_ONLY = {
  chains: 1,
  chain_steps: 0,
  burnin: 0,
  gamma: 0,
  nbeta: 0,
  work_loss: 0,
  init_gaussian: 0,
  init_scale: 0,
} as const;

export type BatchedTrainPass = (typeof BATCHED_TRAIN_PASSES)[number];
export type BatchedEvaluatePass = (typeof BATCHED_EVALUATE_PASSES)[number];
export type BatchedAnalysisPass = (typeof BATCHED_ANALYSIS_PASSES)[number];
export type BatchedPriorPass = (typeof BATCHED_PRIOR_PASSES)[number];

/** One module's passes, each a pipeline, bound through one layout whose binding 0 takes a dynamic offset. */
export interface BatchedPipelines<P extends string> {
  readonly passes: Readonly<Record<P, GPUComputePipeline>>;
  /** the tiles the matrix passes were generated with: their dispatches' sizes follow from them */
  readonly tiles: BatchedTiles;
  readonly bindings: GPUBindGroupLayout;
  /** milliseconds spent creating the pipelines (the benchmark's compile column) */
  readonly compileMs: number;
}

/**
 * What every batched module composes before its own files: the model header with FLAG_WORDS and UPDATE_RUN
 * (and `more` generated code), the uniform record, and the shared files up to the task's bindings.
 */
function batchedPrelude(header: string, ...more: ShaderPart[]): ShaderPart[] {
  const consts = `const FLAG_WORDS: u32 = ${FLAG_WORDS}u;\nconst UPDATE_RUN: u32 = ${UPDATE_RUN}u;`;
  return [{ code: `${header}\n${consts}` }, uniformsPart(BATCHED_UNIFORMS), ...more, 'workgroup', 'rng', 'activations', 'task_bindings'];
}

export function batchedTrainSource(
  shaders: ShaderLibrary,
  layout: ModelLayout,
  optimizer: OptimizerName,
  loss: LossName,
  tiles: BatchedTiles = BATCHED_TILES,
): string {
  return composeShader(shaders, [
    ...batchedPrelude(modelHeader(layout, optimizer, loss)),
    'train_bindings',
    'batched_train',
    'batched_common',
    { code: batchedTileKernels(tiles, 'train') },
  ]);
}

/** The trainer's passes with the SGLD passes beside them: full-batch gradients and SGLD chains for big nets. */
export function batchedAnalysisSource(
  shaders: ShaderLibrary,
  layout: ModelLayout,
  loss: LossName,
  tiles: BatchedTiles = BATCHED_TILES,
): string {
  return composeShader(shaders, [
    ...batchedPrelude(modelHeader(layout, 'sgd', loss)),
    'train_bindings',
    'batched_train',
    'batched_sgld',
    'batched_common',
    { code: batchedTileKernels(tiles, 'train') },
  ]);
}

/** The trainer's forward passes with the prior sampler's init and bits passes. */
export function batchedPriorSource(shaders: ShaderLibrary, layout: ModelLayout, tiles: BatchedTiles = BATCHED_TILES): string {
  return composeShader(shaders, [
    ...batchedPrelude(modelHeader(layout, 'sgd', 'cross-entropy'), { code: priorWordsHeader() }),
    'train_bindings',
    'batched_train',
    'batched_prior',
    'batched_common',
    { code: batchedTileKernels(tiles, 'forward') },
  ]);
}

export function batchedEvaluateSource(
  shaders: ShaderLibrary,
  layout: ModelLayout,
  loss: LossName,
  tiles: BatchedTiles = BATCHED_TILES,
): string {
  return composeShader(shaders, [
    ...batchedPrelude(modelHeader(layout, 'sgd', loss)),
    'batched_evaluate',
    'batched_common',
    { code: batchedTileKernels(tiles, 'forward') },
  ]);
}

/**
 * Compiles one module's entry points against an explicit layout: binding 0 is the per-pass
 * uniform record (a dynamic offset), then `storage` describes bindings 1, 2, … in order. The
 * kernel is generic (loops over the model's consts), so it compiles in well under a second on
 * SwiftShader at any size (docs/PERFORMANCE.md, the batched trainer).
 */
export function compileBatched<P extends string>(
  device: GPUDevice,
  label: string,
  code: string,
  passes: readonly P[],
  storage: readonly GPUBufferBindingType[],
  /** the binding numbers of `storage`'s entries, where they are not 1, 2, … */
  numbers: readonly number[] = storage.map((_, k) => k + 1),
): Omit<BatchedPipelines<P>, 'tiles'> {
  const t0 = performance.now();
  const bindings = device.createBindGroupLayout({
    label: `${label} bindings`,
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
      ...storage.map((type, k) => ({ binding: numbers[k], visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
    ],
  });
  const layout = device.createPipelineLayout({ label, bindGroupLayouts: [bindings] });
  const module = device.createShaderModule({ label, code });
  const entries = passes.map((entryPoint) => [
    entryPoint,
    device.createComputePipeline({
      label: `${label} ${entryPoint}`,
      layout,
      compute: { module, entryPoint, constants: { WORKGROUP_SIZE } },
    }),
  ]);
  return { passes: Object.fromEntries(entries) as Record<P, GPUComputePipeline>, bindings, compileMs: performance.now() - t0 };
}

/**
 * f32 words of divergence flags per particle in a training or analysis work buffer, from the
 * record's work_flags (shaders/batched_train.wgsl flag_at; the WGSL const is generated from this in batchedPrelude): a non-finite gradient, and the
 * particle's death at the update of an even or an odd step.
 */
export const FLAG_WORDS = 3;

/** Workgroups (x, y) covering `invocations`: x at most 65,535 (WebGPU's guaranteed limit), y for the rest. */
export function grid(invocations: number): [number, number] {
  const groups = Math.max(1, Math.ceil(invocations / WORKGROUP_SIZE));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x)];
}
