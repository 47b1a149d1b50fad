// One invocation trains one particle for `u.steps` steps: minibatch, forward, backward, update,
// all fused, parameters and optimizer state in private memory between global load and store.
// A non-finite gradient (the step is skipped) or parameter (kept) marks the particle diverged;
// a diverged particle is never touched again.
// Needs rng.wgsl, the model header and mlp.wgsl before it.

struct TrainUniforms {
  step_base: u32,     // global index of the first step of this dispatch
  steps: u32,
  particles: u32,
  noise_seed: u32,
  first_particle: u32, // global index of particle 0 (noise stream)
  train_rows: u32,
  batch: u32,          // 0 = full batch, in order
  lr: f32,
  momentum: f32,
  weight_decay: f32,
  particle_offset: u32, // first particle of this dispatch: slow devices get a few particles at a time
}

@group(0) @binding(0) var<uniform> u: TrainUniforms;
@group(0) @binding(1) var<storage, read> data_x: array<f32>;
@group(0) @binding(2) var<storage, read> data_y: array<u32>;
@group(0) @binding(3) var<storage, read_write> particle_params: array<f32>;
@group(0) @binding(4) var<storage, read_write> optimizer_state: array<f32>;
@group(0) @binding(5) var<storage, read_write> particle_diverged: array<u32>;

override WORKGROUP_SIZE: u32 = 64u;

const ADAM_BETA1: f32 = 0.9;
const ADAM_BETA2: f32 = 0.999;
const ADAM_EPS: f32 = 1e-8;

var<private> m: array<f32, N_STATE>;
var<private> v: array<f32, N_STATE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn train(@builtin(global_invocation_id) gid: vec3u) {
  let i = u.particle_offset + gid.x;
  if (i >= u.particles || particle_diverged[i] != 0u) { return; }
  let base = i * N_PARAMS;
  for (var k = 0u; k < N_PARAMS; k++) { params[k] = particle_params[base + k]; }
  for (var k = 0u; k < N_STATE; k++) {
    m[k] = optimizer_state[2u * i * N_STATE + k];
    v[k] = optimizer_state[(2u * i + 1u) * N_STATE + k];
  }
  let full = u.batch == 0u;
  let batch = select(u.batch, u.train_rows, full);
  let inv_batch = 1.0 / f32(batch);
  let particle = u.first_particle + i;

  for (var s = 0u; s < u.steps; s++) {
    let step = u.step_base + s;
    for (var k = 0u; k < N_PARAMS; k++) { grad[k] = 0.0; }
    let batch_key = rand_key(u.noise_seed, particle, PURPOSE_BATCH, step);
    for (var b = 0u; b < batch; b++) {
      let row = select(pcg_hash(batch_key ^ b) % u.train_rows, b, full);
      forward(row);
      loss_and_output_delta(data_y[row]);
      backward();
    }
    var finite = true;
    for (var k = 0u; k < N_PARAMS; k++) {
      grad[k] *= inv_batch;
      finite = finite && is_finite(grad[k]);
    }
    if (!finite) {
      particle_diverged[i] = 1u;
      break;
    }
    let t = f32(step + 1u);
    let c1 = 1.0 - pow(ADAM_BETA1, t);
    let c2 = 1.0 - pow(ADAM_BETA2, t);
    var finite_params = true;
    for (var k = 0u; k < N_PARAMS; k++) {
      let g = grad[k] + u.weight_decay * params[k];
      if (OPTIMIZER == 0u) {
        params[k] -= u.lr * g;
      } else if (OPTIMIZER == 1u) {
        m[k] = u.momentum * m[k] + g;
        params[k] -= u.lr * m[k];
      } else {
        m[k] = ADAM_BETA1 * m[k] + (1.0 - ADAM_BETA1) * g;
        v[k] = ADAM_BETA2 * v[k] + (1.0 - ADAM_BETA2) * g * g;
        params[k] -= u.lr * (m[k] / c1) / (sqrt(v[k] / c2) + ADAM_EPS);
      }
      finite_params = finite_params && is_finite(params[k]);
    }
    // an overflowing update is divergence too: the parameters are kept as they are
    if (!finite_params) {
      particle_diverged[i] = 1u;
      break;
    }
  }

  for (var k = 0u; k < N_PARAMS; k++) { particle_params[base + k] = params[k]; }
  for (var k = 0u; k < N_STATE; k++) {
    optimizer_state[2u * i * N_STATE + k] = m[k];
    optimizer_state[(2u * i + 1u) * N_STATE + k] = v[k];
  }
}
