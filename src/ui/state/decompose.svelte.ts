import type { Api } from '../workerClient';
import { parseDecomposeForm, type DecomposeFormValues, type DecomposeKey } from './decomposeForm';
import { JobState } from './jobState.svelte';
import type { RunView } from './runView';

/**
 * The decomposition view's state: the I × J form, the computation in the worker (progress,
 * cancel), its result, and how the rows are ordered.
 */
export class Decomposition extends JobState<'decompose'> {
  values = $state<DecomposeFormValues>({});
  /** rows by purity (purest first) rather than by init index */
  byPurity = $state(false);

  parsed = $derived(parseDecomposeForm(this.values));
  canRun = $derived(!!this.parsed.request && !!this.run().settings && this.run().trained && this.status !== 'running');

  constructor(api: Api, run: () => RunView) {
    super('decompose', api, run);
  }

  set(key: DecomposeKey, value: string): void {
    this.values = { ...this.values, [key]: value };
  }

  async start(): Promise<void> {
    const request = this.parsed.request;
    const settings = this.run().settings;
    if (!request || !settings || !this.canRun) return;
    await this.runJob({ settings, request });
  }
}
