// The evaluation kernels' bindings, shared by the looped kernel (evaluate.wgsl) and the unrolled
// one generated in src/engine/unrolledEvaluate.ts. Needs the EvaluateUniforms struct (generated
// from src/engine/kernelUniforms.ts) before it.

@group(0) @binding(0) var<uniform> u: EvaluateUniforms;
@group(0) @binding(1) var<storage, read> data_x: array<f32>;
@group(0) @binding(2) var<storage, read> data_y: array<u32>;
// (first row, rows) of each set in data_x / data_y
@group(0) @binding(3) var<storage, read> set_rows: array<vec2u>;
// parameter k of vector i at i · particle_stride + k · param_stride (src/engine/paramLayout.ts)
@group(0) @binding(4) var<storage, read> eval_params: array<f32>;
// [count][sets][loss, accuracy]
@group(0) @binding(5) var<storage, read_write> metrics: array<f32>;

override WORKGROUP_SIZE: u32 = 64u;
