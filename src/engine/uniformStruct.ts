/**
 * A uniform struct defined once: the WGSL declaration is generated from it and the host packs
 * values by field name through it, so the two sides cannot drift apart (a reordered or added
 * field changes both). Fields are 4-byte scalars, so each sits at 4 × its position under WGSL's
 * uniform layout rules; the struct is padded to 16 bytes.
 *
 * Why our own 40 lines, not TypeGPU's `d.struct` or webgpu-utils' `makeShaderDataDefinitions`:
 * the structs here are flat lists of u32/f32 scalars, and the shaders are plain WGSL files
 * composed by concatenation. TypeGPU would have us write the kernels' surroundings in its own
 * TypeScript DSL; webgpu-utils parses the WGSL to find the layout, so the WGSL would stay the
 * source of truth and the host side would still be typed only as `Record<string, number>`.
 */
export type ScalarType = 'u32' | 'f32';

export interface UniformStruct<F extends Record<string, ScalarType>> {
  readonly name: string;
  readonly fields: F;
  /** bytes, a multiple of 16 */
  readonly size: number;
  /** `struct Name { field: type, … }` for the shaders that use it */
  readonly wgsl: string;
  /** The struct's bytes for these values; every field is required. */
  pack(values: { readonly [K in keyof F]: number }): ArrayBuffer;
}

export function uniformStruct<const F extends Record<string, ScalarType>>(name: string, fields: F): UniformStruct<F> {
  const names = Object.keys(fields);
  const size = Math.max(16, Math.ceil((names.length * 4) / 16) * 16);
  const wgsl = `struct ${name} {\n${names.map((n) => `  ${n}: ${fields[n]},`).join('\n')}\n}\n`;
  return {
    name,
    fields,
    size,
    wgsl,
    pack(values) {
      const bytes = new ArrayBuffer(size);
      const u32 = new Uint32Array(bytes);
      const f32 = new Float32Array(bytes);
      names.forEach((n, k) => {
        const v = (values as Record<string, number>)[n];
        if (fields[n] === 'u32') {
          if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 32)) throw new RangeError(`${name}.${n} must be a u32, got ${v}`);
          u32[k] = v;
        } else {
          // NaN is a legitimate f32 here (evaluate's `nan`); undefined is not
          if (typeof v !== 'number') throw new RangeError(`${name}.${n} must be a number, got ${v}`);
          f32[k] = v;
        }
      });
      return bytes;
    },
  };
}
