import * as Comlink from 'comlink';
import type { JobKind, JobOutcome, JobProgressOf, JobRequest, JobResult } from '../../worker/protocol';
import { errorMessage, type Api } from '../workerClient';
import { trainingKey, type RunView } from './runView';

/** Where a panel's worker job stands: never run, running, or how its last run ended. */
export type JobStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

/** How a job ended, a failure included, with the message to show. */
export type JobEnd<R> = JobOutcome<R> | { readonly status: 'error'; readonly message: string };

/**
 * The worker's job of kind `kind`, typed by that kind (comlink's Remote drops the generic of
 * SandboxApi.job, so the request, progress and result would otherwise be any kind's). Progress
 * arrives per GPU chunk, far faster than the page draws: `show` gets it at most once per animation
 * frame, and never after the job has ended.
 */
export async function runWorkerJob<K extends JobKind>(
  api: Api,
  kind: K,
  request: JobRequest<K>,
  show: (progress: JobProgressOf<K>) => void,
): Promise<JobEnd<JobResult<K>>> {
  let latest: JobProgressOf<K> | undefined;
  let frame = 0;
  // progress comes over its own message port and can arrive after the job's result: ignored then
  let ended = false;
  const onProgress = (progress: JobProgressOf<K>) => {
    if (ended) return;
    latest = progress;
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      show(latest!);
    });
  };
  try {
    return (await api.job(kind, request, Comlink.proxy(onProgress))) as JobOutcome<JobResult<K>>;
  } catch (e) {
    return { status: 'error', message: errorMessage(e) };
  } finally {
    ended = true;
    cancelAnimationFrame(frame);
  }
}

/**
 * What every instrument panel's state shares: its job in the worker (status, progress, cancel),
 * the job's last result, and whether that result is still of the training on screen. A panel's
 * state extends it with its form and whatever its view adds.
 */
export class JobState<K extends JobKind> {
  // assigned in the constructor; the $derived fields below (and a panel's) read them lazily, after it has run
  protected readonly api!: Api;
  protected readonly run!: () => RunView;
  private readonly kind!: K;
  status = $state<JobStatus>('idle');
  /** the last progress the job reported ({ fraction: 0 } until its first) */
  protected shown = $state.raw<JobProgressOf<K>>({ fraction: 0 } as JobProgressOf<K>);
  error = $state<string | undefined>();
  result = $state.raw<JobResult<K> | undefined>();
  /** the training (trainingKey) the result is of */
  protected resultKey = $state('');

  /** the result is no longer of the training on screen (another seed, model, task…) */
  stale = $derived(!!this.result && this.resultKey !== trainingKey(this.run().settings));

  constructor(kind: K, api: Api, run: () => RunView) {
    this.kind = kind;
    this.api = api;
    this.run = run;
  }

  /** the share of the job done, 0..1 */
  get progress(): number {
    return this.shown.fraction;
  }

  /**
   * Runs the job on `request`, for the training on screen: the result replaces the one before
   * only when the job is done; a failure shows its message, a cancel leaves the result as it was.
   */
  protected async runJob(request: JobRequest<K>): Promise<void> {
    const key = trainingKey(this.run().settings);
    this.status = 'running';
    this.shown = { fraction: 0 } as JobProgressOf<K>;
    this.error = undefined;
    const end = await runWorkerJob(this.api, this.kind, request, (progress) => (this.shown = progress));
    if (end.status === 'error') this.error = end.message;
    else if (end.status === 'done') {
      this.result = end.result;
      this.resultKey = key;
      this.resultChanged();
    }
    this.status = end.status;
  }

  /** Called when a new result replaces the one before, before it is drawn: a panel drops what was of the old one. */
  protected resultChanged(): void {}

  /** Shows a result kept from before (a map "back" restores), as if its job had just ended. */
  protected restore(result: JobResult<K>, key: string): void {
    this.result = result;
    this.resultKey = key;
    this.error = undefined;
    this.status = 'done';
  }

  /** Stops the running job (it ends 'cancelled'); a no-op when none runs. */
  cancel(): void {
    if (this.status === 'running') void this.api.cancel(this.kind);
  }
}
