import { readFileSync } from 'node:fs';

/** A test-only kernel from tests/gpu/shaders/ (kept out of shaders/, so out of the browser bundle). */
export function testShader(name: 'rng_test' | 'activation_test'): { code: string } {
  return { code: readFileSync(new URL(`../gpu/shaders/${name}.wgsl`, import.meta.url), 'utf8') };
}
