import type { GeometryResult, GeometryStage } from '../../worker/protocol';
import type { Api } from '../workerClient';
import type { BarrierStatus } from './barriers.svelte';
import { trainingKey, type RunView } from './runView';
import { runWorkerJob } from './workerJob';
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
export class Measures {
  // assigned in the constructor; the $derived fields below read them lazily, after it has run
  private readonly api!: Api;
  private readonly run!: () => RunView;
  values = $state<MeasureFormValues>({});
  status = $state<BarrierStatus>('idle');
  stage = $state<GeometryStage>('sharpness');
  progress = $state(0);
  error = $state<string | undefined>();
  result = $state.raw<GeometryResult | undefined>();
  private resultKey = $state('');

  parsed = $derived(parseMeasureForm(this.values, this.run().particles));
  /** the particles measured are no longer those on screen (another seed, model, task…) */
  stale = $derived(!!this.result && this.resultKey !== trainingKey(this.run().settings));
  canMeasure = $derived(!!this.parsed.request && this.run().trained && this.run().particles >= 1 && this.status !== 'measuring');
  /** stages this measurement runs: the progress line says "stage k of n" */
  stages = $derived<GeometryStage[]>(this.parsed.request?.skipLlc ? ['sharpness', 'width'] : ['sharpness', 'width', 'llc']);

  constructor(api: Api, run: () => RunView) {
    this.api = api;
    this.run = run;
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
    const key = trainingKey(this.run().settings);
    this.status = 'measuring';
    this.stage = 'sharpness';
    this.progress = 0;
    this.error = undefined;
    // lets a long-task observer tell the measurement's tasks from others
    performance.mark('basin-atlas:measures');
    const end = await runWorkerJob(
      (onProgress) => this.api.measureGeometry(request, onProgress),
      (stage: GeometryStage, f: number) => ([this.stage, this.progress] = [stage, f]),
    );
    if (end.status === 'error') this.error = end.message;
    else if (end.status === 'done') {
      this.result = end.result;
      this.resultKey = key;
    }
    this.status = end.status;
  }

  cancel(): void {
    if (this.status === 'measuring') void this.api.cancelJob('geometry');
  }

  /** The result, when it describes particle `i` of the ensemble on screen. */
  forParticle(i: number): GeometryResult | undefined {
    const r = this.result;
    return r && !this.stale && i < r.particles ? r : undefined;
  }
}
