// The prior sampler: one invocation draws one parameter vector from the init distribution, runs
// its network on the training rows and stops at the first it labels wrongly (rejection); an
// accepted sample appends its index and its function (logit > 0 on every domain row, train rows
// then each probe's, as bits) to `found`. Appends come in any order; the host sorts by index.
// The same draws and rule as src/core/instruments/prior/priorSampler.ts (key_normal/key_uniform against
// rng.ts's randNormal/randUniform). Needs the model header, the PriorUniforms record, MAX_WORDS,
// workgroup.wgsl, rng.wgsl, activations.wgsl, task_bindings.wgsl and mlp.wgsl.

// [0]: accepted so far in this dispatch; then per accepted sample its index and u.words words
@group(0) @binding(3) var<storage, read_write> found: array<atomic<u32>>;

// MAX_WORDS (u32): MAX_PRIOR_WORDS of src/core/instruments/prior/priorSampler.ts, composed before this
// file (src/engine/compose.ts priorWordsHeader)

// Slot `counter` of the sample's key, with standard deviation (Gaussian) or bound (uniform) `sd`.
fn init_draw(key: u32, counter: u32, sd: f32) -> f32 {
  if (u.gaussian != 0u) { return sd * key_normal(key, counter); }
  return (2.0 * key_uniform(key, counter) - 1.0) * sd;
}

fn logit_bit(row: u32) -> u32 {
  forward(row);
  return select(0u, 1u, z[UNIT_OFFSET[N_LAYERS]] > 0.0);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn prior(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x >= u.count) { return; }
  let sample = u.first_sample + gid.x;
  let key = rand_key(u.seed, sample, PURPOSE_PRIOR, 0u);
  // the counter of a parameter is its index in the with-bias layout, as drawInit's
  var full = 0u;
  for (var l = 0u; l < N_LAYERS; l++) {
    let fan_in = LAYER_FAN_IN[l];
    let fan_out = LAYER_FAN_OUT[l];
    let w_std = u.scale / sqrt(f32(fan_in));
    let b_std = select(w_std, u.scale, u.gaussian != 0u);
    let n_w = fan_in * fan_out;
    for (var k = 0u; k < n_w; k++) { params[LAYER_W[l] + k] = init_draw(key, full + k, w_std); }
    if (HAS_BIAS) {
      for (var o = 0u; o < fan_out; o++) { params[LAYER_B[l] + o] = init_draw(key, full + n_w + o, b_std); }
    }
    full += n_w + fan_out;
  }
  var bits: array<u32, MAX_WORDS>;
  for (var r = 0u; r < u.rows; r++) {
    let bit = logit_bit(r);
    if (r < u.train_rows && bit != data_y[r]) { return; }
    bits[r / 32u] |= bit << (r % 32u);
  }
  let slot = atomicAdd(&found[0], 1u);
  let at = 1u + slot * (1u + u.words);
  atomicStore(&found[at], sample);
  for (var w = 0u; w < u.words; w++) { atomicStore(&found[at + 1u + w], bits[w]); }
}
