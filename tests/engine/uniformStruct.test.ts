import { describe, expect, it } from 'vitest';
import { KERNEL_UNIFORMS } from '../../src/engine/kernelUniforms';
import { uniformStruct } from '../../src/engine/uniformStruct';
import { seeded, testSeed } from '../helpers/random';

describe('uniformStruct', () => {
  it('declares the fields in order and packs each at 4 × its position', () => {
    const s = uniformStruct('S', { a: 'u32', b: 'f32', c: 'u32' });
    expect(s.wgsl).toBe('struct S {\n  a: u32,\n  b: f32,\n  c: u32,\n}\n');
    expect(s.size).toBe(16);
    const bytes = s.pack({ a: 7, b: -1.5, c: 2 ** 32 - 1 });
    expect(Array.from(new Uint32Array(bytes, 0, 1))).toEqual([7]);
    expect(Array.from(new Float32Array(bytes, 4, 1))).toEqual([-1.5]);
    expect(Array.from(new Uint32Array(bytes, 8, 1))).toEqual([2 ** 32 - 1]);
  });

  it('pads to a multiple of 16 bytes', () => {
    const fields = Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`f${k}`, 'u32' as const]));
    expect(uniformStruct('T', fields).size).toBe(32);
  });

  it('refuses a value that is not a u32, naming the field', () => {
    const s = uniformStruct('S', { a: 'u32', b: 'f32' });
    expect(() => s.pack({ a: -1, b: 0 })).toThrow(/S\.a must be a u32, got -1/);
    expect(() => s.pack({ a: 1.5, b: 0 })).toThrow(/S\.a/);
    expect(() => s.pack({ a: 1 } as never)).toThrow(/S\.b must be a number/);
  });

  it('round-trips random values through every kernel struct (host side)', () => {
    const rand = seeded(testSeed('uniform pack'));
    for (const struct of KERNEL_UNIFORMS) {
      const values = Object.fromEntries(
        Object.entries(struct.fields).map(([n, t]) => [n, t === 'u32' ? Math.floor(rand() * 2 ** 32) : Math.fround(rand() * 100 - 50)]),
      );
      const bytes = struct.pack(values as never);
      const u32 = new Uint32Array(bytes);
      const f32 = new Float32Array(bytes);
      Object.entries(struct.fields).forEach(([n, t], k) => expect(t === 'u32' ? u32[k] : f32[k], `${struct.name}.${n}`).toBe(values[n]));
    }
  });
});
