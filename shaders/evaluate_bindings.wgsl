// The evaluation kernels' bindings 3 … 5, shared by the looped kernel (evaluate.wgsl) and the
// unrolled one generated in src/engine/unrolledEvaluate.ts. Binding 0 is the EvaluateUniforms
// record (src/engine/compose.ts uniformsPart), 1 and 2 the task's rows (task_bindings.wgsl).

// (first row, rows) of each set in data_x / data_y
@group(0) @binding(3) var<storage, read> set_rows: array<vec2u>;
// parameter k of vector i at i · particle_stride + k · param_stride (src/engine/paramLayout.ts)
@group(0) @binding(4) var<storage, read> eval_params: array<f32>;
// [count][sets][loss, accuracy]
@group(0) @binding(5) var<storage, read_write> metrics: array<f32>;
