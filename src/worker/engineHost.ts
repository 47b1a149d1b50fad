import { CpuEngine } from '../core/cpuEngine';
import type { Engine } from '../core/engine';
import { browserShaderLibrary } from '../engine/browserShaderLibrary';
import { describeAdapter, isSoftwareAdapter } from '../engine/describeAdapter';
import { GpuEngine } from '../engine/gpuEngine';
import type { EngineInfo } from './protocol';

/**
 * Owns the engine the worker runs on: a WebGPU device when the browser has one, otherwise the
 * CPU reference engine, and says which plainly. A lost device is reported once through
 * `onLost`; `acquire()` again gets a fresh one.
 */
export class EngineHost {
  engine: Engine | undefined;
  info: EngineInfo | undefined;
  private device: GPUDevice | undefined;

  constructor(private readonly onLost: (message: string) => void) {}

  async acquire(): Promise<EngineInfo> {
    this.engine?.dispose();
    const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
    let reason = 'this browser has no WebGPU (navigator.gpu is missing)';
    if (gpu) {
      try {
        const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
        if (adapter) {
          const l = adapter.limits;
          const device = await adapter.requestDevice({
            label: 'basin-atlas sandbox',
            requiredLimits: { maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxBufferSize: l.maxBufferSize },
          });
          this.device = device;
          const description = describeAdapter(adapter.info, 'browser');
          this.engine = new GpuEngine(device, browserShaderLibrary, description);
          void device.lost.then((info) => {
            // a deliberate destroy() during acquire() of a new device is not a loss
            if (this.device !== device) return;
            this.onLost(`The GPU device was lost (${info.message || info.reason || 'no reason given'}).`);
          });
          this.info = { kind: 'gpu', device: description, slow: isSoftwareAdapter(adapter.info) };
          return this.info;
        }
        reason = 'WebGPU is present but offered no adapter';
      } catch (e) {
        reason = `WebGPU failed to start (${(e as Error).message})`;
      }
    }
    this.device = undefined;
    this.engine = new CpuEngine();
    this.info = { kind: 'cpu', device: this.engine.device, fallbackReason: reason, slow: true };
    return this.info;
  }

  /** For the tests and for trying recovery by hand: destroys the device as a driver reset would. */
  loseDevice(): boolean {
    if (!this.device) return false;
    this.device.destroy();
    return true;
  }
}
