// The task's rows (src/engine/taskUploads.ts), bound the same way by every kernel that reads
// them: every set's rows in one buffer, train first, then the probes. data_x is [row][N_IN];
// data_y holds class labels (u32 per row) or a regression task's f32 targets [row][N_OUT] as
// their bits (mlp.wgsl, batched_common.wgsl). Binding 0 is the kernel's uniform record
// (src/engine/compose.ts uniformsPart).

@group(0) @binding(1) var<storage, read> data_x: array<f32>;
@group(0) @binding(2) var<storage, read> data_y: array<u32>;
