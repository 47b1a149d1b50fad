// One invocation evaluates one parameter vector: mean loss and accuracy on every dataset of the
// task (train first, then probes). A vector with a non-finite entry gets loss NaN, accuracy 0.
// Needs the model header, the EvaluateUniforms record, workgroup.wgsl, activations.wgsl,
// task_bindings.wgsl, evaluate_bindings.wgsl and mlp.wgsl before it.

@compute @workgroup_size(WORKGROUP_SIZE)
fn evaluate(@builtin(global_invocation_id) gid: vec3u) {
  let i = u.offset + gid.x;
  if (i >= u.count) { return; }
  var finite = true;
  for (var k = 0u; k < N_PARAMS; k++) {
    params[k] = eval_params[i * u.particle_stride + k * u.param_stride];
    finite = finite && is_finite(params[k]);
  }
  for (var s = 0u; s < u.sets; s++) {
    let out = (i * u.sets + s) * 2u;
    if (!finite) {
      metrics[out] = u.nan;
      metrics[out + 1u] = 0.0;
      continue;
    }
    let range = set_rows[s];
    var loss = 0.0;
    var correct = 0.0;
    for (var r = 0u; r < range.y; r++) {
      let row = range.x + r;
      forward(row);
      let lc = loss_and_output_delta(row, u.tolerance);
      loss += lc.x;
      correct += lc.y;
    }
    metrics[out] = loss / f32(range.y);
    metrics[out + 1u] = correct / f32(range.y);
  }
}
