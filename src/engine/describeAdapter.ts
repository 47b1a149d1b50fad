/** The fields of GPUAdapterInfo an adapter is described by (a plain object in tests). */
export type AdapterInfoLike = Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'device' | 'description'> & {
  readonly isFallbackAdapter?: boolean;
};

/**
 * Software rasterisers, by name: SwiftShader, Mesa's llvmpipe and lavapipe, Windows' WARP
 * ("Microsoft Basic Render Driver"), and anything that calls itself software.
 */
const SOFTWARE_NAME = /swiftshader|llvmpipe|lavapipe|basic render driver|software/i;
/** SwiftShader's PCI vendor id is Google's: Dawn and Chromium report its vendor as "google". */
const SOFTWARE_VENDOR = 'google';

/** The adapter's name: its description, else vendor, architecture and device as far as known. */
export function adapterName(info: AdapterInfoLike): string {
  return info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unknown adapter';
}

/** True for a CPU implementation of WebGPU (slow: sizes and expectations should follow). */
export function isSoftwareAdapter(info: AdapterInfoLike): boolean {
  return (
    !!info.isFallbackAdapter ||
    info.vendor === SOFTWARE_VENDOR ||
    SOFTWARE_NAME.test([info.description, info.vendor, info.architecture, info.device].join(' '))
  );
}

/**
 * The adapter in words, as the CLI and the sandbox show it:
 * `dawn` (Node): "SwiftShader driver 5.0.0 (WebGPU via Dawn, software)";
 * `browser`: "WebGPU: nvidia ampere" or "WebGPU: google swiftshader (software)".
 */
export function describeAdapter(info: AdapterInfoLike, host: 'dawn' | 'browser'): string {
  const name = adapterName(info);
  const software = isSoftwareAdapter(info);
  return host === 'dawn' ? `${name} (WebGPU via Dawn${software ? ', software' : ''})` : `WebGPU: ${name}${software ? ' (software)' : ''}`;
}
