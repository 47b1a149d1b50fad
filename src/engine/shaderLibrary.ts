/**
 * The WGSL sources the engine composes, by file name without extension. The browser fills this
 * from Vite's `?raw` imports (browserShaderLibrary.ts), Node from the same files on disk
 * (src/cli/nodeShaderLibrary.ts): one copy of every shader.
 */
export const SHADER_FILES = ['rng', 'mlp', 'train', 'evaluate', 'plane', 'rng_test', 'activation_test', 'calibrate'] as const;
export type ShaderName = (typeof SHADER_FILES)[number];
export type ShaderLibrary = Readonly<Record<ShaderName, string>>;
