// Writes the parameters of points (1 − t)·a + t·b on straight lines between pairs of vectors, for
// points first .. first+count−1 (point q: pair q / n_t at t = ts[q % n_t]), parameter-major as the
// plane fill does: parameter k of point p at k · count + p. x runs over points, y over parameters.
// Needs the LinesUniforms record and workgroup.wgsl before it.

// the lines' end points, particle-major: vector v's parameter k at v · n_params + k
@group(0) @binding(1) var<storage, read> vectors: array<f32>;
@group(0) @binding(2) var<storage, read> pairs: array<vec2u>;
@group(0) @binding(3) var<storage, read> ts: array<f32>;
@group(0) @binding(4) var<storage, read_write> out_params: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn fill(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = gid.x;
  // parameters past 65,535 (a dispatch's most workgroups in y) continue in z
  let k = gid.z * nwg.y + gid.y;
  if (p >= u.count || k >= u.n_params) { return; }
  let q = u.first + p;
  let pair = pairs[q / u.n_t];
  let t = ts[q % u.n_t];
  out_params[k * u.count + p] = (1.0 - t) * vectors[pair.x * u.n_params + k] + t * vectors[pair.y * u.n_params + k];
}
