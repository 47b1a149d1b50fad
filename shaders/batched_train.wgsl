// The population trainer's passes for one step (src/engine/batchedTrain.ts records them in this
// order): load_inputs, forward_layer for each layer (batched_common.wgsl), output_deltas,
// backward_layer from the last hidden layer down, gradients, check_gradients, update,
// check_params. The same maths as train.wgsl, statement for statement, with the float32 sums in
// the same order; divergence as there: a non-finite gradient skips the step and marks the
// particle, a non-finite parameter after the update is kept and marks it, and a marked particle
// is never touched again. Needs the model header, the BatchedUniforms struct, rng.wgsl,
// activations.wgsl before it and batched_common.wgsl after it.

@group(0) @binding(0) var<uniform> u: BatchedUniforms;
@group(0) @binding(1) var<storage, read> data_x: array<f32>;
@group(0) @binding(2) var<storage, read> data_y: array<u32>;
@group(0) @binding(3) var<storage, read_write> particle_params: array<f32>;
// moment j (m, v) of parameter k of particle i at j · particles · N_PARAMS + param_at(i, k)
@group(0) @binding(4) var<storage, read_write> optimizer_state: array<f32>;
@group(0) @binding(5) var<storage, read_write> particle_diverged: array<u32>;
@group(0) @binding(6) var<storage, read> adam_corrections: array<vec2f>;
// a row of N_LAYERS + 2 per cell: each layer's learning rate, weight decay, momentum (train_bindings.wgsl)
@group(0) @binding(7) var<storage, read> hyper_table: array<f32>;
@group(0) @binding(8) var<storage, read_write> work: array<f32>;

const ADAM_EPS: f32 = 1e-8;

fn particle_skipped(i: u32) -> bool {
  return particle_diverged[i] != 0u;
}

// One invocation per (particle, row): the output deltas of the row's loss.
@compute @workgroup_size(WORKGROUP_SIZE)
fn output_deltas(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * u.rows) { return; }
  let b = id % u.rows;
  let j = id / u.rows;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  output_loss(j, b, data_row(i, b), 0.0);
}

// One backward element: the delta of the unit whose z is at `at` (backward_layer is generated
// with forward_layer's tiles by src/engine/batchedTiles.ts, and so is gradients).
fn store_backward(at: u32, sum: f32) {
  work[u.work_delta + at] = sum * activate_derivative(work[at]);
}

// One invocation per particle: a non-finite gradient marks it and skips its update.
@compute @workgroup_size(WORKGROUP_SIZE)
fn check_gradients(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = linear_id(wid, nwg, lid);
  if (j >= u.count) { return; }
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  var finite = true;
  for (var k = 0u; k < N_PARAMS; k++) { finite = finite && is_finite(work[u.work_extra + j * N_PARAMS + k]); }
  if (!finite) { particle_diverged[i] = 1u; }
}

// One invocation per (particle, parameter): the optimizer's update, as train.wgsl's.
@compute @workgroup_size(WORKGROUP_SIZE)
fn update(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * N_PARAMS) { return; }
  let k = id % N_PARAMS;
  let j = id / N_PARAMS;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  var l = 0u;
  while (k >= LAYER_END[l]) { l++; }
  let hyper = (i / u.cell_size) * (N_LAYERS + 2u);
  let lr = hyper_table[hyper + l];
  let weight_decay = hyper_table[hyper + N_LAYERS];
  let momentum = hyper_table[hyper + N_LAYERS + 1u];
  let at = param_at(i, k);
  let moment = u.particles * N_PARAMS;
  let grad = work[u.work_extra + j * N_PARAMS + k];
  var p = particle_params[at];
  let g = grad + weight_decay * p;
  if (OPTIMIZER == 0u) {
    p -= lr * g;
  } else if (OPTIMIZER == 1u) {
    let m = momentum * optimizer_state[at] + g;
    optimizer_state[at] = m;
    p -= lr * m;
  } else {
    let c = adam_corrections[u.s];
    var gg = g;
    if (OPTIMIZER == 3u) {
      // AdamW: decoupled decay, p·(1 − lr·wd) as torch's p.mul_(), then Adam on the raw gradient
      p *= 1.0 - lr * weight_decay;
      gg = grad;
    }
    let m = u.beta1 * optimizer_state[at] + (1.0 - u.beta1) * gg;
    let v = u.beta2 * optimizer_state[moment + at] + (1.0 - u.beta2) * gg * gg;
    optimizer_state[at] = m;
    optimizer_state[moment + at] = v;
    p -= lr * (m / c.x) / (sqrt(v / c.y) + ADAM_EPS);
  }
  particle_params[at] = p;
}

// One invocation per particle: an overflowing update is divergence too (the parameters are kept).
@compute @workgroup_size(WORKGROUP_SIZE)
fn check_params(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = linear_id(wid, nwg, lid);
  if (j >= u.count) { return; }
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  var finite = true;
  for (var k = 0u; k < N_PARAMS; k++) { finite = finite && is_finite(particle_params[param_at(i, k)]); }
  if (!finite) { particle_diverged[i] = 1u; }
}
