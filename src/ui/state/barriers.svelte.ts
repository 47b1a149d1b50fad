import type { BarrierLine, BarrierResult } from '../../worker/protocol';
import { errorMessage, type Api } from '../workerClient';
import { parseBarrierForm, type BarrierFormValues, type BarrierKey } from './barrierForm';
import { trainingKey, type RunView } from './runView';
import { runWorkerJob } from './workerJob';

export type BarrierStatus = 'idle' | 'measuring' | 'done' | 'cancelled' | 'error';

/**
 * The barriers view's state: the "Measure barriers" form, the measurement in the worker (progress,
 * cancel), its result, and the pair of particles whose line is drawn.
 */
export class Barriers {
  // assigned in the constructor; the $derived fields below read them lazily, after it has run
  private readonly api!: Api;
  private readonly run!: () => RunView;
  values = $state<BarrierFormValues>({});
  status = $state<BarrierStatus>('idle');
  progress = $state(0);
  error = $state<string | undefined>();
  result = $state.raw<BarrierResult | undefined>();
  /** the pair whose line is drawn: particle indices (i, j) */
  pair = $state.raw<readonly [number, number] | undefined>();
  line = $state.raw<BarrierLine | undefined>();
  lineError = $state<string | undefined>();
  private resultKey = $state('');
  private lineRequest = 0;

  parsed = $derived(parseBarrierForm(this.values, this.run().particles));
  /** the particles measured are no longer those on screen (another seed, model, task…) */
  stale = $derived(!!this.result && this.resultKey !== trainingKey(this.run().settings));
  canMeasure = $derived(!!this.parsed.request && this.run().trained && this.run().particles >= 2 && this.status !== 'measuring');

  constructor(api: Api, run: () => RunView) {
    this.api = api;
    this.run = run;
  }

  set(key: BarrierKey, value: string): void {
    this.values = { ...this.values, [key]: value };
  }

  async measure(): Promise<void> {
    const request = this.parsed.request;
    if (!request || !this.canMeasure) return;
    const key = trainingKey(this.run().settings);
    this.status = 'measuring';
    this.progress = 0;
    this.error = undefined;
    // lets a long-task observer tell the measurement's tasks from others
    performance.mark('basin-atlas:barriers');
    const end = await runWorkerJob(
      (onProgress) => this.api.measureBarriers(request, onProgress),
      (f) => (this.progress = f),
    );
    if (end.status === 'error') this.error = end.message;
    else if (end.status === 'done') {
      this.result = end.result;
      this.resultKey = key;
      this.pair = undefined;
      this.line = undefined;
    }
    this.status = end.status;
  }

  cancel(): void {
    if (this.status === 'measuring') void this.api.cancelJob('barriers');
  }

  /** Draws the loss along the line between particles i and j of the matrix. */
  async choosePair(i: number, j: number): Promise<void> {
    this.pair = [i, j];
    this.lineError = undefined;
    const id = ++this.lineRequest;
    try {
      const line = await this.api.barrierLine(i, j);
      if (id === this.lineRequest) this.line = line;
    } catch (e) {
      if (id === this.lineRequest) this.lineError = errorMessage(e);
    }
  }
}
