// Writes the parameters of grid points center + α·d1 + β·d2 for points first .. first+count-1
// (row-major, α fastest), parameter-major: parameter k of point p at k · count + p, the layout the
// evaluation kernel reads fastest. x runs over points, y over parameters, so neighbouring
// invocations write neighbouring addresses. Needs the PlaneUniforms record
// and workgroup.wgsl before it.

@group(0) @binding(1) var<storage, read> center: array<f32>;
@group(0) @binding(2) var<storage, read> d1: array<f32>;
@group(0) @binding(3) var<storage, read> d2: array<f32>;
@group(0) @binding(4) var<storage, read> alphas: array<f32>;
@group(0) @binding(5) var<storage, read> betas: array<f32>;
@group(0) @binding(6) var<storage, read_write> out_params: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn fill(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = gid.x;
  // parameters past 65,535 (a dispatch's most workgroups in y) continue in z
  let k = gid.z * nwg.y + gid.y;
  if (p >= u.count || k >= u.n_params) { return; }
  let point = u.first + p;
  let alpha = alphas[point % u.res_alpha];
  let beta = betas[point / u.res_alpha];
  out_params[k * u.count + p] = center[k] + alpha * d1[k] + beta * d2[k];
}
