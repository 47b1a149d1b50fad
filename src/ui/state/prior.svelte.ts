import { parseNumber, type NumberSpec } from '../../core/config';
import { isUserError } from '../../core/errors';
import { MAX_SANDBOX_PRIOR_SAMPLES } from '../../worker/priorJob';
import type { Api } from '../workerClient';
import { JobState } from './jobState.svelte';
import type { RunView } from './runView';

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
export class PriorView extends JobState<'prior'> {
  samplesText = $state(String(DEFAULT_PRIOR_SAMPLES));

  parsed = $derived(parsePriorSamples(this.samplesText));
  canMeasure = $derived(this.parsed.samples !== undefined && this.run().trained && this.run().particles >= 1 && this.status !== 'running');

  constructor(api: Api, run: () => RunView) {
    super('prior', api, run);
  }

  async measure(): Promise<void> {
    const samples = this.parsed.samples;
    if (samples === undefined || !this.canMeasure) return;
    await this.runJob({ samples });
  }
}
