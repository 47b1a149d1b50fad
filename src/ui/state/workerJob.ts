import * as Comlink from 'comlink';
import { errorMessage } from '../workerClient';

/** What a panel's worker job answers: its result, or that it was cancelled. */
export type JobOutcome<R> = { readonly status: 'done'; readonly result: R } | { readonly status: 'cancelled' };
/** How a job ended, a failure included, with the message to show. */
export type JobEnd<R> = JobOutcome<R> | { readonly status: 'error'; readonly message: string };

/**
 * Runs one worker job of a panel. Progress arrives per GPU chunk, far faster than the page draws:
 * `show` gets it at most once per animation frame, and never after the job has ended.
 */
export async function runWorkerJob<R, P extends unknown[] = [fraction: number]>(
  call: (onProgress: (...progress: P) => void) => Promise<JobOutcome<R>>,
  show: (...progress: P) => void,
): Promise<JobEnd<R>> {
  let latest: P | undefined;
  let frame = 0;
  const onProgress = (...progress: P) => {
    latest = progress;
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      show(...latest!);
    });
  };
  try {
    return await call(Comlink.proxy(onProgress));
  } catch (e) {
    return { status: 'error', message: errorMessage(e) };
  } finally {
    cancelAnimationFrame(frame);
  }
}
