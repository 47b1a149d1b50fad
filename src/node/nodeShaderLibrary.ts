import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SHADER_FILES, type ShaderLibrary } from '../engine/shaderLibrary';

/** The same shaders/*.wgsl files the browser build inlines, read from disk. */
export function nodeShaderLibrary(): ShaderLibrary {
  const dir = fileURLToPath(new URL('../../shaders/', import.meta.url));
  return Object.fromEntries(SHADER_FILES.map((name) => [name, readFileSync(`${dir}${name}.wgsl`, 'utf8')])) as ShaderLibrary;
}
