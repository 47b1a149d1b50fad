import { SHADER_FILES, type ShaderLibrary, type ShaderName } from './shaderLibrary';

// Vite inlines every shaders/*.wgsl file as a string at build time.
const sources = import.meta.glob('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const browserShaderLibrary: ShaderLibrary = Object.fromEntries(
  SHADER_FILES.map((name: ShaderName) => [name, sources[`../../shaders/${name}.wgsl`]]),
) as ShaderLibrary;
