// Calibration kernels for the benchmark: the device's own FMA rate and memory bandwidth.

struct CalibrateUniforms {
  iterations: u32,
  count: u32,
}

@group(0) @binding(0) var<uniform> u: CalibrateUniforms;
@group(0) @binding(1) var<storage, read> source: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> sink: array<vec4f>;

override WORKGROUP_SIZE: u32 = 64u;

// 8 independent vec4 FMA chains per invocation, so latency hides behind throughput:
// each iteration is 8 × 4 FMAs = 64 FLOPs.
@compute @workgroup_size(WORKGROUP_SIZE)
fn fma_rate(@builtin(global_invocation_id) gid: vec3u) {
  let seed = f32(gid.x) * 1e-7;
  var a0 = vec4f(seed); var a1 = a0 + 0.1; var a2 = a0 + 0.2; var a3 = a0 + 0.3;
  var a4 = a0 + 0.4; var a5 = a0 + 0.5; var a6 = a0 + 0.6; var a7 = a0 + 0.7;
  let m = vec4f(0.9999);
  let c = vec4f(1e-4);
  for (var i = 0u; i < u.iterations; i++) {
    a0 = fma(a0, m, c); a1 = fma(a1, m, c); a2 = fma(a2, m, c); a3 = fma(a3, m, c);
    a4 = fma(a4, m, c); a5 = fma(a5, m, c); a6 = fma(a6, m, c); a7 = fma(a7, m, c);
  }
  // a store the compiler cannot prove dead
  if (gid.x < u.count) { sink[gid.x] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7; }
}

// Streams `count` vec4s from source to sink: 32 bytes moved per invocation.
@compute @workgroup_size(WORKGROUP_SIZE)
fn copy(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * 65535u * WORKGROUP_SIZE;
  if (i < u.count) { sink[i] = source[i]; }
}
