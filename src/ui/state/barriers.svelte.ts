import type { BarrierLine, BarrierResult } from '../../worker/protocol';
import { errorMessage, type Api } from '../workerClient';
import { barrierSets } from '../../core/instruments/barriers/barrierAnalysis';
import { DEFAULT_LINE_CHOICE, parseBarrierForm, type BarrierFormValues, type BarrierKey, type LineChoice } from './barrierForm';
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
  private readonly onChoice!: () => void;
  values = $state<BarrierFormValues>({});
  /** "Align hidden units": each pair's units matched (weight matching) before its line is drawn */
  align = $state(DEFAULT_LINE_CHOICE.align);
  /** "Loss on": the set whose loss is measured along the lines, "train" or a probe set's name */
  lossSet = $state(DEFAULT_LINE_CHOICE.set);
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

  /** the choices "Loss on" offers: the training set, then the probe sets of the run on screen's task */
  sets = $derived(barrierSets(this.run().probes ?? []));
  parsed = $derived(parseBarrierForm(this.values, this.run().particles, this.choice, this.run().probes));
  /** the particles measured are no longer those on screen (another seed, model, task…) */
  stale = $derived(!!this.result && this.resultKey !== trainingKey(this.run().settings));
  canMeasure = $derived(!!this.parsed.request && this.run().trained && this.run().particles >= 2 && this.status !== 'measuring');

  /** `onChoice`: called when the alignment or the set changes (they travel in the link) */
  constructor(api: Api, run: () => RunView, onChoice: () => void = () => {}) {
    this.api = api;
    this.run = run;
    this.onChoice = onChoice;
  }

  set(key: BarrierKey, value: string): void {
    this.values = { ...this.values, [key]: value };
  }

  /** the alignment and set, as the link and the request carry them */
  get choice(): LineChoice {
    return { align: this.align, set: this.lossSet };
  }

  /** Another task was chosen: a probe set's name belongs to its task, so "Loss on" goes back to the training set. */
  newTask(): void {
    if (this.lossSet !== DEFAULT_LINE_CHOICE.set) this.choose({ set: DEFAULT_LINE_CHOICE.set });
  }

  /** Sets the alignment and set (from the switch, the selector or a link). */
  choose(choice: Partial<LineChoice>): void {
    if (choice.align !== undefined) this.align = choice.align;
    if (choice.set !== undefined) this.lossSet = choice.set;
    this.onChoice();
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
