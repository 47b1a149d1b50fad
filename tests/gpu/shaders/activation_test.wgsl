// Test kernel: writes activate(x) and activate_derivative(x) of shaders/activations.wgsl for a list
// of inputs, so tests can compare them with src/core/activations.ts. Needs a model header and
// activations.wgsl before it.
@group(0) @binding(0) var<storage, read> data_x: array<f32>;
@group(0) @binding(1) var<storage, read_write> values: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&data_x)) { return; }
  values[2u * i] = activate(data_x[i]);
  values[2u * i + 1u] = activate_derivative(data_x[i]);
}
