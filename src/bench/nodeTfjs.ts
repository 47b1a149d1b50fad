import { setUpTfjs, type TfjsSetup } from './tfjsPeer';

/**
 * TF.js in Node on our engine's GPUDevice. Its WebGPU backend checks navigator.gpu before it
 * accepts a device, and Node 20 has no navigator: give it Dawn's (the device handed over is ours).
 */
export async function setUpNodeTfjs(device: GPUDevice): Promise<TfjsSetup> {
  const webgpu = await import('webgpu');
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (!g.navigator?.gpu)
    Object.defineProperty(globalThis, 'navigator', {
      value: { ...g.navigator, gpu: webgpu.create(process.platform === 'linux' ? ['backend=vulkan'] : []) },
      configurable: true,
    });
  return setUpTfjs(device);
}
