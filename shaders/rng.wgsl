// The project's one random generator, bit-identical to src/core/rng.ts (a test pins this down):
// PCG-RXS-M-XS hash chained over (seed, particle, purpose, step, slot).

const PURPOSE_INIT: u32 = 1u;
const PURPOSE_BATCH: u32 = 2u;

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
