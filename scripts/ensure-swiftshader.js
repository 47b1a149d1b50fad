#!/usr/bin/env node
// Makes sure the GPU tests have a WebGPU device on a machine without a GPU: Debian's chromium
// ships SwiftShader (a Vulkan implementation on the CPU) and libvulkan1 is the Vulkan loader Dawn
// needs. Installs both with apt-get when it can (root), otherwise stops with the exact command.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const CHROMIUM = '/usr/bin/chromium';
const loaderPresent = () =>
  ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1'].some(existsSync);

const missing = [];
if (!existsSync(SWIFTSHADER) || !existsSync(CHROMIUM)) missing.push('chromium');
if (!loaderPresent()) missing.push('libvulkan1');

if (missing.length > 0) {
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`The tests need Debian's ${missing.join(' and ')} (SwiftShader WebGPU and headless Chromium). Run:\n  sudo ${command}`);
    process.exit(1);
  }
  console.error(`Installing ${missing.join(' and ')} for SwiftShader WebGPU and headless Chromium (apt-get)...`);
  try {
    execSync(command, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    console.error(`Installing failed. Run by hand:\n  ${command}`);
    process.exit(1);
  }
}
