// The training kernels' bindings 3 … 7 and constants, shared by the looped kernel (train.wgsl),
// the unrolled one generated in src/engine/unrolledTrain.ts and the batched trainer
// (batched_train.wgsl). Binding 0 is the kernel's uniform record (src/engine/compose.ts
// uniformsPart), 1 and 2 the task's rows (task_bindings.wgsl).
//
// Parameters and optimizer moments are addressed through strides (src/engine/paramLayout.ts):
// parameter k of particle i sits at i · particle_stride + k · param_stride, so the engine can
// keep them parameter-major, where neighbouring invocations read neighbouring addresses.
// Moment j (m, v) of that parameter sits at j · particles · N_PARAMS + the same offset.

@group(0) @binding(3) var<storage, read_write> particle_params: array<f32>;
@group(0) @binding(4) var<storage, read_write> optimizer_state: array<f32>;
@group(0) @binding(5) var<storage, read_write> particle_diverged: array<u32>;
// Adam's bias corrections (1 − β₁ᵗ, 1 − β₂ᵗ) for the steps of this dispatch, computed in float64
// by the host: WGSL's pow is off by up to 14 ulp on SwiftShader, and 1 − pow magnifies it
@group(0) @binding(6) var<storage, read> adam_corrections: array<vec2f>;
// a row of N_LAYERS + 2 per cell (src/core/optimizer.ts hyperTable): each layer's learning rate
// (lr × its multiplier, computed in float64 by the host), weight decay, momentum. A plain run is
// one cell: every particle reads row 0
@group(0) @binding(7) var<storage, read> hyper_table: array<f32>;

// (Adam's betas are uniforms, u.beta1 and u.beta2)
const ADAM_EPS: f32 = 1e-8;
