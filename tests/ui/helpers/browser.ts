import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

const ROOT_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** WebGPU and WebGL on SwiftShader (CPU Vulkan): a real WebGPU device on a machine without a GPU. */
const SWIFTSHADER_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader'];

export function launchWithWebGpu(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...SWIFTSHADER_FLAGS, ...ROOT_FLAGS] });
}

/** WebGPU switched off (WebGL stays, through SwiftShader): the CPU fallback path. */
export function launchWithoutWebGpu(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--disable-features=WebGPU,Vulkan', '--use-angle=swiftshader', ...ROOT_FLAGS] });
}
