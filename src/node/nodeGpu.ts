import { existsSync } from 'node:fs';
import { describeAdapter } from '../engine/describeAdapter';
import { GpuEngine } from '../engine/gpuEngine';
import { nodeShaderLibrary } from './nodeShaderLibrary';
import { runtimeDir } from './runtimeDir';

/** Debian's chromium ships SwiftShader, a Vulkan implementation on the CPU. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Dawn's GPU object must outlive its devices: once it is garbage-collected, they crash. */
const liveGpus: GPU[] = [];

export interface NodeGpu {
  device: GPUDevice;
  description: string;
}

/** An adapter found, or why none was: the webgpu package would not load, or Dawn found no adapter. */
export type AdapterSearch = { adapter: GPUAdapter } | { problem: string };

/**
 * The adapter Dawn picks in Node (the `webgpu` package). Hardware adapters stay visible and are
 * preferred; SwiftShader is added as a fallback where Debian's chromium installed it, so no user
 * has to set an environment variable.
 */
export async function findNodeAdapter(): Promise<AdapterSearch> {
  // Mesa's lavapipe cannot run Dawn (missing Vulkan features) and only prints a warning
  process.env.VK_LOADER_DRIVERS_DISABLE ??= '*lvp_icd*';
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = runtimeDir();
    if (dir) process.env.XDG_RUNTIME_DIR = dir;
  }
  if (process.platform === 'linux' && existsSync(SWIFTSHADER_ICD) && !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES) {
    const extra = process.env.VK_ADD_DRIVER_FILES;
    process.env.VK_ADD_DRIVER_FILES = extra ? `${extra}:${SWIFTSHADER_ICD}` : SWIFTSHADER_ICD;
  }
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (e) {
    return { problem: `the webgpu package (Dawn) did not load: ${(e as Error).message.split('\n')[0]}` };
  }
  Object.assign(globalThis, webgpu.globals);
  const gpu = webgpu.create(process.platform === 'linux' ? ['backend=vulkan'] : []);
  liveGpus.push(gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  return adapter ? { adapter } : { problem: 'Dawn found no adapter: no Vulkan driver it can use' };
}

/** The device the engine runs on, from an adapter findNodeAdapter gave. */
export async function openNodeDevice(adapter: GPUAdapter): Promise<NodeGpu> {
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    label: 'basin-atlas',
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
  });
  return { device, description: describeAdapter(adapter.info, 'dawn') };
}

/** A WebGPU device in Node (findNodeAdapter's adapter), or undefined when no adapter exists. */
export async function requestNodeGpu(): Promise<NodeGpu | undefined> {
  const found = await findNodeAdapter();
  return 'adapter' in found ? openNodeDevice(found.adapter) : undefined;
}

/**
 * Dispatches of about 500 ms, not the browser's 50: no page has to stay smooth here, and each
 * dispatch pays a fixed cost per particle (loading and storing its parameters, lane by lane),
 * which on SwiftShader is about half a step of the 3-16-1 net. With 50 ms dispatches 16,384
 * particles got one step per dispatch and trained at 0.51 M particle-steps/s, with 200 ms at
 * 0.9 M; the 3-32-32-1 net at 4,096 particles ran at 28k with 200 ms, 37k–54k with 800 ms
 * (docs/PERFORMANCE.md, item 16). Half a second is still far under any GPU watchdog (2 s on
 * Windows), and Ctrl-C answers within it.
 */
export const NODE_TARGET_DISPATCH_MS = 500;

/**
 * `dispatchMs`: the dispatch target, for tests only (tests/cli/determinism.test.ts runs each command
 * at the smallest and the largest chunks and expects the same bytes); read from
 * BASIN_ATLAS_TEST_DISPATCH_MS when not given.
 */
export async function createNodeGpuEngine(dispatchMs = testDispatchMs()): Promise<GpuEngine | undefined> {
  const gpu = await requestNodeGpu();
  return (
    gpu && new GpuEngine(gpu.device, nodeShaderLibrary(), gpu.description, { targetDispatchMs: dispatchMs ?? NODE_TARGET_DISPATCH_MS })
  );
}

function testDispatchMs(): number | undefined {
  const value = Number(process.env.BASIN_ATLAS_TEST_DISPATCH_MS);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
