import { hasBias, layerSpans, paramCount, type ModelShape } from './layout';
import { PURPOSE_INIT, randUniform } from './rng';

/**
 * PyTorch's nn.Linear default init (weight and bias uniform in ±1/√fan_in) times `scale`, drawn
 * from the init stream of particle `particle`. Values are rounded to float32 so the CPU and GPU
 * engines start from exactly the same point.
 *
 * Each value draws the counter of its index in the with-bias layout, so a model without biases
 * starts from exactly the weights the same model with biases would (the bias draws are skipped).
 */
export function initParticle(shape: ModelShape, seed: number, particle: number, scale: number, out?: Float32Array): Float32Array {
  const params = out ?? new Float32Array(paramCount(shape));
  const widths = 'widths' in shape ? shape.widths : shape;
  const withBias = layerSpans(widths);
  layerSpans(shape).forEach((s, l) => {
    const bound = scale / Math.sqrt(s.fanIn);
    const draw = (counter: number) => (2 * randUniform(seed, particle, PURPOSE_INIT, 0, counter) - 1) * bound;
    const full = withBias[l];
    for (let k = 0; k < s.fanIn * s.fanOut; k++) params[s.w + k] = draw(full.w + k);
    if (hasBias(s)) for (let o = 0; o < s.fanOut; o++) params[s.b + o] = draw(full.b + o);
  });
  return params;
}

/** Inits of particles firstParticle .. firstParticle+count-1, concatenated. */
export function initEnsemble(shape: ModelShape, seed: number, firstParticle: number, count: number, scale: number): Float32Array {
  const p = paramCount(shape);
  const all = new Float32Array(p * count);
  for (let i = 0; i < count; i++) initParticle(shape, seed, firstParticle + i, scale, all.subarray(i * p, (i + 1) * p));
  return all;
}
