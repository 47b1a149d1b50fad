// The network of one invocation, in float32: forward pass, loss, backward pass. The same maths as
// src/core/mlp.ts. Needs the model header (N_PARAMS, N_UNITS, N_LAYERS, LAYER_*, UNIT_OFFSET,
// ACTIVATION, N_OUT, LOSS, HAS_BIAS), activations.wgsl, and the dataset bindings `data_x`, `data_y`
// (task_bindings.wgsl). data_y holds class labels (LOSS 0) or, for mean squared
// error (LOSS 1), the bits of the f32 targets, [row][N_OUT].
// Private arrays must be sized by const-expressions in WGSL, so the model shape comes as consts.

var<private> params: array<f32, N_PARAMS>;
var<private> grad: array<f32, N_PARAMS>;
var<private> z: array<f32, N_UNITS>;
var<private> a: array<f32, N_UNITS>;
var<private> delta: array<f32, N_UNITS>;

fn forward(row: u32) {
  for (var i = 0u; i < N_IN; i++) { a[i] = data_x[row * N_IN + i]; }
  for (var l = 0u; l < N_LAYERS; l++) {
    let fan_in = LAYER_FAN_IN[l];
    let fan_out = LAYER_FAN_OUT[l];
    let w0 = LAYER_W[l];
    let b0 = LAYER_B[l];
    let in_off = UNIT_OFFSET[l];
    let out_off = UNIT_OFFSET[l + 1u];
    let last = l + 1u == N_LAYERS;
    for (var o = 0u; o < fan_out; o++) {
      var sum = 0.0;
      if (HAS_BIAS) { sum = params[b0 + o]; }
      let w = w0 + o * fan_in;
      for (var i = 0u; i < fan_in; i++) { sum += params[w + i] * a[in_off + i]; }
      z[out_off + o] = sum;
      a[out_off + o] = select(activate(sum), sum, last);
    }
  }
}

// Loss of the example `row` just run through forward(); sets the output deltas. Returns (loss, 1
// if the prediction is right else 0); for mean squared error "right" is every output within
// `tolerance` of its target (only evaluation reads it).
fn loss_and_output_delta(row: u32, tolerance: f32) -> vec2f {
  let out = UNIT_OFFSET[N_LAYERS];
  if (LOSS == 1u) {
    var sum = 0.0;
    var within = true;
    for (var k = 0u; k < N_OUT; k++) {
      let e = z[out + k] - bitcast<f32>(data_y[row * N_OUT + k]);
      sum += e * e;
      delta[out + k] = MSE_DELTA_SCALE * e;
      within = within && abs(e) <= tolerance;
    }
    return vec2f(sum / f32(N_OUT), select(0.0, 1.0, within));
  }
  let label = data_y[row];
  if (N_OUT == 1u) {
    let logit = z[out];
    let y = f32(label);
    let loss = max(logit, 0.0) - logit * y + log(1.0 + exp(-abs(logit)));
    delta[out] = 1.0 / (1.0 + exp(-logit)) - y;
    return vec2f(loss, select(0.0, 1.0, u32(logit > 0.0) == label));
  }
  var best = z[out];
  var arg = 0u;
  for (var k = 1u; k < N_OUT; k++) {
    if (z[out + k] > best) { best = z[out + k]; arg = k; }
  }
  var sum = 0.0;
  for (var k = 0u; k < N_OUT; k++) { sum += exp(z[out + k] - best); }
  let lse = best + log(sum);
  for (var k = 0u; k < N_OUT; k++) { delta[out + k] = exp(z[out + k] - lse) - select(0.0, 1.0, k == label); }
  return vec2f(lse - z[out + label], select(0.0, 1.0, arg == label));
}

// Adds the gradient of the example whose output deltas are set to `grad`.
fn backward() {
  for (var step = 0u; step < N_LAYERS; step++) {
    let l = N_LAYERS - 1u - step;
    let fan_in = LAYER_FAN_IN[l];
    let fan_out = LAYER_FAN_OUT[l];
    let w0 = LAYER_W[l];
    let b0 = LAYER_B[l];
    let in_off = UNIT_OFFSET[l];
    let out_off = UNIT_OFFSET[l + 1u];
    for (var o = 0u; o < fan_out; o++) {
      let d = delta[out_off + o];
      if (HAS_BIAS) { grad[b0 + o] += d; }
      let w = w0 + o * fan_in;
      for (var i = 0u; i < fan_in; i++) { grad[w + i] += d * a[in_off + i]; }
    }
    if (l == 0u) { break; }
    for (var i = 0u; i < fan_in; i++) {
      var sum = 0.0;
      for (var o = 0u; o < fan_out; o++) { sum += params[w0 + o * fan_in + i] * delta[out_off + o]; }
      delta[in_off + i] = sum * activate_derivative(z[in_off + i]);
    }
  }
}
