import { layerSpans, paramCount } from './layout';
import { PURPOSE_INIT, randUniform } from './rng';

/**
 * PyTorch's nn.Linear default init (weight and bias uniform in ±1/√fan_in) times `scale`, drawn
 * from the init stream of particle `particle`. Values are rounded to float32 so the CPU and GPU
 * engines start from exactly the same point.
 */
export function initParticle(widths: readonly number[], seed: number, particle: number, scale: number, out?: Float32Array): Float32Array {
  const params = out ?? new Float32Array(paramCount(widths));
  for (const s of layerSpans(widths)) {
    const bound = scale / Math.sqrt(s.fanIn);
    const end = s.b + s.fanOut;
    for (let k = s.w; k < end; k++) params[k] = (2 * randUniform(seed, particle, PURPOSE_INIT, 0, k) - 1) * bound;
  }
  return params;
}

/** Inits of particles firstParticle .. firstParticle+count-1, concatenated. */
export function initEnsemble(widths: readonly number[], seed: number, firstParticle: number, count: number, scale: number): Float32Array {
  const p = paramCount(widths);
  const all = new Float32Array(p * count);
  for (let i = 0; i < count; i++) initParticle(widths, seed, firstParticle + i, scale, all.subarray(i * p, (i + 1) * p));
  return all;
}
