// The population trainer's passes for one step (src/engine/batchedTrain.ts records them in this
// order): load_inputs, forward_layer for each layer (batched_common.wgsl), output_deltas,
// backward_layer from the last hidden layer down, gradients, update; and once a submission ends,
// settle. The same maths as train.wgsl, statement for statement, with the float32 sums in the
// same order; divergence as there: a non-finite gradient skips the step and marks the particle, a
// non-finite parameter after the update is kept and marks it, and a marked particle is never
// touched again. No pass loops over every parameter in one invocation: the checks ride on the
// gradient stores and the update as flags in `work` (see "Divergence flags" below).
// Needs the model header, the BatchedUniforms record, workgroup.wgsl, rng.wgsl, activations.wgsl,
// task_bindings.wgsl and train_bindings.wgsl (bindings 1 … 7 and ADAM_EPS, as train.wgsl's) before
// it and batched_common.wgsl after it.

// activations, deltas and gradients between passes (batched_common.wgsl)
@group(0) @binding(8) var<storage, read_write> work: array<f32>;

// Divergence flags: FLAG_WORDS f32 per local particle j from u.work_flags (src/engine/batchedKernels.ts
// FLAG_WORDS), zero between submissions (settle clears them). Word 0: a gradient of this particle
// was non-finite (set by the gradients passes, read by update); word 1 + t mod 2: the particle died
// at or before step t's update (set by the update of step t, read by the update of step t + 1,
// which skips it and sets its own word). So no invocation reads a word that another invocation
// of the same dispatch may write: update reads word 0 and the previous step's word and writes its
// own step's. The passes before the update skip only marked particles: one that died within this
// submission is still carried through them (into `work` only, nothing kept) until settle marks
// it in particle_diverged at the submission's end; one load fewer in each of their invocations
// (docs/PERFORMANCE.md, item 33).
const FLAG_WORDS: u32 = 3u;

fn flag_at(j: u32, word: u32) -> u32 {
  return u.work_flags + FLAG_WORDS * j + word;
}

// The word "died at or before step t's update" of local particle j.
fn dead_after(j: u32, t: u32) -> u32 {
  return flag_at(j, 1u + t % 2u);
}

// The step of this pass, counted across submissions (SGLD's flags live through a chain group's submissions).
fn step_index() -> u32 {
  return u.step_base + u.s;
}

fn particle_skipped(i: u32) -> bool {
  return particle_diverged[i] != 0u;
}

// Local particle j died at or before the previous step's update (t + 1 ≡ t − 1 mod 2).
fn died_before(j: u32) -> bool {
  return work[dead_after(j, step_index() + 1u)] != 0.0;
}

// For the update passes: true when particle i (local j) takes no update this step. A particle whose
// gradient was non-finite, or that died before this step, is dead after this step's update too.
fn update_skipped(i: u32, j: u32) -> bool {
  if (particle_diverged[i] != 0u) { return true; }
  if (work[flag_at(j, 0u)] != 0.0 || died_before(j)) {
    work[dead_after(j, step_index())] = 1.0;
    return true;
  }
  return false;
}

// A parameter of local particle j updated to a non-finite value: it dies after this step's update
// (the step's other updates are kept, as train.wgsl keeps them).
fn note_parameter(j: u32, p: f32) {
  if (!is_finite(p)) { work[dead_after(j, step_index())] = 1.0; }
}

// Called by gradient_store: a non-finite gradient among the n ≤ TILE stored (on the batch's last
// row chunk, where the gradient is whole) marks the particle's gradient as non-finite.
fn note_gradient(j: u32, g: vec4f, n: u32) {
  if (u.row_first + u.rows != u.batch_rows) { return; }
  for (var c = 0u; c < min(TILE, n); c++) {
    if (!is_finite(g[c])) { work[flag_at(j, 0u)] = 1.0; }
  }
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

// One backward row of a tile: the deltas of input units x0 … x0 + 3 (those below fan_in) of row b.
fn store_backward(j: u32, b: u32, x0: u32, fan_in: u32, sum: vec4f) {
  let unit = unit_at(j, b, UNIT_OFFSET[u.layer] + x0);
  for (var c = 0u; c < min(TILE, fan_in - x0); c++) {
    work[u.work_delta + unit + c] = sum[c] * activate_derivative(work[unit + c]);
  }
}

// One invocation per (particle, 4 rows, 4 input units of layer u.layer ≥ 1): those units' deltas,
// each summed over the layer's outputs in order (a register tile, as forward_layer's).
@compute @workgroup_size(WORKGROUP_SIZE)
fn backward_layer(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let l = u.layer;
  let fan_in = LAYER_FAN_IN[l];
  let fan_out = LAYER_FAN_OUT[l];
  let in_tiles = tiles(fan_in);
  let row_tiles = tiles(u.rows);
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * row_tiles * in_tiles) { return; }
  let x0 = (id % in_tiles) * TILE;
  let jr = id / in_tiles;
  let b0 = (jr % row_tiles) * TILE;
  let j = jr / row_tiles;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  let x = vec4u(LAYER_W[l]) + tile_of(x0, fan_in);
  let b = tile_of(b0, u.rows);
  let d_out = UNIT_OFFSET[l + 1u] + u.work_delta;
  let d0 = d_out + unit_at(j, b.x, 0u);
  let d1 = d_out + unit_at(j, b.y, 0u);
  let d2 = d_out + unit_at(j, b.z, 0u);
  let d3 = d_out + unit_at(j, b.w, 0u);
  var s0 = vec4f(0.0);
  var s1 = vec4f(0.0);
  var s2 = vec4f(0.0);
  var s3 = vec4f(0.0);
  for (var o = 0u; o < fan_out; o++) {
    let wo = params4(i, x + vec4u(o * fan_in));
    s0 += wo * work[d0 + o];
    s1 += wo * work[d1 + o];
    s2 += wo * work[d2 + o];
    s3 += wo * work[d3 + o];
  }
  let rows = min(TILE, u.rows - b0);
  store_backward(j, b0, x0, fan_in, s0);
  if (rows > 1u) { store_backward(j, b0 + 1u, x0, fan_in, s1); }
  if (rows > 2u) { store_backward(j, b0 + 2u, x0, fan_in, s2); }
  if (rows > 3u) { store_backward(j, b0 + 3u, x0, fan_in, s3); }
}

// One gradient row of a tile: parameters k … k + 3 (those of inputs below n) of particle j, the
// running sum of an earlier row chunk continued, divided by the batch on the last chunk.
fn gradient_load(j: u32, k: u32, n: u32) -> vec4f {
  var g = vec4f(0.0);
  if (u.row_first != 0u) {
    let at = u.work_extra + j * N_PARAMS + k;
    for (var c = 0u; c < min(TILE, n); c++) { g[c] = work[at + c]; }
  }
  return g;
}

fn gradient_store(j: u32, k: u32, n: u32, sum: vec4f) {
  var g = sum;
  if (u.row_first + u.rows == u.batch_rows) { g *= 1.0 / f32(u.batch_rows); }
  let at = u.work_extra + j * N_PARAMS + k;
  for (var c = 0u; c < min(TILE, n); c++) { work[at + c] = g[c]; }
  note_gradient(j, g, n);
}

// One invocation per (particle, 4 output units, 4 input units) of layer u.layer, plus, with
// biases, one per (particle, 4 output units) for the biases: the minibatch gradient, each
// element summed over the rows in order (a dispatch of rows u.row_first … continues the sum where
// the previous one left it), divided by the batch size once every row is in.
@compute @workgroup_size(WORKGROUP_SIZE)
fn gradients(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let l = u.layer;
  let fan_in = LAYER_FAN_IN[l];
  let fan_out = LAYER_FAN_OUT[l];
  let in_tiles = tiles(fan_in) + select(0u, 1u, HAS_BIAS);
  let out_tiles = tiles(fan_out);
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * out_tiles * in_tiles) { return; }
  let xt = id % in_tiles;
  let jo = id / in_tiles;
  let o0 = (jo % out_tiles) * TILE;
  let j = jo / out_tiles;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  let o = UNIT_OFFSET[l + 1u] + tile_of(o0, fan_out);
  let outs = fan_out - o0;
  if (HAS_BIAS && xt == in_tiles - 1u) {
    var g = gradient_load(j, LAYER_B[l] + o0, outs);
    for (var b = 0u; b < u.rows; b++) {
      let d = u.work_delta + unit_at(j, b, 0u);
      g += vec4f(work[d + o.x], work[d + o.y], work[d + o.z], work[d + o.w]);
    }
    gradient_store(j, LAYER_B[l] + o0, outs, g);
    return;
  }
  let x0 = xt * TILE;
  let x = UNIT_OFFSET[l] + tile_of(x0, fan_in);
  let ins = fan_in - x0;
  let k = LAYER_W[l] + o0 * fan_in + x0;
  var g0 = gradient_load(j, k, ins);
  var g1 = vec4f(0.0);
  var g2 = vec4f(0.0);
  var g3 = vec4f(0.0);
  if (outs > 1u) { g1 = gradient_load(j, k + fan_in, ins); }
  if (outs > 2u) { g2 = gradient_load(j, k + 2u * fan_in, ins); }
  if (outs > 3u) { g3 = gradient_load(j, k + 3u * fan_in, ins); }
  for (var b = 0u; b < u.rows; b++) {
    let row = unit_at(j, b, 0u);
    let d = u.work_delta + row;
    let a = u.work_a + row;
    let ax = vec4f(work[a + x.x], work[a + x.y], work[a + x.z], work[a + x.w]);
    g0 += work[d + o.x] * ax;
    g1 += work[d + o.y] * ax;
    g2 += work[d + o.z] * ax;
    g3 += work[d + o.w] * ax;
  }
  gradient_store(j, k, ins, g0);
  if (outs > 1u) { gradient_store(j, k + fan_in, ins, g1); }
  if (outs > 2u) { gradient_store(j, k + 2u * fan_in, ins, g2); }
  if (outs > 3u) { gradient_store(j, k + 3u * fan_in, ins, g3); }
}

// One invocation per (particle, parameter): the optimizer's update, as train.wgsl's.
@compute @workgroup_size(WORKGROUP_SIZE)
fn update(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * N_PARAMS) { return; }
  let k = id % N_PARAMS;
  let j = id / N_PARAMS;
  let i = u.particle_offset + j;
  if (update_skipped(i, j)) { return; }
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
  note_parameter(j, p);
}

// One invocation per particle, after a submission's last step: its flags into particle_diverged
// (the only pass that writes it in training), then cleared for the next submission's particles.
@compute @workgroup_size(WORKGROUP_SIZE)
fn settle(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = linear_id(wid, nwg, lid);
  if (j >= u.count) { return; }
  var dead = false;
  for (var w = 0u; w < FLAG_WORDS; w++) {
    dead = dead || work[flag_at(j, w)] != 0.0;
    work[flag_at(j, w)] = 0.0;
  }
  if (dead) { particle_diverged[u.particle_offset + j] = 1u; }
}
