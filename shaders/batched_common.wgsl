// The population trainer for big nets (src/engine/batchedTrain.ts): one step of every particle is,
// per layer, a batched matrix product over (particle, batch row) × unit, so each pass is one
// dispatch with one invocation per output element, and the activations live in a storage buffer
// (`work`) between passes instead of in private memory. This file holds what training and
// evaluation share: addressing, the input load, the forward layer and the output loss.
// Needs the model header, the BatchedUniforms struct, rng.wgsl, activations.wgsl and the
// including kernel's bindings (u, data_x, data_y, particle_params, work) before it.
//
// work, in f32, for the `u.count` particles of this dispatch (local index j) and `u.rows` rows
// (local index b): z at [j][b][unit] from 0, activations a from u.work_a, deltas from
// u.work_delta, then a region from u.work_extra (training: gradients [j][N_PARAMS]; evaluation:
// (loss, correct) per [j][b]). Units are numbered as UNIT_OFFSET: inputs first.
//
// No sum here depends on how the work is sliced: every output element is one invocation summing
// its terms in the same order as mlp.wgsl (bias first, then inputs in order).

override WORKGROUP_SIZE: u32 = 64u;

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

// Register tiles (TILE × TILE): a pass's invocation computes a block of 4 rows × 4 units, so each
// weight it loads serves 4 rows and each activation 4 units: a quarter of the one-output kernel's
// storage loads per multiply-add (docs/PERFORMANCE.md, item 29). Edge tiles clamp their loads to
// the last row or unit and store only what exists. Each element's sum keeps its terms and their
// order (bias first, then inputs in order), so a tile's sums are bit for bit the one-output ones.
const TILE: u32 = 4u;
const IOTA = vec4u(0u, 1u, 2u, 3u);

fn tiles(n: u32) -> u32 {
  return (n + TILE - 1u) / TILE;
}

// The 4 indices first … first + 3, clamped to n − 1 (an edge tile's loads stay in bounds).
fn tile_of(first: u32, n: u32) -> vec4u {
  return min(vec4u(first) + IOTA, vec4u(n - 1u));
}

// Parameters k.x … k.w of particle i.
fn params4(i: u32, k: vec4u) -> vec4f {
  return vec4f(particle_params[param_at(i, k.x)], particle_params[param_at(i, k.y)], particle_params[param_at(i, k.z)], particle_params[param_at(i, k.w)]);
}

// One forward output row of a tile: z and a of units o0 … o0 + 3 (those below fan_out) of row b.
fn store_forward(j: u32, b: u32, o0: u32, fan_out: u32, last: bool, sum: vec4f) {
  let out = unit_at(j, b, UNIT_OFFSET[u.layer + 1u] + o0);
  for (var c = 0u; c < min(TILE, fan_out - o0); c++) {
    work[out + c] = sum[c];
    work[u.work_a + out + c] = select(activate(sum[c]), sum[c], last);
  }
}

// One invocation per (particle, 4 rows, 4 output units) of layer u.layer.
@compute @workgroup_size(WORKGROUP_SIZE)
fn forward_layer(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let l = u.layer;
  let fan_in = LAYER_FAN_IN[l];
  let fan_out = LAYER_FAN_OUT[l];
  let out_tiles = tiles(fan_out);
  let row_tiles = tiles(u.rows);
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * row_tiles * out_tiles) { return; }
  let o0 = (id % out_tiles) * TILE;
  let jr = id / out_tiles;
  let b0 = (jr % row_tiles) * TILE;
  let j = jr / row_tiles;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  let o = tile_of(o0, fan_out);
  let b = tile_of(b0, u.rows);
  var s0 = vec4f(0.0);
  if (HAS_BIAS) { s0 = params4(i, vec4u(LAYER_B[l]) + o); }
  var s1 = s0;
  var s2 = s0;
  var s3 = s0;
  let w = vec4u(LAYER_W[l]) + o * fan_in;
  let a_in = UNIT_OFFSET[l] + u.work_a;
  let a0 = a_in + unit_at(j, b.x, 0u);
  let a1 = a_in + unit_at(j, b.y, 0u);
  let a2 = a_in + unit_at(j, b.z, 0u);
  let a3 = a_in + unit_at(j, b.w, 0u);
  for (var x = 0u; x < fan_in; x++) {
    let wx = params4(i, w + vec4u(x));
    s0 += wx * work[a0 + x];
    s1 += wx * work[a1 + x];
    s2 += wx * work[a2 + x];
    s3 += wx * work[a3 + x];
  }
  let last = l + 1u == N_LAYERS;
  let rows = min(TILE, u.rows - b0);
  store_forward(j, b0, o0, fan_out, last, s0);
  if (rows > 1u) { store_forward(j, b0 + 1u, o0, fan_out, last, s1); }
  if (rows > 2u) { store_forward(j, b0 + 2u, o0, fan_out, last, s2); }
  if (rows > 3u) { store_forward(j, b0 + 3u, o0, fan_out, last, s3); }
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
