import * as Comlink from 'comlink';
import type { GeometryResult, GeometryStage } from '../../worker/protocol';
import { errorMessage, type Api } from '../workerClient';
import { trainingKey, type BarrierStatus, type RunView } from './geometry.svelte';
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
    // progress comes per engine chunk: applied at most once per animation frame
    let latest: [GeometryStage, number] = ['sharpness', 0];
    let frame = 0;
    const onProgress = (stage: GeometryStage, f: number) => {
      latest = [stage, f];
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        [this.stage, this.progress] = latest;
      });
    };
    try {
      const outcome = await this.api.measureGeometry(request, Comlink.proxy(onProgress));
      cancelAnimationFrame(frame);
      if (outcome.status === 'cancelled') {
        this.status = 'cancelled';
        return;
      }
      this.result = outcome.result;
      this.resultKey = key;
      this.status = 'done';
    } catch (e) {
      cancelAnimationFrame(frame);
      this.error = errorMessage(e);
      this.status = 'error';
    }
  }

  cancel(): void {
    if (this.status === 'measuring') void this.api.cancelGeometry();
  }

  /** The result, when it describes particle `i` of the ensemble on screen. */
  forParticle(i: number): GeometryResult | undefined {
    const r = this.result;
    return r && !this.stale && i < r.particles ? r : undefined;
  }
}
