import type { GeometryResult, GeometryStage } from '../../worker/protocol';
import type { Api } from '../workerClient';
import { JobState } from './jobState.svelte';
import type { RunView } from './runView';
import { parseMeasureForm, type MeasureFormValues, type MeasureKey } from './measureForm';

/** Stages as the progress line names them. */
export const STAGE_NAMES: Record<GeometryStage, string> = {
  sharpness: 'sharpness (power iteration)',
  width: 'width (r50)',
  llc: 'LLC (SGLD chains)',
};

/**
 * "Measure sharpness, width, LLC": the form, the measurement in the worker (its stage and
 * progress, cancel) and its result, which the box plots and the inspector read.
 */
export class Measures extends JobState<'geometry'> {
  values = $state<MeasureFormValues>({});

  parsed = $derived(parseMeasureForm(this.values, this.run().particles));
  canMeasure = $derived(!!this.parsed.request && this.run().trained && this.run().particles >= 1 && this.status !== 'running');
  /** stages this measurement runs: the progress line says "stage k of n" */
  stages = $derived<GeometryStage[]>(this.parsed.request?.skipLlc ? ['sharpness', 'width'] : ['sharpness', 'width', 'llc']);

  constructor(api: Api, run: () => RunView) {
    super('geometry', api, run);
  }

  /** the stage running: the first until the job reports another */
  get stage(): GeometryStage {
    return this.shown.stage ?? 'sharpness';
  }

  set(key: MeasureKey, value: string): void {
    this.values = { ...this.values, [key]: value };
  }

  setSkipLlc(skip: boolean): void {
    this.values = { ...this.values, skipLlc: skip };
  }

  async measure(): Promise<void> {
    const request = this.parsed.request;
    if (!request || !this.canMeasure) return;
    // lets a long-task observer tell the measurement's tasks from others
    performance.mark('basin-atlas:measures');
    await this.runJob(request);
  }

  /** The result, when it describes particle `i` of the ensemble on screen. */
  forParticle(i: number): GeometryResult | undefined {
    const r = this.result;
    return r && !this.stale && i < r.particles ? r : undefined;
  }
}
