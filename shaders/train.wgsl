// One invocation trains one particle for `u.steps` steps: minibatch, forward, backward, update,
// all fused, parameters and optimizer state in private memory between global load and store.
// A non-finite gradient (the step is skipped) or parameter (kept) marks the particle diverged;
// a diverged particle is never touched again.
// Needs the model header, the TrainUniforms record, workgroup.wgsl, rng.wgsl, activations.wgsl,
// task_bindings.wgsl, train_bindings.wgsl and mlp.wgsl before it.

var<private> m: array<f32, N_STATE>;
var<private> v: array<f32, N_STATE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn train(@builtin(global_invocation_id) gid: vec3u) {
  let i = u.particle_offset + gid.x;
  if (i >= u.particle_end || particle_diverged[i] != 0u) { return; }
  let base = i * u.particle_stride;
  let moment = u.particles * N_PARAMS;
  for (var k = 0u; k < N_PARAMS; k++) { params[k] = particle_params[base + k * u.param_stride]; }
  if (OPTIMIZER != 0u) {
    for (var k = 0u; k < N_STATE; k++) {
      m[k] = optimizer_state[base + k * u.param_stride];
      v[k] = optimizer_state[moment + base + k * u.param_stride];
    }
  }
  let full = u.batch == 0u;
  let batch = select(u.batch, u.train_rows, full);
  let inv_batch = 1.0 / f32(batch);
  // particles come in cells of equal runs that differ only in these settings (CellBlocks)
  let hyper = (i / u.cell_size) * (N_LAYERS + 2u);
  let weight_decay = hyper_table[hyper + N_LAYERS];
  let momentum = hyper_table[hyper + N_LAYERS + 1u];
  let particle = u.first_particle + i % u.cell_size;

  for (var s = 0u; s < u.steps; s++) {
    let step = u.step_base + s;
    for (var k = 0u; k < N_PARAMS; k++) { grad[k] = 0.0; }
    let batch_key = rand_key(u.noise_seed, particle, PURPOSE_BATCH, step);
    for (var b = 0u; b < batch; b++) {
      let row = select(pcg_hash(batch_key ^ b) % u.train_rows, b, full);
      forward(row);
      loss_and_output_delta(row, 0.0);
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
    var c = vec2f(1.0);
    if (OPTIMIZER >= 2u) { c = adam_corrections[s]; }
    var finite_params = true;
    // layer by layer, each at its own learning rate: the parameters in order all the same
    for (var l = 0u; l < N_LAYERS; l++) {
      let lr = hyper_table[hyper + l];
      for (var k = LAYER_W[l]; k < LAYER_END[l]; k++) {
        let g = grad[k] + weight_decay * params[k];
        if (OPTIMIZER == 0u) {
          params[k] -= lr * g;
        } else if (OPTIMIZER == 1u) {
          m[k] = momentum * m[k] + g;
          params[k] -= lr * m[k];
        } else if (OPTIMIZER == 2u) {
          m[k] = u.beta1 * m[k] + (1.0 - u.beta1) * g;
          v[k] = u.beta2 * v[k] + (1.0 - u.beta2) * g * g;
          params[k] -= lr * (m[k] / c.x) / (sqrt(v[k] / c.y) + ADAM_EPS);
        } else {
          // AdamW: decoupled decay, p·(1 − lr·wd) as torch's p.mul_(), then Adam on the raw gradient
          params[k] *= 1.0 - lr * weight_decay;
          m[k] = u.beta1 * m[k] + (1.0 - u.beta1) * grad[k];
          v[k] = u.beta2 * v[k] + (1.0 - u.beta2) * grad[k] * grad[k];
          params[k] -= lr * (m[k] / c.x) / (sqrt(v[k] / c.y) + ADAM_EPS);
        }
        finite_params = finite_params && is_finite(params[k]);
      }
    }
    // an overflowing update is divergence too: the parameters are kept as they are
    if (!finite_params) {
      particle_diverged[i] = 1u;
      break;
    }
  }

  for (var k = 0u; k < N_PARAMS; k++) { particle_params[base + k * u.param_stride] = params[k]; }
  if (OPTIMIZER != 0u) {
    for (var k = 0u; k < N_STATE; k++) {
      optimizer_state[base + k * u.param_stride] = m[k];
      optimizer_state[moment + base + k * u.param_stride] = v[k];
    }
  }
}
