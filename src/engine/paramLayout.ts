/**
 * How a buffer of many parameter vectors is laid out on the device: parameter k of vector i sits
 * at i · particleStride + k · paramStride. Everything a user sees (init, --params-out, exports)
 * is particle-major, PyTorch's flat `nn.Linear` order per vector; the engine keeps its own
 * buffers parameter-major, so that the neighbouring invocations of a kernel (neighbouring
 * particles) load and store neighbouring addresses, as coalescing on a GPU needs. On SwiftShader
 * the two layouts measured within 3% of each other (docs/PERFORMANCE.md, item 20); no real GPU has
 * measured them yet.
 */
export interface ParamLayout {
  readonly particleStride: number;
  readonly paramStride: number;
}

export const particleMajor = (params: number): ParamLayout => ({ particleStride: params, paramStride: 1 });
export const parameterMajor = (count: number): ParamLayout => ({ particleStride: 1, paramStride: count });

/** The engine's layout for `count` vectors of `params` parameters. */
export const deviceLayout = (count: number, params: number, kind: 'parameter-major' | 'particle-major'): ParamLayout =>
  kind === 'parameter-major' ? parameterMajor(count) : particleMajor(params);

/** `vectors` ([count][params], particle-major) in `layout`. */
export function toLayout(vectors: Float32Array, count: number, params: number, layout: ParamLayout): Float32Array {
  if (layout.paramStride === 1) return vectors;
  const out = new Float32Array(count * params);
  for (let i = 0; i < count; i++) {
    const row = i * params;
    for (let k = 0; k < params; k++) out[i * layout.particleStride + k * layout.paramStride] = vectors[row + k];
  }
  return out;
}

/** The inverse of toLayout: particle-major vectors from a buffer in `layout`. */
export function fromLayout(data: Float32Array, count: number, params: number, layout: ParamLayout): Float32Array {
  if (layout.paramStride === 1) return data;
  const out = new Float32Array(count * params);
  for (let i = 0; i < count; i++) {
    const row = i * params;
    for (let k = 0; k < params; k++) out[row + k] = data[i * layout.particleStride + k * layout.paramStride];
  }
  return out;
}
