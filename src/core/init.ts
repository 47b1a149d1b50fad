import { hasBias, layerSpans, paramCount, type ModelShape } from './layout';
import { PURPOSE_INIT, randNormal, randUniform } from './rng';

/**
 * The init distributions: 'default' is PyTorch's nn.Linear default (weight and bias uniform in
 * ±1/√fan_in); 'gaussian' is the NNGP convention of Valle-Pérez et al. 2019 (weight ~ N(0, 1/fan_in),
 * i.e. σ_w = 1 scaled by fan-in, bias ~ N(0, 1)); 'meanfield' is the mean-field parameterization
 * Sohl-Dickstein 2024 trains (meanFieldGains). Each is multiplied by the init scale.
 */
export const INIT_DISTS = ['default', 'gaussian', 'meanfield'] as const;
export type InitDist = (typeof INIT_DISTS)[number];

/** Draws of the Gaussian family ('gaussian', 'meanfield') are normal, 'default' uniform. */
const isGaussian = (dist: InitDist) => dist !== 'default';

/**
 * Parameter k's draw from the key (seed, stream, purpose, 0, ·), in float64: the one definition the
 * training init (rounded to float32 below) and the prior sampler's CPU oracle share. `counter` is
 * the parameter's index in the with-bias layout. shaders/prior.wgsl draws the same values in float32.
 */
export function initDraw(dist: InitDist, seed: number, stream: number, purpose: number, counter: number, std: number): number {
  if (isGaussian(dist)) return std * randNormal(seed, stream, purpose, 0, counter);
  return (2 * randUniform(seed, stream, purpose, 0, counter) - 1) * std;
}

/**
 * The mean-field parameterization (Mei et al. 2018, as Sohl-Dickstein 2024 trains it): a network
 * whose weights u are all N(0, 1) and whose layers compute tanh(√2 · u·x/√fan_in), the readout
 * u·h/fan_in. The engines keep the standard form w = c·u, so each layer's multiplier c is folded
 * into its init (w ~ N(0, c²)) and, since ∂L/∂u = c·∂L/∂w, a mean-field learning rate η on u is
 * the rate η·c² on w. Returns each layer's c² (hidden layers 2/fan_in, the readout 1/fan_in²).
 */
export function meanFieldGains(fanIns: readonly number[]): number[] {
  return fanIns.map((fanIn, l) => meanFieldGain(fanIn, l === fanIns.length - 1));
}

const meanFieldGain = (fanIn: number, readout: boolean) => (readout ? 1 / (fanIn * fanIn) : 2 / fanIn);

/**
 * A layer's weight and bias scales, the init scale included: the uniform bound, or the Gaussian σ.
 * `readout`: the last layer (only the mean-field weights depend on it; mean-field biases, which
 * the fractal preset does without, are N(0, 1) and share their layer's rate).
 */
export function initStds(dist: InitDist, fanIn: number, scale: number, readout = false): { weight: number; bias: number } {
  if (dist === 'meanfield') return { weight: scale * Math.sqrt(meanFieldGain(fanIn, readout)), bias: scale };
  const w = scale / Math.sqrt(fanIn);
  return dist === 'gaussian' ? { weight: w, bias: scale } : { weight: w, bias: w };
}

/**
 * Fills `out` with one vector of the init distribution from the key (seed, stream, purpose).
 * Each value draws the counter of its index in the with-bias layout, so a model without biases
 * starts from exactly the weights the same model with biases would (the bias draws are skipped).
 */
export function drawInit(
  shape: ModelShape,
  dist: InitDist,
  scale: number,
  seed: number,
  stream: number,
  purpose: number,
  out: Float64Array | Float32Array,
): void {
  const widths = 'widths' in shape ? shape.widths : shape;
  const withBias = layerSpans(widths);
  const spans = layerSpans(shape);
  spans.forEach((s, l) => {
    const std = initStds(dist, s.fanIn, scale, l === spans.length - 1);
    const full = withBias[l];
    const draw = (counter: number, sd: number) => initDraw(dist, seed, stream, purpose, counter, sd);
    for (let k = 0; k < s.fanIn * s.fanOut; k++) out[s.w + k] = draw(full.w + k, std.weight);
    if (hasBias(s)) for (let o = 0; o < s.fanOut; o++) out[s.b + o] = draw(full.b + o, std.bias);
  });
}

/**
 * The init of particle `particle`: `dist` times `scale`, drawn from its init stream. Values are
 * rounded to float32 so the CPU and GPU engines start from exactly the same point.
 */
export function initParticle(
  shape: ModelShape,
  seed: number,
  particle: number,
  scale: number,
  dist: InitDist = 'default',
  out?: Float32Array,
): Float32Array {
  const params = out ?? new Float32Array(paramCount(shape));
  drawInit(shape, dist, scale, seed, particle, PURPOSE_INIT, params);
  return params;
}

/** Inits of particles firstParticle .. firstParticle+count-1, concatenated. */
export function initEnsemble(
  shape: ModelShape,
  seed: number,
  firstParticle: number,
  count: number,
  scale: number,
  dist: InitDist = 'default',
): Float32Array {
  const p = paramCount(shape);
  const all = new Float32Array(p * count);
  for (let i = 0; i < count; i++) initParticle(shape, seed, firstParticle + i, scale, dist, all.subarray(i * p, (i + 1) * p));
  return all;
}
