import type { RunOptions } from './engine';
import { throwIfAborted } from './errors';

/** How long the CPU engine works before it yields to the event loop (progress, cancellation). */
export const SLICE_MS = 40;

export const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Work in slices of SLICE_MS: between slices, progress is reported, the event loop runs (so a
 * Ctrl-C or a worker message gets through) and cancellation is checked. Checked between steps,
 * not only between particles: a single particle's million steps take minutes.
 */
export class Slices {
  private start = performance.now();

  constructor(private readonly options: RunOptions) {
    throwIfAborted(options.signal);
  }

  due(): boolean {
    return performance.now() - this.start > SLICE_MS;
  }

  async pause(fraction: number): Promise<void> {
    this.options.onProgress?.(fraction);
    await yieldToEventLoop();
    throwIfAborted(this.options.signal);
    this.start = performance.now();
  }
}
