// Evaluation for big nets (src/engine/batchedEvaluate.ts): loss and accuracy of many parameter
// vectors on one set of the task, a chunk of rows at a time: load_inputs and forward_layer
// (batched_common.wgsl), then row_metrics per (vector, row), then accumulate per vector, which
// adds the chunk's rows to the running sums in row order (so the sums are those of evaluate.wgsl
// however the rows are chunked), and on the set's last chunk writes the means: loss NaN and
// accuracy 0 for a vector with a non-finite entry. Needs the model header, the BatchedUniforms
// record, workgroup.wgsl, rng.wgsl, activations.wgsl and task_bindings.wgsl before it and
// batched_common.wgsl after it.

@group(0) @binding(3) var<storage, read> particle_params: array<f32>;
@group(0) @binding(4) var<storage, read_write> work: array<f32>;
// [count][sets][loss, accuracy]; the running sums live here until the set's last chunk
@group(0) @binding(5) var<storage, read_write> metrics: array<f32>;

fn particle_skipped(i: u32) -> bool {
  return false;
}

// One invocation per (vector, row): the row's (loss, correct) into work's extra region.
@compute @workgroup_size(WORKGROUP_SIZE)
fn row_metrics(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * u.rows) { return; }
  let b = id % u.rows;
  let j = id / u.rows;
  let lc = output_loss(j, b, u.row_first + b, u.tolerance);
  work[u.work_extra + 2u * id] = lc.x;
  work[u.work_extra + 2u * id + 1u] = lc.y;
}

// One invocation per vector: the chunk's rows added in order; the means on the last chunk.
@compute @workgroup_size(WORKGROUP_SIZE)
fn accumulate(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = linear_id(wid, nwg, lid);
  if (j >= u.count) { return; }
  let i = u.particle_offset + j;
  let out = (i * u.sets + u.set_index) * 2u;
  var loss = 0.0;
  var correct = 0.0;
  if (u.row_first != u.set_first) {
    loss = metrics[out];
    correct = metrics[out + 1u];
  }
  for (var b = 0u; b < u.rows; b++) {
    loss += work[u.work_extra + 2u * (j * u.rows + b)];
    correct += work[u.work_extra + 2u * (j * u.rows + b) + 1u];
  }
  if (u.row_first + u.rows == u.set_first + u.batch_rows) {
    var finite = true;
    for (var k = 0u; k < N_PARAMS; k++) { finite = finite && is_finite(particle_params[param_at(i, k)]); }
    if (finite) {
      loss /= f32(u.batch_rows);
      correct /= f32(u.batch_rows);
    } else {
      loss = u.nan;
      correct = 0.0;
    }
  }
  metrics[out] = loss;
  metrics[out + 1u] = correct;
}
