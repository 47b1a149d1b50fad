import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

const ROOT_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** WebGPU and WebGL on SwiftShader (CPU Vulkan): a real WebGPU device on a machine without a GPU. */
const SWIFTSHADER_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
];

export function launchWithWebGpu(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...SWIFTSHADER_FLAGS, ...ROOT_FLAGS] });
}

/** A host name that resolves to 127.0.0.1 but, unlike 127.0.0.1 itself, is not a secure context. */
export const INSECURE_HOST = 'basin-atlas.test';

/**
 * A browser without WebGPU (WebGL stays, through SwiftShader): the CPU fallback path. Chromium
 * 156 ships WebGPU on Linux and keeps navigator.gpu even with the feature disabled, so pages are
 * served from an insecure origin, where WebGPU (a [SecureContext] API) does not exist at all, as
 * in a browser that lacks it.
 */
export function launchWithoutWebGpu(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--disable-features=WebGPU', `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`, '--use-angle=swiftshader', ...ROOT_FLAGS],
  });
}
