import { BATCHED_UNIFORMS } from './kernelUniforms';
import type { DeviceBuffers } from './deviceBuffers';
import { grid } from './batchedKernels';

type BatchedValues = Parameters<typeof BATCHED_UNIFORMS.pack>[0];

/** Records the batched kernels' passes may hold before they are submitted (each 256 bytes or the device's alignment). */
const CAPACITY = 4096;

/**
 * A sequence of dispatches of the batched kernels, each with its own uniform record at a dynamic
 * offset, submitted in order in one compute pass (WebGPU makes each dispatch see the previous
 * one's writes). When full it submits what it holds and starts again: the queue runs the record
 * writes and the submissions in the order they were made, so nothing depends on where it splits.
 */
export class PassRecorder {
  private readonly stride: number;
  private readonly records: GPUBuffer;
  private readonly bytes: Uint8Array<ArrayBuffer>;
  private readonly pending: { pipeline: GPUComputePipeline; x: number; y: number }[] = [];
  private bindGroup: GPUBindGroup | undefined;

  constructor(
    private readonly device: GPUDevice,
    private readonly buffers: DeviceBuffers,
    private readonly label: string,
  ) {
    this.stride = Math.max(BATCHED_UNIFORMS.size, device.limits.minUniformBufferOffsetAlignment);
    this.records = buffers.uniformBytes(`${label} records`, CAPACITY * this.stride);
    this.bytes = new Uint8Array(CAPACITY * this.stride);
  }

  /** Binding 0 of the batched kernels' bind groups: one record's window of the record buffer. */
  get uniformBinding(): GPUBufferBinding {
    return { buffer: this.records, size: BATCHED_UNIFORMS.size };
  }

  use(bindGroup: GPUBindGroup): void {
    this.bindGroup = bindGroup;
  }

  /** One dispatch of `pipeline` over `invocations` invocations with the uniform record `values`. */
  add(pipeline: GPUComputePipeline, values: BatchedValues, invocations: number): void {
    if (this.pending.length === CAPACITY) this.flush();
    this.bytes.set(new Uint8Array(BATCHED_UNIFORMS.pack(values)), this.pending.length * this.stride);
    const [x, y] = grid(invocations);
    this.pending.push({ pipeline, x, y });
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.device.queue.writeBuffer(this.records, 0, this.bytes, 0, this.pending.length * this.stride);
    const encoder = this.device.createCommandEncoder({ label: this.label });
    const pass = encoder.beginComputePass({ label: this.label });
    this.pending.forEach((d, k) => {
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, this.bindGroup!, [k * this.stride]);
      pass.dispatchWorkgroups(d.x, d.y);
    });
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    this.pending.length = 0;
  }

  dispose(): void {
    this.buffers.release(this.records);
  }
}
