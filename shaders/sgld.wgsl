// SGLD chains localised at trained parameters w*, for the local learning coefficient: one
// invocation runs one chain (particle i, chain c) for `u.steps` steps in private memory, as
// train.wgsl trains a particle. Per step, at the chain's position w: the minibatch loss and
// gradient, then Δw = −(ε/2)·(nβ·∇L_batch(w) + γ·(w − w*)) + √ε·N(0, I). Steps from `u.burnin` on
// are draws: their batch loss minus L(w*) is summed, and those below L(w*) counted. A non-finite
// loss, gradient or parameter marks the chain diverged; it is never touched again.
// The same maths as src/core/cpuSgld.ts, with the same rows and noise (rng.wgsl's key_normal).
// Needs the model header, the SgldUniforms record, workgroup.wgsl, rng.wgsl, activations.wgsl,
// task_bindings.wgsl and mlp.wgsl.

// w* per particle, parameter-major: parameter k of particle i at k · particles + i
@group(0) @binding(3) var<storage, read> centers: array<f32>;
// per particle i: L(w*) at 2i, its step size ε at 2i + 1 (u.eps for all, or chosen per particle)
@group(0) @binding(4) var<storage, read> center_info: array<f32>;
// each chain's position between dispatches, parameter-major: k · chains_total + chain
@group(0) @binding(5) var<storage, read_write> chain_params: array<f32>;
// per chain: the open block's partial sum of (batch loss − L(w*)) as f32 bits, draws below L(w*), diverged
@group(0) @binding(6) var<storage, read_write> chain_stats: array<u32>;
// per chain, DRAW_BLOCKS sums of (batch loss − L(w*)), each over a fixed run of consecutive draws
// (chain j's block b at j · DRAW_BLOCKS + b); the host adds them in float64. The blocks are fixed
// by draw index, and the open block's partial sum is carried between dispatches, so every float32
// addition happens in the same order however the chunker slices the steps: the result does not
// depend on dispatch sizes.
@group(0) @binding(7) var<storage, read_write> block_sums: array<f32>;

const DRAW_BLOCKS = 64u;

var<private> center: array<f32, N_PARAMS>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn sgld(@builtin(global_invocation_id) gid: vec3u) {
  let j = u.chain_offset + gid.x;
  let total = u.particles * u.chains;
  if (j >= u.chain_end || chain_stats[3u * j + 2u] != 0u) { return; }
  let i = j / u.chains;
  let c = j % u.chains;
  for (var k = 0u; k < N_PARAMS; k++) {
    params[k] = chain_params[k * total + j];
    center[k] = centers[k * u.particles + i];
  }
  let l_star = center_info[2u * i];
  let eps = center_info[2u * i + 1u];
  let full = u.batch == 0u;
  let batch = select(u.batch, u.train_rows, full);
  let inv_batch = 1.0 / f32(batch);
  let particle = u.first_particle + i;
  let noise_scale = sqrt(eps);
  let draws = u.chain_steps - u.burnin;
  let block_len = (draws + DRAW_BLOCKS - 1u) / DRAW_BLOCKS;
  var partial = bitcast<f32>(chain_stats[3u * j]);
  var below = 0u;
  var diverged = 0u;

  for (var s = 0u; s < u.steps; s++) {
    let t = u.step_base + s;
    let key_step = c * u.chain_steps + t;
    for (var k = 0u; k < N_PARAMS; k++) { grad[k] = 0.0; }
    var loss = 0.0;
    let batch_key = rand_key(u.noise_seed, particle, PURPOSE_SGLD_BATCH, key_step);
    for (var b = 0u; b < batch; b++) {
      let row = select(pcg_hash(batch_key ^ b) % u.train_rows, b, full);
      forward(row);
      loss += loss_and_output_delta(row, 0.0).x;
      backward();
    }
    loss *= inv_batch;
    var finite = is_finite(loss);
    for (var k = 0u; k < N_PARAMS; k++) {
      grad[k] *= inv_batch;
      finite = finite && is_finite(grad[k]);
    }
    if (finite && t >= u.burnin) {
      let d = t - u.burnin;
      partial += loss - l_star;
      below += select(0u, 1u, loss < l_star);
      if ((d + 1u) % block_len == 0u || d + 1u == draws) {
        block_sums[j * DRAW_BLOCKS + d / block_len] = partial;
        partial = 0.0;
      }
    }
    let noise_key = rand_key(u.noise_seed, particle, PURPOSE_SGLD_NOISE, key_step);
    for (var k = 0u; k < N_PARAMS && finite; k++) {
      params[k] += -0.5 * eps * (u.nbeta * grad[k] + u.gamma * (params[k] - center[k])) + noise_scale * key_normal(noise_key, k);
      finite = is_finite(params[k]);
    }
    if (!finite) {
      diverged = 1u;
      break;
    }
  }

  for (var k = 0u; k < N_PARAMS; k++) { chain_params[k * total + j] = params[k]; }
  chain_stats[3u * j] = bitcast<u32>(partial);
  chain_stats[3u * j + 1u] += below;
  chain_stats[3u * j + 2u] = diverged;
}
