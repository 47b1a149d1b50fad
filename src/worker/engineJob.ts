import { CancelledError, throwIfAborted } from '../core/errors';

/** What a run that was cancelled (before or while it used the engine) resolves to. */
export type Cancelled = { readonly status: 'cancelled' };

const CANCELLED: Cancelled = { status: 'cancelled' };

/**
 * The lifecycle every analysis job of the worker shares, written once so that each job's file holds
 * only its own computation: the jobs take turns on one engine, so a job's runs never overlap (a new
 * one cancels the one before and waits until the engine is free of it), a cancelled run resolves to
 * `{ status: 'cancelled' }` while any other error passes through, and the worker can cancel a job,
 * wait for it without cancelling it (another job's turn) or both (a new training run).
 * Waiting on *other* jobs is the worker's business (SandboxApi), not this class's.
 */
export class EngineJob {
  private abort: AbortController | undefined;
  /** whatever the engine is doing for this job, runs waiting their turn included: other work waits for it */
  private busy: Promise<unknown> = Promise.resolve();

  /**
   * Cancels this job's run in progress (or waiting), waits until the engine is free of it, then runs
   * `body` with the signal that cancel() aborts. A run cancelled before its turn never starts.
   */
  protected async run<R>(body: (signal: AbortSignal) => Promise<R>): Promise<R | Cancelled> {
    this.cancel();
    const abort = (this.abort = new AbortController());
    const work = this.after(() => {
      throwIfAborted(abort.signal);
      return body(abort.signal);
    });
    try {
      return await work;
    } catch (e) {
      if (e instanceof CancelledError) return CANCELLED;
      throw e;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  /**
   * Runs `body` once the engine is free of this job's work, without cancelling that work: for short
   * engine calls that cancel() does not reach (a barrier line). Its errors pass through as they are.
   */
  protected after<R>(body: () => Promise<R>): Promise<R> {
    const work = this.busy.catch(() => undefined).then(body);
    this.busy = work;
    return work;
  }

  /** Cancels the run in progress or waiting; a no-op when there is none. */
  cancel(): void {
    this.abort?.abort();
  }

  /** Resolves once the engine is free of this job's work (without cancelling it). */
  async idle(): Promise<void> {
    await this.busy.catch(() => undefined);
  }

  /** Cancels a run in progress and waits until the engine is free of it. */
  async stop(): Promise<void> {
    this.cancel();
    await this.idle();
  }
}
