// Activations and their derivatives, in float32, the same maths as src/core/activations.ts
// (indexed as ACTIVATIONS in src/core/layout.ts: 0 tanh, 1 relu, 2 gelu, 3 square, 4 identity);
// is_finite for the divergence checks. Shared by the looped kernels (through mlp.wgsl's callers)
// and the unrolled ones generated in src/engine/unrolled*.ts.

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
  if (ACTIVATION == 3u) { return v * v; }
  if (ACTIVATION == 4u) { return v; }
  return 0.5 * v * (1.0 + safe_tanh(GELU_K * (v + GELU_C * v * v * v)));
}

fn activate_derivative(v: f32) -> f32 {
  if (ACTIVATION == 0u) { let t = safe_tanh(v); return 1.0 - t * t; }
  if (ACTIVATION == 1u) { return select(0.0, 1.0, v > 0.0); }
  if (ACTIVATION == 3u) { return 2.0 * v; }
  if (ACTIVATION == 4u) { return 1.0; }
  // beyond ±10 the derivative is exactly 1 or 0 in float32; clamping keeps v³ and v² finite, as
  // 0 · ∞ would otherwise turn a large but finite input into NaN
  let c = select(select(v, -10.0, v < -10.0), 10.0, v > 10.0);
  let t = safe_tanh(GELU_K * (c + GELU_C * c * c * c));
  return 0.5 * (1.0 + t) + 0.5 * c * (1.0 - t * t) * GELU_K * (1.0 + 3.0 * GELU_C * c * c);
}

fn is_finite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}
