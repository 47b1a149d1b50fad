import { CancelledError, throwIfAborted } from '../core/errors';

/** What a run that was cancelled (before or while it used the engine) resolves to. */
export type Cancelled = { readonly status: 'cancelled' };

const CANCELLED: Cancelled = { status: 'cancelled' };

/**
 * The engine's turns: work handed to it starts once all work handed before it has ended (whatever
 * its outcome). The worker's jobs share one, so no two of them ever use the engine at once.
 */
export class EngineQueue {
  private tail: Promise<unknown> = Promise.resolve();

  enqueue<R>(body: () => Promise<R>): Promise<R> {
    const work = this.tail.catch(() => undefined).then(body);
    this.tail = work;
    return work;
  }
}

/**
 * The lifecycle every analysis job of the worker shares, written once so that each job's file holds
 * only its own computation: the jobs take turns on one engine (their shared EngineQueue), a new run
 * of a job cancels the one before and waits its turn, a cancelled run resolves to
 * `{ status: 'cancelled' }` while any other error passes through, and the worker can cancel a job,
 * wait for it without cancelling it, or both (a new training run).
 */
export class EngineJob {
  private abort: AbortController | undefined;
  /** this job's last work on the queue, runs waiting their turn included */
  private busy: Promise<unknown> = Promise.resolve();

  /** `turns`: the engine's turns, shared with the other jobs (its own when alone, as in a test) */
  constructor(private readonly turns: EngineQueue = new EngineQueue()) {}

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
   * Runs `body` in its turn on the engine, without cancelling the work before it: for short engine
   * calls that cancel() does not reach (a barrier line). Its errors pass through as they are.
   */
  protected after<R>(body: () => Promise<R>): Promise<R> {
    const work = this.turns.enqueue(body);
    this.busy = work;
    return work;
  }

  /** Cancels the run in progress or waiting; a no-op when there is none. */
  cancel(): void {
    this.abort?.abort();
  }

  /** Resolves once this job's work has ended, and so all the work queued before it (without cancelling it). */
  async idle(): Promise<void> {
    await this.busy.catch(() => undefined);
  }

  /** Cancels a run in progress and waits until the engine is free of it. */
  async stop(): Promise<void> {
    this.cancel();
    await this.idle();
  }
}
