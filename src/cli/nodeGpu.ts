// Moved to src/node/nodeGpu.ts (Node set-up shared by the CLI, the benchmark and the tests); this
// re-export keeps tests/gpu compiling until their imports point there. Delete it then.
export { createNodeGpuEngine, requestNodeGpu } from '../node/nodeGpu';
