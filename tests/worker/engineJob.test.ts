import { describe, expect, it } from 'vitest';
import { CancelledError, UserError } from '../../src/core/errors';
import { EngineJob, EngineQueue } from '../../src/worker/engineJob';

/** A job whose body is the test's: the lifecycle alone, no engine. */
class FakeJob extends EngineJob {
  measure<R>(body: (signal: AbortSignal) => Promise<R>) {
    return this.run(body);
  }
  queue<R>(body: () => Promise<R>) {
    return this.after(body);
  }
}

/** A promise the test settles by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A body that runs until released, or until aborted if it honours its signal (as core's chunked work does). */
function engineWork(honoursAbort = true) {
  const release = deferred<string>();
  const state = { started: false, finished: false, signal: undefined as AbortSignal | undefined };
  const body = async (signal: AbortSignal) => {
    state.started = true;
    state.signal = signal;
    const aborted = () => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new CancelledError())));
    try {
      return await (honoursAbort ? Promise.race([release.promise, aborted()]) : release.promise);
    } finally {
      state.finished = true;
    }
  };
  return { body, release: release.resolve, state };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('EngineJob', () => {
  it("resolves to the body's value, handing it a live signal", async () => {
    const job = new FakeJob();
    const work = engineWork();
    const outcome = job.measure(work.body);
    await settle();
    expect(work.state.started).toBe(true);
    expect(work.state.signal?.aborted).toBe(false);
    work.release('done');
    expect(await outcome).toBe('done');
  });

  it('cancel() aborts the run in progress, which resolves to cancelled', async () => {
    const job = new FakeJob();
    const work = engineWork();
    const outcome = job.measure(work.body);
    await settle();
    job.cancel();
    expect(work.state.signal?.aborted).toBe(true);
    expect(await outcome).toEqual({ status: 'cancelled' });
    // nothing left to cancel: a no-op, and the next run starts with a fresh signal
    job.cancel();
    const next = engineWork();
    const again = job.measure(next.body);
    await settle();
    expect(next.state.signal?.aborted).toBe(false);
    next.release('second');
    expect(await again).toBe('second');
  });

  it('passes other errors through, and the job still runs afterwards', async () => {
    const job = new FakeJob();
    const error = new UserError('bad input');
    await expect(job.measure(() => Promise.reject(error))).rejects.toBe(error);
    await expect(
      job.measure(() => {
        throw new Error('thrown at once');
      }),
    ).rejects.toThrow('thrown at once');
    await job.idle();
    expect(await job.measure(async () => 42)).toBe(42);
  });

  it('a new run cancels the one before and starts only once that one has let go of the engine', async () => {
    const job = new FakeJob();
    // the first ignores its signal for a while (a chunk of engine work in flight)
    const first = engineWork(false);
    const second = engineWork();
    const one = job.measure(first.body);
    await settle();
    const two = job.measure(second.body);
    await settle();
    expect(first.state.signal?.aborted).toBe(true);
    expect(second.state.started).toBe(false);
    first.release('first, finished anyway');
    expect(await one).toBe('first, finished anyway');
    await settle();
    expect(second.state.started).toBe(true);
    second.release('second');
    expect(await two).toBe('second');
  });

  it('never runs two bodies at once, however many runs arrive together', async () => {
    const job = new FakeJob();
    let active = 0;
    let most = 0;
    const body = (value: number) => async (signal: AbortSignal) => {
      active++;
      most = Math.max(most, active);
      await settle();
      active--;
      if (signal.aborted) throw new CancelledError();
      return value;
    };
    // arriving in one tick, before any of them has reached the engine
    const outcomes = await Promise.all([1, 2, 3, 4].map((k) => job.measure(body(k))));
    expect(most).toBe(1);
    // each cancels the one before: only the last one's result is delivered
    expect(outcomes).toEqual([{ status: 'cancelled' }, { status: 'cancelled' }, { status: 'cancelled' }, 4]);
  });

  it('a run cancelled while it waits its turn never starts', async () => {
    const job = new FakeJob();
    const first = engineWork(false);
    const second = engineWork();
    const one = job.measure(first.body);
    await settle();
    const two = job.measure(second.body);
    await settle();
    job.cancel();
    first.release('first');
    await one;
    await settle();
    second.release('ran after all'); // so that a run that did start cannot hang the test
    expect(await two).toEqual({ status: 'cancelled' });
    expect(second.state.started).toBe(false);
  });

  it('idle() waits for the run without cancelling it', async () => {
    const job = new FakeJob();
    await job.idle(); // nothing ran: at once
    const work = engineWork();
    const outcome = job.measure(work.body);
    let idle = false;
    const waiting = job.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    expect(work.state.signal?.aborted).toBe(false);
    work.release('done');
    await waiting;
    expect(work.state.finished).toBe(true);
    expect(await outcome).toBe('done');
  });

  it('idle() resolves (does not reject) after a run that failed', async () => {
    const job = new FakeJob();
    const failed = job.measure(() => Promise.reject(new Error('boom')));
    await job.idle();
    await expect(failed).rejects.toThrow('boom');
  });

  it('stop() cancels the run and waits until the engine is free of it', async () => {
    const job = new FakeJob();
    const work = engineWork(false);
    const outcome = job.measure(work.body);
    await settle();
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await settle();
    expect(work.state.signal?.aborted).toBe(true);
    expect(stopped).toBe(false);
    work.release('late');
    await stopping;
    expect(work.state.finished).toBe(true);
    expect(await outcome).toBe('late');
  });

  it('after() waits for a run without cancelling it, and a later run waits for it', async () => {
    const job = new FakeJob();
    const work = engineWork();
    const outcome = job.measure(work.body);
    await settle();
    const line = deferred<string>();
    let lineStarted = false;
    const queued = job.queue(() => {
      lineStarted = true;
      return line.promise;
    });
    await settle();
    expect(lineStarted).toBe(false);
    expect(work.state.signal?.aborted).toBe(false);
    work.release('measured');
    expect(await outcome).toBe('measured');
    await settle();
    expect(lineStarted).toBe(true);
    // cancel() does not reach it, and a new run waits until it ends
    job.cancel();
    const next = engineWork();
    const after = job.measure(next.body);
    await settle();
    expect(next.state.started).toBe(false);
    line.resolve('line');
    expect(await queued).toBe('line');
    await settle();
    expect(next.state.started).toBe(true);
    next.release('next');
    expect(await after).toBe('next');
    // its errors pass through, even a CancelledError
    await expect(job.queue(() => Promise.reject(new CancelledError()))).rejects.toThrow(CancelledError);
  });

  it('jobs sharing a queue take turns: a second job starts only when the first has ended, and neither cancels the other', async () => {
    const turns = new EngineQueue();
    const [a, b] = [new FakeJob(turns), new FakeJob(turns)];
    const first = engineWork();
    const second = engineWork();
    const outcomeA = a.measure(first.body);
    const outcomeB = b.measure(second.body);
    await settle();
    expect(first.state.started).toBe(true);
    expect(second.state.started).toBe(false);
    // waiting for b covers a's run before it, without cancelling either
    let bIdle = false;
    void b.idle().then(() => (bIdle = true));
    first.release('a');
    expect(await outcomeA).toBe('a');
    await settle();
    expect(second.state.started).toBe(true);
    expect(bIdle).toBe(false);
    second.release('b');
    expect(await outcomeB).toBe('b');
    await settle();
    expect(bIdle).toBe(true);
    expect(first.state.signal?.aborted).toBe(false);
  });
});
