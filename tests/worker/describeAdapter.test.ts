import { describe, expect, it } from 'vitest';
import { describeAdapter, isSoftwareAdapter, type AdapterInfoLike } from '../../src/engine/describeAdapter';

const info = (over: Partial<AdapterInfoLike>): AdapterInfoLike => ({ vendor: '', architecture: '', device: '', description: '', ...over });

/** [what, adapter info, software?, name] */
const cases: [string, AdapterInfoLike, boolean, string][] = [
  // what Dawn in Node reports for Debian's SwiftShader (measured)
  [
    'SwiftShader in Node',
    info({
      vendor: 'google',
      architecture: 'swiftshader',
      device: 'swiftshader-device-subzero-',
      description: 'SwiftShader driver 5.0.0',
      isFallbackAdapter: true,
    }),
    true,
    'SwiftShader driver 5.0.0',
  ],
  // browsers often hide the description: the name comes from vendor and architecture
  ['SwiftShader in Chromium', info({ vendor: 'google', architecture: 'swiftshader' }), true, 'google swiftshader'],
  ['a software vendor alone', info({ vendor: 'google', description: 'Some Device' }), true, 'Some Device'],
  ['the fallback flag alone', info({ vendor: 'acme', description: 'Acme Renderer', isFallbackAdapter: true }), true, 'Acme Renderer'],
  ['llvmpipe', info({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }), true, 'llvmpipe (LLVM 15.0.6, 256 bits)'],
  ['lavapipe in the device field', info({ vendor: 'mesa', architecture: 'cpu', device: 'lavapipe' }), true, 'mesa cpu lavapipe'],
  ['WARP', info({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }), true, 'Microsoft Basic Render Driver'],
  ['a name that says software', info({ description: 'Generic Software Rasterizer' }), true, 'Generic Software Rasterizer'],
  [
    'a discrete GPU',
    info({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080', isFallbackAdapter: false }),
    false,
    'NVIDIA GeForce RTX 3080',
  ],
  ['a GPU behind a browser', info({ vendor: 'apple', architecture: 'metal-3' }), false, 'apple metal-3'],
  ['nothing known', info({}), false, 'unknown adapter'],
];

describe('describeAdapter', () => {
  it.each(cases)('%s', (_, adapter, software, name) => {
    expect(isSoftwareAdapter(adapter)).toBe(software);
    expect(describeAdapter(adapter, 'dawn')).toBe(`${name} (WebGPU via Dawn${software ? ', software' : ''})`);
    expect(describeAdapter(adapter, 'browser')).toBe(`WebGPU: ${name}${software ? ' (software)' : ''}`);
  });
});
