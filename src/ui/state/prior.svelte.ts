import { parseNumber, type NumberSpec } from '../../core/config';
import { isUserError } from '../../core/errors';
import { MAX_SANDBOX_PRIOR_SAMPLES } from '../../worker/priorJob';
import type { PriorViewResult } from '../../worker/protocol';
import type { Api } from '../workerClient';
import type { BarrierStatus } from './barriers.svelte';
import { trainingKey, type RunView } from './runView';
import { runWorkerJob } from './workerJob';

export const PRIOR_SAMPLES: NumberSpec = {
  flag: '--samples',
  label: 'prior samples',
  integer: true,
  min: 1,
  max: MAX_SANDBOX_PRIOR_SAMPLES,
};
export const DEFAULT_PRIOR_SAMPLES = 100_000;

/** The samples field's value, or its one-line error. */
export function parsePriorSamples(text: string): { samples?: number; error?: string } {
  try {
    return { samples: parseNumber(PRIOR_SAMPLES, text, 'label') };
  } catch (e) {
    if (isUserError(e)) return { error: e.message };
    throw e;
  }
}

/**
 * "Prior vs SGD": the samples field, the prior sampler in the worker (progress, cancel) and its
 * comparison with the trained particles on screen, which the scatter reads.
 */
export class PriorView {
  // assigned in the constructor; the $derived fields below read them lazily, after it has run
  private readonly api!: Api;
  private readonly run!: () => RunView;
  samplesText = $state(String(DEFAULT_PRIOR_SAMPLES));
  status = $state<BarrierStatus>('idle');
  progress = $state(0);
  error = $state<string | undefined>();
  result = $state.raw<PriorViewResult | undefined>();
  private resultKey = $state('');

  parsed = $derived(parsePriorSamples(this.samplesText));
  /** the particles compared are no longer those on screen */
  stale = $derived(!!this.result && this.resultKey !== trainingKey(this.run().settings));
  canMeasure = $derived(
    this.parsed.samples !== undefined && this.run().trained && this.run().particles >= 1 && this.status !== 'measuring',
  );

  constructor(api: Api, run: () => RunView) {
    this.api = api;
    this.run = run;
  }

  async measure(): Promise<void> {
    const samples = this.parsed.samples;
    if (samples === undefined || !this.canMeasure) return;
    const key = trainingKey(this.run().settings);
    this.status = 'measuring';
    this.progress = 0;
    this.error = undefined;
    const end = await runWorkerJob(
      (onProgress) => this.api.samplePrior({ samples }, onProgress),
      (f) => (this.progress = f),
    );
    if (end.status === 'error') this.error = end.message;
    else if (end.status === 'done') {
      this.result = end.result;
      this.resultKey = key;
    }
    this.status = end.status;
  }

  cancel(): void {
    if (this.status === 'measuring') void this.api.cancelJob('prior');
  }
}
