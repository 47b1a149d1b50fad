import { UserError } from '../core/errors';
import { storageBuffer } from './gpuBuffers';
import type { UniformStruct } from './uniformStruct';

/**
 * Every long-lived buffer the engine makes, so that none outlives its use unnoticed: each is
 * released by whoever made it (a session, an evaluation, the task cache), and `live` counts what
 * is left (a test checks that many runs leave it where it started).
 */
export class DeviceBuffers {
  private readonly buffers = new Set<GPUBuffer>();

  constructor(private readonly device: GPUDevice) {}

  /** A storage buffer holding `data`, or `data` zeroed bytes; refused with a UserError beyond the device's limits. */
  storage(label: string, data: ArrayBufferView | number): GPUBuffer {
    const size = typeof data === 'number' ? data : data.byteLength;
    const max = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    if (size > max) {
      throw new UserError(
        `${label} needs ${(size / 2 ** 20).toFixed(0)} MiB but this device allows ${(max / 2 ** 20).toFixed(0)} MiB per buffer: use fewer particles or a smaller grid`,
      );
    }
    return this.track(storageBuffer(this.device, label, data));
  }

  /** A uniform buffer the size of `struct`. */
  uniform(label: string, struct: UniformStruct<Record<string, 'u32' | 'f32'>>): GPUBuffer {
    return this.track(this.device.createBuffer({ label, size: struct.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }));
  }

  /** A uniform buffer of `size` bytes (the batched kernels' per-pass records). */
  uniformBytes(label: string, size: number): GPUBuffer {
    return this.track(this.device.createBuffer({ label, size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }));
  }

  release(...buffers: GPUBuffer[]): void {
    for (const b of buffers) {
      this.buffers.delete(b);
      b.destroy();
    }
  }

  get live(): number {
    return this.buffers.size;
  }

  releaseAll(): void {
    this.release(...this.buffers);
  }

  private track(b: GPUBuffer): GPUBuffer {
    this.buffers.add(b);
    return b;
  }
}
