/**
 * The one random generator of the project: a stateless, counter-based hash (PCG-RXS-M-XS, as in
 * Jarzynski & Olano 2020, "Hash Functions for GPU Rendering"), chained over the key
 * (seed, particle, purpose, step, slot). shaders/rng.wgsl is its bit-identical twin; a GPU test
 * pins that down. Every random choice in the project is a pure function of such a key.
 */
export const PURPOSE_INIT = 1;
export const PURPOSE_BATCH = 2;
export const PURPOSE_PLANE = 3;
export const PURPOSE_DATA = 4;
/** the width measurement's random directions (src/core/instruments/width/width.ts) */
export const PURPOSE_WIDTH = 8;
/** sharpness: the power iteration's start vector, and Hutchinson's Rademacher vectors */
export const PURPOSE_SHARPNESS_START = 5;
export const PURPOSE_SHARPNESS_TRACE = 6;
/** SGLD chains for the local learning coefficient: minibatch rows, and the Gaussian noise of each step */
export const PURPOSE_SGLD_BATCH = 9;
export const PURPOSE_SGLD_NOISE = 10;
/** decompose's bootstrap resamples and shuffles (host side) */
export const PURPOSE_DECOMPOSE = 11;
/** barriers: the bootstrap over particles behind the adjusted Rand index's interval (host side) */
export const PURPOSE_ARI_BOOTSTRAP = 14;
/** the bootstrap behind the interval of a difference between two classes' medians (host side) */
export const PURPOSE_MEDIAN_BOOTSTRAP = 15;
/** prior: sample s's parameter vector from the init distribution (shaders/prior.wgsl, src/core/instruments/prior/priorSampler.ts) */
export const PURPOSE_PRIOR = 20;

export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

export function randU32(seed: number, particle: number, purpose: number, step: number, slot: number): number {
  let h = pcgHash(seed >>> 0);
  h = pcgHash((h ^ particle) >>> 0);
  h = pcgHash((h ^ purpose) >>> 0);
  h = pcgHash((h ^ step) >>> 0);
  return pcgHash((h ^ slot) >>> 0);
}

/** Uniform in [0, 1) with 24 random bits: exactly representable in float32 on both sides. */
export function randUniform(seed: number, particle: number, purpose: number, step: number, slot: number): number {
  return (randU32(seed, particle, purpose, step, slot) >>> 8) * (1 / 16777216);
}

/**
 * Standard normal by Box–Muller from two uniforms of the same key (slots 2k, 2k+1). rng.wgsl's
 * rand_normal draws the same uniforms; its log and cos are float32, so the two agree to ~1e-6, not bitwise.
 */
export function randNormal(seed: number, particle: number, purpose: number, step: number, slot: number): number {
  const u1 = 1 - randUniform(seed, particle, purpose, step, 2 * slot);
  const u2 = randUniform(seed, particle, purpose, step, 2 * slot + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Index of the `slot`-th example of a minibatch at `step`: uniform with replacement over `rows`. */
export function batchIndex(noiseSeed: number, particle: number, step: number, slot: number, rows: number): number {
  return randU32(noiseSeed, particle, PURPOSE_BATCH, step, slot) % rows;
}
