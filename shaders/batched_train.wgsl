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

// One invocation per (particle, row, input unit of layer u.layer ≥ 1): that unit's delta.
@compute @workgroup_size(WORKGROUP_SIZE)
fn backward_layer(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let l = u.layer;
  let fan_in = LAYER_FAN_IN[l];
  let fan_out = LAYER_FAN_OUT[l];
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * u.rows * fan_in) { return; }
  let x = id % fan_in;
  let jb = id / fan_in;
  let b = jb % u.rows;
  let j = jb / u.rows;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  let w0 = LAYER_W[l];
  let d_out = u.work_delta + unit_at(j, b, UNIT_OFFSET[l + 1u]);
  var sum = 0.0;
  for (var o = 0u; o < fan_out; o++) { sum += particle_params[param_at(i, w0 + o * fan_in + x)] * work[d_out + o]; }
  let unit = unit_at(j, b, UNIT_OFFSET[l] + x);
  work[u.work_delta + unit] = sum * activate_derivative(work[unit]);
}

// One invocation per (particle, parameter): the minibatch gradient, summed over the rows in order
// (a dispatch of rows u.row_first … continues the sum where the previous one left it), divided by
// the batch size once every row is in.
@compute @workgroup_size(WORKGROUP_SIZE)
fn gradients(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * N_PARAMS) { return; }
  let k = id % N_PARAMS;
  let j = id / N_PARAMS;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  var l = 0u;
  while (k >= LAYER_END[l]) { l++; }
  let fan_in = LAYER_FAN_IN[l];
  let is_bias = HAS_BIAS && k >= LAYER_B[l];
  var o = 0u;
  var x = 0u;
  if (is_bias) {
    o = k - LAYER_B[l];
  } else {
    o = (k - LAYER_W[l]) / fan_in;
    x = (k - LAYER_W[l]) % fan_in;
  }
  let at = u.work_extra + j * N_PARAMS + k;
  var g = 0.0;
  if (u.row_first != 0u) { g = work[at]; }
  let d_unit = UNIT_OFFSET[l + 1u] + o;
  let a_unit = UNIT_OFFSET[l] + x;
  for (var b = 0u; b < u.rows; b++) {
    let d = work[u.work_delta + unit_at(j, b, d_unit)];
    if (is_bias) { g += d; } else { g += d * work[u.work_a + unit_at(j, b, a_unit)]; }
  }
  if (u.row_first + u.rows == u.batch_rows) { g *= 1.0 / f32(u.batch_rows); }
  work[at] = g;
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
