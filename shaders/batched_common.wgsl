// The population trainer for big nets (src/engine/batchedTrain.ts): one step of every particle is,
// per layer, a batched matrix product over (particle, batch row) × unit, so each pass is one
// dispatch with one invocation per output element, and the activations live in a storage buffer
// (`work`) between passes instead of in private memory. This file holds what training and
// evaluation share: addressing, the input load, the forward layer and the output loss.
// Needs the model header, the BatchedUniforms record, workgroup.wgsl, rng.wgsl, activations.wgsl
// and the including kernel's bindings (task_bindings.wgsl, particle_params, work) before it.
//
// work, in f32, for the `u.count` particles of this dispatch (local index j) and `u.rows` rows
// (local index b): z at [j][b][unit] from 0, activations a from u.work_a, deltas from
// u.work_delta, then a region from u.work_extra (training: gradients [j][N_PARAMS]; evaluation:
// (loss, correct) per [j][b]). Units are numbered as UNIT_OFFSET: inputs first.
//
// No sum here depends on how the work is sliced: every output element is one invocation summing
// its terms in the same order as mlp.wgsl (bias first, then inputs in order).

// The invocation's index in a dispatch of (x, y) workgroups: big layers need more than 65,535
// workgroups in x (src/engine/batchedTrain.ts grid()).
fn linear_id(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * WORKGROUP_SIZE + lid.x;
}

fn unit_at(j: u32, b: u32, unit: u32) -> u32 {
  return (j * u.rows + b) * N_UNITS + unit;
}

fn param_at(i: u32, k: u32) -> u32 {
  return i * u.particle_stride + k * u.param_stride;
}

// The data row of local row b of particle i: training draws the minibatch as train.wgsl does
// (full batch: rows in order); evaluation reads rows u.row_first + b of the data; SGLD (row_mode
// 2, i a chain: batched_sgld.wgsl) draws sgld.wgsl's rows for chain i mod u.chains of centre
// i / u.chains.
fn data_row(i: u32, b: u32) -> u32 {
  let g = u.row_first + b;
  if (u.row_mode == 1u || u.batch == 0u) { return g; }
  if (u.row_mode == 2u) {
    let key_step = (i % u.chains) * u.chain_steps + u.step_base + u.s;
    return pcg_hash(rand_key(u.noise_seed, u.first_particle + i / u.chains, PURPOSE_SGLD_BATCH, key_step) ^ g) % u.train_rows;
  }
  let particle = u.first_particle + i % u.cell_size;
  let batch_key = rand_key(u.noise_seed, particle, PURPOSE_BATCH, u.step_base + u.s);
  return pcg_hash(batch_key ^ g) % u.train_rows;
}

// One invocation per (particle, row, input): copies the row's inputs into the activations.
@compute @workgroup_size(WORKGROUP_SIZE)
fn load_inputs(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * u.rows * N_IN) { return; }
  let x = id % N_IN;
  let jb = id / N_IN;
  let b = jb % u.rows;
  let j = jb / u.rows;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  work[u.work_a + unit_at(j, b, x)] = data_x[data_row(i, b) * N_IN + x];
}

// The matrix passes (forward_layer here; backward_layer and gradients in training) are register
// tiles generated from their shape by src/engine/batchedTiles.ts and appended after this file:
// an invocation computes a block of rows × units, so each storage load serves a row or column of
// the block (docs/PERFORMANCE.md, items 29 and 32). Edge tiles clamp their loads to the last row
// or unit and store only what exists. Each element's sum keeps its terms and their order (bias
// first, then inputs in order), so a tile's sums are bit for bit the one-output ones.

// One forward element: z at `at`, and its activation (the output layer's is z itself).
fn store_forward(at: u32, last: bool, z: f32) {
  work[at] = z;
  work[u.work_a + at] = select(activate(z), z, last);
}

// Loss of local row b of particle j (whose forward pass is in work); sets its output deltas.
// The same maths as mlp.wgsl's loss_and_output_delta. Returns (loss, 1 if right else 0).
fn output_loss(j: u32, b: u32, row: u32, tolerance: f32) -> vec2f {
  let out = unit_at(j, b, UNIT_OFFSET[N_LAYERS]);
  let d = u.work_delta + out;
  if (LOSS == 1u) {
    var sum = 0.0;
    var within = true;
    for (var k = 0u; k < N_OUT; k++) {
      let e = work[out + k] - bitcast<f32>(data_y[row * N_OUT + k]);
      sum += e * e;
      work[d + k] = MSE_DELTA_SCALE * e;
      within = within && abs(e) <= tolerance;
    }
    return vec2f(sum / f32(N_OUT), select(0.0, 1.0, within));
  }
  let label = data_y[row];
  if (N_OUT == 1u) {
    let logit = work[out];
    let y = f32(label);
    let loss = max(logit, 0.0) - logit * y + log(1.0 + exp(-abs(logit)));
    work[d] = 1.0 / (1.0 + exp(-logit)) - y;
    return vec2f(loss, select(0.0, 1.0, u32(logit > 0.0) == label));
  }
  var best = work[out];
  var arg = 0u;
  for (var k = 1u; k < N_OUT; k++) {
    if (work[out + k] > best) { best = work[out + k]; arg = k; }
  }
  var sum = 0.0;
  for (var k = 0u; k < N_OUT; k++) { sum += exp(work[out + k] - best); }
  let lse = best + log(sum);
  for (var k = 0u; k < N_OUT; k++) { work[d + k] = exp(work[out + k] - lse) - select(0.0, 1.0, k == label); }
  return vec2f(lse - work[out + label], select(0.0, 1.0, arg == label));
}
