import { uniformStruct } from './uniformStruct';

/** shaders/train.wgsl and the unrolled trainer (src/engine/unrolledTrain.ts). */
export const TRAIN_UNIFORMS = uniformStruct('TrainUniforms', {
  /** global index of the first step of this dispatch */
  step_base: 'u32',
  steps: 'u32',
  particles: 'u32',
  noise_seed: 'u32',
  /** global index of particle 0 (its noise stream) */
  first_particle: 'u32',
  train_rows: 'u32',
  /** 0 = full batch, in order */
  batch: 'u32',
  // (learning rates, weight decay and momentum are in the hyper_table binding, a row per cell)
  /** particles per cell (CellBlocks): particle i trains with row ⌊i / cell_size⌋ and draws noise stream i mod cell_size */
  cell_size: 'u32',
  /** Adam's β₁, β₂ (adam, adamw) */
  beta1: 'f32',
  beta2: 'f32',
  /** first particle of this dispatch: slow devices get a few particles at a time */
  particle_offset: 'u32',
  /** where parameter k of particle i sits: i · particle_stride + k · param_stride */
  particle_stride: 'u32',
  param_stride: 'u32',
  /** one past the last particle of this dispatch: a group may be smaller than a workgroup (big nets on slow devices) */
  particle_end: 'u32',
});

/** shaders/evaluate.wgsl and the unrolled evaluator (src/engine/unrolledEvaluate.ts). */
export const EVALUATE_UNIFORMS = uniformStruct('EvaluateUniforms', {
  /** vectors in eval_params */
  count: 'u32',
  sets: 'u32',
  /** NaN, set by the host: WGSL has no way to spell a NaN constant */
  nan: 'f32',
  /** first vector of this dispatch */
  offset: 'u32',
  particle_stride: 'u32',
  param_stride: 'u32',
  /** regression: a row is "correct" when every output is within this of its target */
  tolerance: 'f32',
});

/** shaders/plane.wgsl */
export const PLANE_UNIFORMS = uniformStruct('PlaneUniforms', {
  first: 'u32',
  count: 'u32',
  res_alpha: 'u32',
  n_params: 'u32',
});

/** shaders/lines.wgsl */
export const LINES_UNIFORMS = uniformStruct('LinesUniforms', {
  first: 'u32',
  count: 'u32',
  /** points per line */
  n_t: 'u32',
  n_params: 'u32',
});

/** shaders/gradients.wgsl */
export const GRADIENT_UNIFORMS = uniformStruct('GradientUniforms', {
  /** vectors in grad_params */
  count: 'u32',
  /** first vector of this dispatch */
  offset: 'u32',
  /** the training set is rows 0 .. train_rows − 1 of the task upload */
  train_rows: 'u32',
  particle_stride: 'u32',
  param_stride: 'u32',
});

/** shaders/sgld.wgsl */
export const SGLD_UNIFORMS = uniformStruct('SgldUniforms', {
  /** chain step of this dispatch's first step (0 = the first burn-in step) */
  step_base: 'u32',
  steps: 'u32',
  particles: 'u32',
  chains: 'u32',
  /** burn-in + draws: chain c's step t draws from step key c · chain_steps + t */
  chain_steps: 'u32',
  burnin: 'u32',
  noise_seed: 'u32',
  first_particle: 'u32',
  train_rows: 'u32',
  /** 0 = full batch, in order */
  batch: 'u32',
  eps: 'f32',
  gamma: 'f32',
  nbeta: 'f32',
  /** first chain (over particles × chains) of this dispatch, and one past its last: a group need not be whole workgroups */
  chain_offset: 'u32',
  chain_end: 'u32',
});

/** shaders/prior.wgsl */
export const PRIOR_UNIFORMS = uniformStruct('PriorUniforms', {
  /** global index of this dispatch's first sample */
  first_sample: 'u32',
  /** samples in this dispatch */
  count: 'u32',
  seed: 'u32',
  /** 1: Gaussian init; 0: uniform (PyTorch's default) */
  gaussian: 'u32',
  /** the init scale */
  scale: 'f32',
  /** the training set is rows 0 .. train_rows − 1 of the task upload */
  train_rows: 'u32',
  /** every row of the upload: the domain a function is recorded on */
  rows: 'u32',
  /** u32 words of bits per function */
  words: 'u32',
});

/**
 * The population trainer and evaluator for big nets (shaders/batched_*.wgsl): one record per
 * dispatch, bound at a dynamic offset, since each pass of a step names its own layer and rows.
 */
export const BATCHED_UNIFORMS = uniformStruct('BatchedUniforms', {
  /** global index of the first step of this submission */
  step_base: 'u32',
  /** this pass's step, counted from step_base (the Adam corrections row) */
  s: 'u32',
  /** the layer a forward or backward pass works on */
  layer: 'u32',
  particles: 'u32',
  noise_seed: 'u32',
  first_particle: 'u32',
  train_rows: 'u32',
  /** 0 = full batch, in order */
  batch: 'u32',
  /** rows in this pass (local rows b = 0 … rows − 1) */
  rows: 'u32',
  /** rows of the whole step (the batch) or of the whole set (evaluation) */
  batch_rows: 'u32',
  /** the pass's first row: within the batch (training), or in the task upload (evaluation) */
  row_first: 'u32',
  /** 0: training's minibatch rows; 1: evaluation's rows row_first + b */
  row_mode: 'u32',
  cell_size: 'u32',
  beta1: 'f32',
  beta2: 'f32',
  /** first particle (vector) of this dispatch, and how many */
  particle_offset: 'u32',
  count: 'u32',
  particle_stride: 'u32',
  param_stride: 'u32',
  /** where the activations, deltas and the extra region start in `work` (f32 index) */
  work_a: 'u32',
  work_delta: 'u32',
  work_extra: 'u32',
  /** training and SGLD: where the per-particle divergence flags start in `work` (f32 index; shaders/batched_train.wgsl) */
  work_flags: 'u32',
  /** evaluation: which set, of how many, starting at which upload row */
  set_index: 'u32',
  sets: 'u32',
  set_first: 'u32',
  tolerance: 'f32',
  nan: 'f32',
  /** SGLD (shaders/batched_sgld.wgsl): chains per centre; burn-in + draws, whose step keys are c · chain_steps + t; burn-in */
  chains: 'u32',
  chain_steps: 'u32',
  burnin: 'u32',
  /** SGLD: localisation strength γ and nβ */
  gamma: 'f32',
  nbeta: 'f32',
  /** SGLD: where the per-row losses start in `work` (f32 index) */
  work_loss: 'u32',
  /** the prior sampler (shaders/batched_prior.wgsl): 1 for a Gaussian init, 0 uniform; the init scale */
  init_gaussian: 'u32',
  init_scale: 'f32',
});

/** shaders/calibrate.wgsl (the benchmark's yardsticks) */
export const CALIBRATE_UNIFORMS = uniformStruct('CalibrateUniforms', {
  iterations: 'u32',
  count: 'u32',
  /** 0.9999: chains stay finite and away from denormals for any iteration count */
  multiplier: 'f32',
  addend: 'f32',
});

export const KERNEL_UNIFORMS = [
  TRAIN_UNIFORMS,
  EVALUATE_UNIFORMS,
  PLANE_UNIFORMS,
  LINES_UNIFORMS,
  GRADIENT_UNIFORMS,
  SGLD_UNIFORMS,
  PRIOR_UNIFORMS,
  CALIBRATE_UNIFORMS,
  BATCHED_UNIFORMS,
] as const;
