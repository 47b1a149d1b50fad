// SGLD chains for the local learning coefficient on the batched kernels (src/engine/batchedSgld.ts),
// for nets past what sgld.wgsl holds in one invocation's private memory. A "particle" of the
// batched passes is a chain here (index i over particles × chains; chain c = i mod u.chains of
// centre i / u.chains), its position in particle_params. One step, in the order sgld.wgsl takes it:
// per row chunk load_inputs (row_mode 2 draws sgld.wgsl's minibatch rows), forward_layer,
// sgld_output_loss, backward_layer, gradients (batched_train.wgsl), sgld_batch_loss (on the
// step's last chunk also the loss, the finiteness test and the draw's sums); then sgld_update (the
// Langevin step with sgld.wgsl's noise); after a group's last step, settle (batched_train.wgsl).
// The finiteness tests ride on batched_train.wgsl's divergence flags: a non-finite gradient is
// flagged by the gradient stores and marks the chain in sgld_batch_loss; a non-finite position is
// flagged by sgld_update; the chain then adds to no sum and takes no update, and settle marks it.
// Every float32 sum keeps sgld.wgsl's terms and order:
// the batch loss row by row from 0, the gradient as batched_train.wgsl's, the block sums draw by
// draw; so no result depends on how the host slices rows, chains or steps.
// Needs batched_train.wgsl (its passes, and bindings 0 … 8 with the files composed before it)
// and batched_common.wgsl with it.

// (bindings 4, 6 and 7, the trainer's optimizer state, are not in this module's layout, and
// the centres' losses share a binding with the centres: WebGPU guarantees 8 storage buffers)
// w* per centre, parameter-major: parameter k of centre i at k · u.particles + i; then from
// u.particles · N_PARAMS, per centre i: L(w*) at 2i, its step size ε at 2i + 1
@group(0) @binding(9) var<storage, read> centers: array<f32>;
// per chain i, 4 words: the open block's partial sum of (batch loss − L(w*)) as f32 bits, draws
// below L(w*), this step's running batch-loss sum as f32 bits (carried between row chunks), unused
@group(0) @binding(10) var<storage, read_write> chain_stats: array<u32>;
// per chain, DRAW_BLOCKS sums of (batch loss − L(w*)) over fixed runs of draws, as sgld.wgsl's
@group(0) @binding(11) var<storage, read_write> block_sums: array<f32>;

const DRAW_BLOCKS = 64u;

// One invocation per (chain, row): the row's loss (kept for sgld_batch_loss) and output deltas.
@compute @workgroup_size(WORKGROUP_SIZE)
fn sgld_output_loss(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * u.rows) { return; }
  let b = id % u.rows;
  let j = id / u.rows;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  work[u.work_loss + j * u.rows + b] = output_loss(j, b, data_row(i, b), 0.0).x;
}

// One invocation per chain: the row losses of this chunk added, in row order, to the step's sum;
// on the step's last chunk, the draw (sgld_draw).
@compute @workgroup_size(WORKGROUP_SIZE)
fn sgld_batch_loss(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = linear_id(wid, nwg, lid);
  if (j >= u.count) { return; }
  let i = u.particle_offset + j;
  // (a chain whose last update overflowed: no sums from it, as sgld.wgsl stops it)
  if (particle_skipped(i) || died_before(j)) { return; }
  var loss = 0.0;
  if (u.row_first != 0u) { loss = bitcast<f32>(chain_stats[4u * i + 2u]); }
  for (var b = 0u; b < u.rows; b++) { loss += work[u.work_loss + j * u.rows + b]; }
  chain_stats[4u * i + 2u] = bitcast<u32>(loss);
  if (u.row_first + u.rows == u.batch_rows) { sgld_draw(i, j, loss); }
}

// The step's batch loss (its row sum × 1/batch), and sgld.wgsl's test: a non-finite loss or
// gradient marks the chain diverged (no update, never touched again); a finite draw adds to the sums.
fn sgld_draw(i: u32, j: u32, sum: f32) {
  let loss = sum * (1.0 / f32(u.batch_rows));
  if (!is_finite(loss) || work[flag_at(j, 0u)] != 0.0) {
    particle_diverged[i] = 1u;
    return;
  }
  let t = u.step_base + u.s;
  if (t < u.burnin) { return; }
  let l_star = centers[u.particles * N_PARAMS + 2u * (i / u.chains)];
  let d = t - u.burnin;
  let draws = u.chain_steps - u.burnin;
  let block_len = (draws + DRAW_BLOCKS - 1u) / DRAW_BLOCKS;
  let partial = bitcast<f32>(chain_stats[4u * i]) + (loss - l_star);
  chain_stats[4u * i + 1u] += select(0u, 1u, loss < l_star);
  if ((d + 1u) % block_len == 0u || d + 1u == draws) {
    block_sums[i * DRAW_BLOCKS + d / block_len] = partial;
    chain_stats[4u * i] = 0u;
  } else {
    chain_stats[4u * i] = bitcast<u32>(partial);
  }
}

// One invocation per (chain, run of UPDATE_RUN consecutive parameters, as batched_train.wgsl's
// update): Δw = −(ε/2)·(nβ·∇L_batch(w) + γ·(w − w*)) + √ε·N(0, 1) per parameter, the noise
// sgld.wgsl draws for this chain, step and parameter; the run shares the flags, ε and the key.
@compute @workgroup_size(WORKGROUP_SIZE)
fn sgld_update(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * UPDATE_RUNS) { return; }
  let j = id / UPDATE_RUNS;
  let first = (id % UPDATE_RUNS) * UPDATE_RUN;
  let i = u.particle_offset + j;
  if (update_skipped(i, j)) { return; }
  let centre = i / u.chains;
  let eps = centers[u.particles * N_PARAMS + 2u * centre + 1u];
  let key_step = (i % u.chains) * u.chain_steps + u.step_base + u.s;
  let noise_key = rand_key(u.noise_seed, u.first_particle + centre, PURPOSE_SGLD_NOISE, key_step);
  for (var k = first; k < min(first + UPDATE_RUN, N_PARAMS); k++) {
    let at = param_at(i, k);
    let w = particle_params[at];
    let grad = work[u.work_extra + j * N_PARAMS + k];
    let moved = w + (-0.5 * eps * (u.nbeta * grad + u.gamma * (w - centers[k * u.particles + centre])) + sqrt(eps) * key_normal(noise_key, k));
    particle_params[at] = moved;
    note_parameter(j, moved);
  }
}
