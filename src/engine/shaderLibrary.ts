/**
 * The WGSL sources the engine composes, by file name without extension. The browser fills this
 * from Vite's `?raw` imports (browserShaderLibrary.ts), Node from the same files on disk: one copy
 * of every shader. Test-only kernels live under tests/, out of the browser bundle.
 */
export const SHADER_FILES = [
  'rng',
  'activations',
  'mlp',
  'workgroup',
  'task_bindings',
  'train_bindings',
  'train',
  'evaluate_bindings',
  'evaluate',
  'plane',
  'lines',
  'gradients',
  'sgld',
  'prior',
  'calibrate',
  'batched_common',
  'batched_train',
  'batched_evaluate',
  'batched_sgld',
  'batched_prior',
] as const;
export type ShaderName = (typeof SHADER_FILES)[number];
export type ShaderLibrary = Readonly<Record<ShaderName, string>>;
