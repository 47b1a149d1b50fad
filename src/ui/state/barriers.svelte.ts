import type { BarrierLine } from '../../worker/protocol';
import { errorMessage, type Api } from '../workerClient';
import { parseBarrierForm, type BarrierFormValues, type BarrierKey } from './barrierForm';
import { JobState } from './jobState.svelte';
import type { RunView } from './runView';

/**
 * The barriers view's state: the "Measure barriers" form, the measurement in the worker (progress,
 * cancel), its result, and the pair of particles whose line is drawn.
 */
export class Barriers extends JobState<'barriers'> {
  values = $state<BarrierFormValues>({});
  /** the pair whose line is drawn: particle indices (i, j) */
  pair = $state.raw<readonly [number, number] | undefined>();
  line = $state.raw<BarrierLine | undefined>();
  lineError = $state<string | undefined>();
  private lineRequest = 0;

  parsed = $derived(parseBarrierForm(this.values, this.run().particles));
  canMeasure = $derived(!!this.parsed.request && this.run().trained && this.run().particles >= 2 && this.status !== 'running');

  constructor(api: Api, run: () => RunView) {
    super('barriers', api, run);
  }

  set(key: BarrierKey, value: string): void {
    this.values = { ...this.values, [key]: value };
  }

  async measure(): Promise<void> {
    const request = this.parsed.request;
    if (!request || !this.canMeasure) return;
    // lets a long-task observer tell the measurement's tasks from others
    performance.mark('basin-atlas:barriers');
    await this.runJob(request);
  }

  /** a new matrix: the line drawn was between particles of the old one */
  protected override resultChanged(): void {
    this.pair = undefined;
    this.line = undefined;
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
