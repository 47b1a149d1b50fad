import { createNodeGpuEngine } from '../../src/node/nodeGpu';
import { GpuEngine, type GpuEngineOptions } from '../../src/engine/gpuEngine';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';

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

const batchedEngines = new Map<string, Promise<GpuEngine>>();

/** The GPU engine forced onto the batched kernels at every size (one per set of options, on the same device). */
export function batchedEngine(options: GpuEngineOptions = {}): Promise<GpuEngine> {
  const key = JSON.stringify(options);
  let e = batchedEngines.get(key);
  if (!e) {
    e = gpuEngine().then((base) => new GpuEngine(base.gpu, nodeShaderLibrary(), base.device, { trainer: 'batched', ...options }));
    batchedEngines.set(key, e);
  }
  return e;
}

export { testSeed } from './random';
