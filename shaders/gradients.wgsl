// One invocation computes ∇L of one parameter vector, L the mean data loss over every training
// row (rows 0 .. train_rows−1 of the task upload; weight decay is not part of L). Hessian–vector
// products for sharpness are central differences of these. Parameter k of vector i is read from
// and written to i · particle_stride + k · param_stride (src/engine/paramLayout.ts).
// Needs the model header, the GradientUniforms record, workgroup.wgsl, activations.wgsl,
// task_bindings.wgsl and mlp.wgsl before it.

@group(0) @binding(3) var<storage, read> grad_params: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad_out: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn gradients(@builtin(global_invocation_id) gid: vec3u) {
  let i = u.offset + gid.x;
  if (i >= u.count) { return; }
  let base = i * u.particle_stride;
  for (var k = 0u; k < N_PARAMS; k++) {
    params[k] = grad_params[base + k * u.param_stride];
    grad[k] = 0.0;
  }
  for (var row = 0u; row < u.train_rows; row++) {
    forward(row);
    _ = loss_and_output_delta(row, 0.0);
    backward();
  }
  let rows = f32(u.train_rows);
  for (var k = 0u; k < N_PARAMS; k++) { grad_out[base + k * u.param_stride] = grad[k] / rows; }
}
