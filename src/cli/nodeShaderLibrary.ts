// Moved to src/node/nodeShaderLibrary.ts; this re-export keeps tests/gpu compiling until their
// imports point there. Delete it then.
export { nodeShaderLibrary } from '../node/nodeShaderLibrary';
