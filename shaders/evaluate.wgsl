// One invocation evaluates one parameter vector: mean loss and accuracy on every dataset of the
// task (train first, then probes). A vector with a non-finite entry gets loss NaN, accuracy 0.
// Needs rng.wgsl (unused here), the model header and mlp.wgsl before it.

struct EvalUniforms {
  count: u32,  // vectors in eval_params
  sets: u32,
  nan: f32,    // NaN, set by the host: WGSL has no way to spell a NaN constant
  offset: u32, // first vector of this dispatch
}

@group(0) @binding(0) var<uniform> u: EvalUniforms;
@group(0) @binding(1) var<storage, read> data_x: array<f32>;
@group(0) @binding(2) var<storage, read> data_y: array<u32>;
// (first row, rows) of each set in data_x / data_y
@group(0) @binding(3) var<storage, read> set_rows: array<vec2u>;
@group(0) @binding(4) var<storage, read> eval_params: array<f32>;
// [count][sets][loss, accuracy]
@group(0) @binding(5) var<storage, read_write> metrics: array<f32>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn evaluate(@builtin(global_invocation_id) gid: vec3u) {
  let i = u.offset + gid.x;
  if (i >= u.count) { return; }
  var finite = true;
  for (var k = 0u; k < N_PARAMS; k++) {
    params[k] = eval_params[i * N_PARAMS + k];
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
      let lc = loss_and_output_delta(data_y[row]);
      loss += lc.x;
      correct += lc.y;
    }
    metrics[out] = loss / f32(range.y);
    metrics[out + 1u] = correct / f32(range.y);
  }
}
