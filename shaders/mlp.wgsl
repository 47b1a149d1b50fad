// The network of one invocation, in float32: forward pass, loss, backward pass. The same maths as
// src/core/mlp.ts. Needs the model header (N_PARAMS, N_UNITS, N_LAYERS, LAYER_*, UNIT_OFFSET,
// ACTIVATION, N_OUT) and the dataset bindings `data_x`, `data_y` from the including shader.
// Private arrays must be sized by const-expressions in WGSL, so the model shape comes as consts.

var<private> params: array<f32, N_PARAMS>;
var<private> grad: array<f32, N_PARAMS>;
var<private> z: array<f32, N_UNITS>;
var<private> a: array<f32, N_UNITS>;
var<private> delta: array<f32, N_UNITS>;

const GELU_K: f32 = 0.7978845608028654;
const GELU_C: f32 = 0.044715;

// tanh as a rational function (Eigen's float tanh: degree 13/6, within a few ulp of the true
// value, checked against float64 in tests/gpu/activation.test.ts), not the builtin. Why:
// - SwiftShader computes tanh from two exponentials and a division, and returns NaN for
//   |x| > ~44; with the clamp that prevented it, tanh was over half the training step there, and
//   this form made the whole step 1.5× faster (docs/PERFORMANCE.md);
// - beyond ±7.905 float32 tanh is ±1 to within an ulp, so the input is clamped there. `select`,
//   not clamp(): NaN must pass through (it marks divergence), and clamp's NaN handling is costly.
fn safe_tanh(v: f32) -> f32 {
  let c = 7.90531110763549805;
  let x = select(select(v, -c, v < -c), c, v > c);
  let x2 = x * x;
  let p = x * ((((((-2.76076847742355e-16 * x2 + 2.00018790482477e-13) * x2 - 8.60467152213735e-11) * x2
    + 5.12229709037114e-08) * x2 + 1.48572235717979e-05) * x2 + 6.37261928875436e-04) * x2 + 4.89352455891786e-03);
  let q = ((1.19825839466702e-06 * x2 + 1.18534705686654e-04) * x2 + 2.26843463243900e-03) * x2 + 4.89352518554385e-03;
  return p / q;
}

fn activate(v: f32) -> f32 {
  if (ACTIVATION == 0u) { return safe_tanh(v); }
  if (ACTIVATION == 1u) { return max(v, 0.0); }
  return 0.5 * v * (1.0 + safe_tanh(GELU_K * (v + GELU_C * v * v * v)));
}

fn activate_derivative(v: f32) -> f32 {
  if (ACTIVATION == 0u) { let t = safe_tanh(v); return 1.0 - t * t; }
  if (ACTIVATION == 1u) { return select(0.0, 1.0, v > 0.0); }
  // beyond ±10 the derivative is exactly 1 or 0 in float32; clamping keeps v³ and v² finite, as
  // 0 · ∞ would otherwise turn a large but finite input into NaN
  let c = select(select(v, -10.0, v < -10.0), 10.0, v > 10.0);
  let t = safe_tanh(GELU_K * (c + GELU_C * c * c * c));
  return 0.5 * (1.0 + t) + 0.5 * c * (1.0 - t * t) * GELU_K * (1.0 + 3.0 * GELU_C * c * c);
}

fn is_finite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

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
      var sum = params[b0 + o];
      let w = w0 + o * fan_in;
      for (var i = 0u; i < fan_in; i++) { sum += params[w + i] * a[in_off + i]; }
      z[out_off + o] = sum;
      a[out_off + o] = select(activate(sum), sum, last);
    }
  }
}

// Loss of the example just run through forward() with label `label`; sets the output deltas.
// Returns (loss, 1 if the prediction is right else 0).
fn loss_and_output_delta(label: u32) -> vec2f {
  let out = UNIT_OFFSET[N_LAYERS];
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
      grad[b0 + o] += d;
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
