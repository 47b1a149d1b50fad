// The project's one random generator, bit-identical to src/core/rng.ts (a test pins this down):
// PCG-RXS-M-XS hash chained over (seed, particle, purpose, step, slot).

const PURPOSE_INIT: u32 = 1u;
const PURPOSE_BATCH: u32 = 2u;
const PURPOSE_SGLD_BATCH: u32 = 9u;
const PURPOSE_SGLD_NOISE: u32 = 10u;
const PURPOSE_PRIOR: u32 = 20u;

fn pcg_hash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

// The chain up to the slot: a kernel drawing many slots of one step hoists it out of its loop.
fn rand_key(seed: u32, particle: u32, purpose: u32, step: u32) -> u32 {
  return pcg_hash(pcg_hash(pcg_hash(pcg_hash(seed) ^ particle) ^ purpose) ^ step);
}

fn rand_u32(seed: u32, particle: u32, purpose: u32, step: u32, slot: u32) -> u32 {
  return pcg_hash(rand_key(seed, particle, purpose, step) ^ slot);
}

// Uniform in [0, 1) with 24 random bits, exact in float32.
fn rand_uniform(seed: u32, particle: u32, purpose: u32, step: u32, slot: u32) -> f32 {
  return f32(rand_u32(seed, particle, purpose, step, slot) >> 8u) * (1.0 / 16777216.0);
}

// rand_uniform for a key hoisted by rand_key.
fn key_uniform(key: u32, slot: u32) -> f32 {
  return f32(pcg_hash(key ^ slot) >> 8u) * (1.0 / 16777216.0);
}

// Standard normal k of a hoisted key, by Box–Muller from uniform slots 2k and 2k + 1, as
// randNormal in src/core/rng.ts (the same uniforms; float32 log and cos, so equal to ~1e-6).
fn key_normal(key: u32, k: u32) -> f32 {
  let u1 = 1.0 - key_uniform(key, 2u * k);
  let u2 = key_uniform(key, 2u * k + 1u);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
