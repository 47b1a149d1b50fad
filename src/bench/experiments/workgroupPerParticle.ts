/**
 * Experiment (docs/PERFORMANCE.md, item 19): the workgroup-per-particle layout for the 3-16-1 net,
 * one invocation per hidden unit, the output unit summed through workgroup memory (two barriers per
 * example), SGD at batch 16 on thneeb. Timing only: its sums run in another order than the engine's.
 *   npx tsx src/bench/experiments/workgroupPerParticle.ts      (N=16384 for another particle count)
 */
import { readFileSync } from 'node:fs';
import { createNodeGpuEngine } from '../../node/nodeGpu';
import { findPreset, defaultKnobs } from '../../core/tasks';
import { initEnsemble } from '../../core/init';
import { bindBuffers, storageBuffer } from '../../engine/gpuBuffers';
// Dawn's pending promises do not keep Node's event loop alive by themselves
setInterval(() => {}, 1000);
const d = (await createNodeGpuEngine())!.gpu;
const p = findPreset('thneeb')!;
const task = p.build(defaultKnobs(p));
const n = Number(process.env.N ?? 4096),
  H = 16,
  P = 81;
const rng = readFileSync('shaders/rng.wgsl', 'utf8');
const mlp = readFileSync('shaders/mlp.wgsl', 'utf8');
const tanh = mlp.slice(mlp.indexOf('fn safe_tanh'), mlp.indexOf('fn activate('));
const code = `${rng}
${tanh}
struct U { steps: u32, rows: u32, batch: u32, seed: u32, lr: f32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read> data_x: array<f32>;
@group(0) @binding(2) var<storage, read> data_y: array<u32>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
var<workgroup> partial: array<f32, ${H}>;
@compute @workgroup_size(${H}) fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) j: u32) {
  let base = wid.x * ${P}u;
  var w0 = params[base + j * 3u]; var w1 = params[base + j * 3u + 1u]; var w2 = params[base + j * 3u + 2u];
  var b = params[base + 48u + j]; var v = params[base + 64u + j]; var c = params[base + 80u];
  let inv = 1.0 / f32(u.batch);
  for (var s = 0u; s < u.steps; s++) {
    var g0 = 0.0; var g1 = 0.0; var g2 = 0.0; var gb = 0.0; var gv = 0.0; var gc = 0.0;
    let key = rand_key(u.seed, wid.x, PURPOSE_BATCH, s);
    for (var e = 0u; e < u.batch; e++) {
      let row = pcg_hash(key ^ e) % u.rows;
      let x0 = data_x[row * 3u]; let x1 = data_x[row * 3u + 1u]; let x2 = data_x[row * 3u + 2u];
      let a = safe_tanh(b + w0 * x0 + w1 * x1 + w2 * x2);
      partial[j] = v * a;
      workgroupBarrier();
      var zo = c;
      for (var k = 0u; k < ${H}u; k++) { zo += partial[k]; }
      workgroupBarrier();
      let d2 = 1.0 / (1.0 + exp(-zo)) - f32(data_y[row]);
      gc += d2; gv += d2 * a;
      let d1 = v * d2 * (1.0 - a * a);
      gb += d1; g0 += d1 * x0; g1 += d1 * x1; g2 += d1 * x2;
    }
    w0 -= u.lr * g0 * inv; w1 -= u.lr * g1 * inv; w2 -= u.lr * g2 * inv; b -= u.lr * gb * inv; v -= u.lr * gv * inv; c -= u.lr * gc * inv;
  }
  params[base + j * 3u] = w0; params[base + j * 3u + 1u] = w1; params[base + j * 3u + 2u] = w2;
  params[base + 48u + j] = b; params[base + 64u + j] = v;
  if (j == 0u) { params[base + 80u] = c; }
}`;
const pipe = d.createComputePipeline({ layout: 'auto', compute: { module: d.createShaderModule({ code }), entryPoint: 'main' } });
const ub = d.createBuffer({ size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
const xb = storageBuffer(d, 'x', task.train.x);
const yb = storageBuffer(d, 'y', Uint32Array.from(task.train.y));
const pb = storageBuffer(d, 'params', initEnsemble([3, 16, 1], 1, 0, n, 1));
const bg = bindBuffers(d, 'workgroup per particle', pipe.getBindGroupLayout(0), [ub, xb, yb, pb]);
for (const steps of [1, 4, 16]) {
  const w = new ArrayBuffer(32);
  new Uint32Array(w).set([steps, task.train.rows, 16, 2]);
  new Float32Array(w)[4] = 0.5;
  d.queue.writeBuffer(ub, 0, w);
  const ts: number[] = [];
  for (let r = 0; r < 3; r++) {
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(n);
    pass.end();
    const t0 = performance.now();
    d.queue.submit([enc.finish()]);
    await d.queue.onSubmittedWorkDone();
    ts.push(performance.now() - t0);
  }
  console.log(
    `workgroup per particle, ${n} particles, ${steps} steps/dispatch: ${((n * steps) / (Math.min(...ts) / 1000)).toFixed(0)} particle-steps/s (best of 3; ${ts.map((t) => t.toFixed(0)).join(', ')} ms)`,
  );
}
process.exit(0);
