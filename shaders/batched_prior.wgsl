// The prior sampler on the batched kernels (src/engine/batchedPrior.ts), for nets past what
// prior.wgsl holds in one invocation: prior_init draws every sample's parameters (the same draws
// as prior.wgsl: slot = the parameter's index in the with-bias layout), then per row chunk
// load_inputs and forward_layer (rows row_first + b of the domain: train rows, then each probe's)
// and prior_bits, which records the sign of each row's logit and rejects a sample at the first
// training row it labels wrongly (marking it in particle_diverged, so later chunks skip it). The
// accepted samples are those never marked, with the same bits as prior.wgsl's.
// Needs MAX_WORDS, and batched_train.wgsl (with the bindings composed before it) and
// batched_common.wgsl with it.

// per sample, MAX_WORDS words of bits: row r's logit > 0 at bit r mod 32 of word r / 32 (zeroed by the host)
@group(0) @binding(10) var<storage, read_write> sample_bits: array<u32>;

// MAX_WORDS (u32): MAX_PRIOR_WORDS of src/core/instruments/prior/priorSampler.ts, composed before this
// file (src/engine/compose.ts priorWordsHeader), as prior.wgsl's

// One invocation per (sample, parameter): sample u.first_particle + i's draw of parameter k, from
// the init distribution (u.init_gaussian: Gaussian, else uniform) at scale u.init_scale.
@compute @workgroup_size(WORKGROUP_SIZE)
fn prior_init(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * N_PARAMS) { return; }
  let k = id % N_PARAMS;
  let i = u.particle_offset + id / N_PARAMS;
  var l = 0u;
  var full = 0u;
  while (k >= LAYER_END[l]) {
    full += LAYER_FAN_IN[l] * LAYER_FAN_OUT[l] + LAYER_FAN_OUT[l];
    l++;
  }
  let fan_in = LAYER_FAN_IN[l];
  let n_w = fan_in * LAYER_FAN_OUT[l];
  let w_std = u.init_scale / sqrt(f32(fan_in));
  var sd = w_std;
  var counter = full + (k - LAYER_W[l]);
  if (k >= LAYER_W[l] + n_w) {
    // a bias: after the layer's weights in the with-bias layout
    sd = select(w_std, u.init_scale, u.init_gaussian != 0u);
    counter = full + n_w + (k - LAYER_B[l]);
  }
  let key = rand_key(u.noise_seed, u.first_particle + i, PURPOSE_PRIOR, 0u);
  var draw = (2.0 * key_uniform(key, counter) - 1.0) * sd;
  if (u.init_gaussian != 0u) { draw = sd * key_normal(key, counter); }
  particle_params[param_at(i, k)] = draw;
}

// One invocation per sample: the chunk's rows in order, as prior.wgsl's loop.
@compute @workgroup_size(WORKGROUP_SIZE)
fn prior_bits(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = linear_id(wid, nwg, lid);
  if (j >= u.count) { return; }
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  for (var b = 0u; b < u.rows; b++) {
    let r = u.row_first + b;
    let bit = select(0u, 1u, work[unit_at(j, b, UNIT_OFFSET[N_LAYERS])] > 0.0);
    if (r < u.train_rows && bit != data_y[r]) {
      particle_diverged[i] = 1u;
      return;
    }
    sample_bits[i * MAX_WORDS + r / 32u] |= bit << (r % 32u);
  }
}
