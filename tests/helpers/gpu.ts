import { createNodeGpuEngine } from '../../src/node/nodeGpu';
import type { GpuEngine } from '../../src/engine/gpuEngine';

let engine: Promise<GpuEngine> | undefined;

/**
 * The WebGPU engine on Dawn (SwiftShader where there is no GPU). GPU tests never skip: without
 * an adapter they fail, saying what to install (scripts/ensure-swiftshader.js normally has).
 */
export function gpuEngine(): Promise<GpuEngine> {
  engine ??= createNodeGpuEngine().then((e) => {
    if (!e) throw new Error("no WebGPU adapter: install Debian's chromium and libvulkan1 (apt-get install chromium libvulkan1)");
    return e;
  });
  return engine;
}

export { testSeed } from './random';
