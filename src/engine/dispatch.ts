import { CancelledError, DeviceFailure } from '../core/errors';
import type { RunOptions } from '../core/engine';
import type { Chunker } from './chunker';
import { queueDone } from './queueWait';

/** The workgroup size every kernel is built with (the `WORKGROUP_SIZE` override). */
export const WORKGROUP_SIZE = 64;
/** WebGPU's guaranteed minimum of workgroups per dispatch dimension */
export const MAX_WORKGROUPS = 65535;

/**
 * The one path from a kernel to the device: encoder → pass → dispatch → submit, timed chunk by
 * chunk. It also keeps the device's health: a lost device or an uncaptured GPU error would
 * otherwise leave zeros behind, silently, so both are remembered and reported by the next call.
 */
export class Dispatcher {
  private failure: string | undefined;
  private readonly onError = (event: Event) => {
    this.failure ??= `GPU error: ${(event as GPUUncapturedErrorEvent).error.message}`;
  };

  constructor(private readonly device: GPUDevice) {
    void device.lost.then((info) => {
      this.failure ??= `the GPU device was lost (${info.message || info.reason})`;
    });
    device.addEventListener('uncapturederror', this.onError);
  }

  /** Stops listening to the device (several engines may share one, as the tests do). */
  dispose(): void {
    this.device.removeEventListener('uncapturederror', this.onError);
  }

  /** Throws a DeviceFailure once the device is lost or has reported an error. */
  check(): void {
    if (this.failure !== undefined) throw new DeviceFailure(this.failure);
  }

  /** Records and submits one dispatch of `pipeline` over `workgroups` (x, and y and z where given). */
  submit(
    label: string,
    pipeline: GPUComputePipeline,
    bindGroup: GPUBindGroup,
    workgroupsX: number,
    workgroupsY = 1,
    workgroupsZ = 1,
  ): void {
    const encoder = this.device.createCommandEncoder({ label });
    const pass = encoder.beginComputePass({ label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroupsX, workgroupsY, workgroupsZ);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /**
   * Runs `submit` (which records and submits `units` of work), waits for the device and feeds the
   * chunker its duration. Cancellation and device failures are checked between chunks.
   */
  async timed(units: number, chunker: Chunker, submit: () => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CancelledError();
    this.check();
    const t0 = performance.now();
    submit();
    await queueDone(this.device, chunker.predictMs(units));
    chunker.record(units, performance.now() - t0);
    this.check();
  }

  /**
   * Runs `total` units in timed chunks of at most `maxChunk`: `submit(first, count)` records one,
   * and `after(first, count)` (awaited) may read its results back before the next.
   */
  async chunked(
    total: number,
    chunker: Chunker,
    submit: (first: number, count: number) => void,
    options: RunOptions & { maxChunk?: number; after?: (first: number, count: number) => Promise<void> } = {},
  ): Promise<void> {
    for (let done = 0; done < total;) {
      const count = chunker.next(Math.min(total - done, options.maxChunk ?? Infinity));
      await this.timed(count, chunker, () => submit(done, count), options.signal);
      await options.after?.(done, count);
      done += count;
      options.onProgress?.(done / total);
    }
  }
}
