// Calibration kernels for the benchmark: the device's own FMA rate and memory bandwidth, the
// yardsticks for "fraction of peak". They must measure what the hardware can do, so:
// - 8 independent vec4 chains per invocation hide FMA latency behind throughput, and fit in the
//   16 SIMD registers of an x86 core (SwiftShader runs one invocation per SIMD lane, so a vec4 is
//   4 registers; 16 vec4 chains spilled and ran at half the rate);
// - the loop body is unrolled 8 times by hand: SwiftShader pays a lot per loop iteration (an
//   un-unrolled loop measured 4-8 GFLOP/s where this one measures 20-30 on the same machine);
// - the multiplier and addend come from a uniform and the start values from the invocation id, so
//   no compiler can fold the loop; the result is stored under a condition the compiler cannot
//   decide (u.count is 0 at run time), so the work is not dead either.

// Needs the CalibrateUniforms record (src/engine/compose.ts uniformsPart) before it.

@group(0) @binding(1) var<storage, read> source: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> sink: array<vec4f>;

override WORKGROUP_SIZE: u32 = 64u;

// One iteration: 8 unrolled rows × 8 chains × vec4 = 256 FMAs = 512 FLOPs (an FMA counts 2).
@compute @workgroup_size(WORKGROUP_SIZE)
fn fma_rate(@builtin(global_invocation_id) gid: vec3u) {
  let seed = f32(gid.x & 1023u) * 1e-4;
  let m = vec4f(u.multiplier);
  let c = vec4f(u.addend);
  var a0 = vec4f(seed, seed + 0.01, seed + 0.02, seed + 0.03);
  var a1 = a0 + 0.1;
  var a2 = a0 + 0.2;
  var a3 = a0 + 0.3;
  var a4 = a0 + 0.4;
  var a5 = a0 + 0.5;
  var a6 = a0 + 0.6;
  var a7 = a0 + 0.7;
  for (var i = 0u; i < u.iterations; i++) {
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c); a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
  }
  if (gid.x < u.count) {
    sink[gid.x] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
  }
}

// Streams vec4s from source to sink: 4 per invocation, each a workgroup-width apart so that
// neighbouring invocations touch neighbouring addresses. 4 per invocation measured ~2x the rate
// of 1 on SwiftShader (less per-invocation overhead) and is the usual shape on GPUs. The host
// dispatches exactly count / (4 · WORKGROUP_SIZE) workgroups (no bounds checks: the buffers are
// a multiple of that); y extends the grid past 65,535.
@compute @workgroup_size(WORKGROUP_SIZE)
fn copy(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) groups: vec3u) {
  let base = (wid.x + wid.y * groups.x) * WORKGROUP_SIZE * 4u + lid;
  // unrolled by hand: a loop here costs SwiftShader as much as the copies
  sink[base] = source[base];
  sink[base + WORKGROUP_SIZE] = source[base + WORKGROUP_SIZE];
  sink[base + 2u * WORKGROUP_SIZE] = source[base + 2u * WORKGROUP_SIZE];
  sink[base + 3u * WORKGROUP_SIZE] = source[base + 3u * WORKGROUP_SIZE];
}
