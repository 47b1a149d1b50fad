import type { DecomposeResult } from '../../worker/protocol';
import type { Api } from '../workerClient';
import { parseDecomposeForm, type DecomposeFormValues, type DecomposeKey } from './decomposeForm';
import { trainingKey, type RunView } from './runView';
import { runWorkerJob } from './workerJob';

export type DecomposeStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

/**
 * The decomposition view's state: the I × J form, the computation in the worker (progress,
 * cancel), its result, and how the rows are ordered.
 */
export class Decomposition {
  // assigned in the constructor; the $derived fields below read them lazily, after it has run
  private readonly api!: Api;
  private readonly run!: () => RunView;
  values = $state<DecomposeFormValues>({});
  status = $state<DecomposeStatus>('idle');
  progress = $state(0);
  error = $state<string | undefined>();
  result = $state.raw<DecomposeResult | undefined>();
  /** rows by purity (purest first) rather than by init index */
  byPurity = $state(false);
  private resultKey = $state('');

  parsed = $derived(parseDecomposeForm(this.values));
  /** the settings on screen are no longer those the matrix was trained with */
  stale = $derived(!!this.result && this.resultKey !== trainingKey(this.run().settings));
  canRun = $derived(!!this.parsed.request && !!this.run().settings && this.run().trained && this.status !== 'running');

  constructor(api: Api, run: () => RunView) {
    this.api = api;
    this.run = run;
  }

  set(key: DecomposeKey, value: string): void {
    this.values = { ...this.values, [key]: value };
  }

  async start(): Promise<void> {
    const request = this.parsed.request;
    const settings = this.run().settings;
    if (!request || !settings || !this.canRun) return;
    this.status = 'running';
    this.progress = 0;
    this.error = undefined;
    const end = await runWorkerJob(
      (onProgress) => this.api.decompose(settings, request, onProgress),
      (f) => (this.progress = f),
    );
    if (end.status === 'error') this.error = end.message;
    else if (end.status === 'done') {
      this.result = end.result;
      this.resultKey = trainingKey(settings);
    }
    this.status = end.status;
  }

  cancel(): void {
    if (this.status === 'running') void this.api.cancelJob('decompose');
  }
}
