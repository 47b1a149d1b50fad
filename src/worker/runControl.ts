import { CancelledError } from '../core/errors';
import type { StartMode } from './protocol';

/**
 * Pause, single-step and cancel for a run that advances frame by frame. Cancellation also
 * aborts the engine's current advance(), so it takes effect within one GPU chunk.
 */
export class RunControl {
  readonly abort = new AbortController();
  private paused: boolean;
  private stepsAllowed = 0;
  private wake: (() => void) | undefined;

  /** `start`: run freely, wait paused before the first frame, or run one frame and then wait */
  constructor(start: StartMode) {
    this.paused = start !== 'play';
    this.stepsAllowed = start === 'step' ? 1 : 0;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get isPaused(): boolean {
    return this.paused && this.stepsAllowed === 0;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.poke();
  }

  /** Lets one more frame run, then stays paused. */
  step(): void {
    this.paused = true;
    this.stepsAllowed++;
    this.poke();
  }

  cancel(): void {
    this.abort.abort();
    this.poke();
  }

  /** Waits before each frame while paused; throws CancelledError once cancelled. */
  async gate(onPauseChange: (paused: boolean) => void): Promise<void> {
    if (this.signal.aborted) throw new CancelledError();
    if (this.paused && this.stepsAllowed === 0) {
      onPauseChange(true);
      while (this.paused && this.stepsAllowed === 0 && !this.signal.aborted) {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      if (this.signal.aborted) throw new CancelledError();
      onPauseChange(false);
    }
    if (this.stepsAllowed > 0) this.stepsAllowed--;
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
