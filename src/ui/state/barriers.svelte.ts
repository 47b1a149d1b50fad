import type { BarrierLine } from '../../worker/protocol';
import { errorMessage, type Api } from '../workerClient';
import { barrierSets } from '../../core/instruments/barriers/barrierAnalysis';
import { DEFAULT_LINE_CHOICE, parseBarrierForm, type BarrierFormValues, type BarrierKey, type LineChoice } from './barrierForm';
import { JobState } from './jobState.svelte';
import type { RunView } from './runView';

/**
 * The barriers view's state: the "Measure barriers" form, the measurement in the worker (progress,
 * cancel), its result, and the pair of particles whose line is drawn.
 */
export class Barriers extends JobState<'barriers'> {
  // assigned in the constructor; read after it has run
  private readonly onChoice!: () => void;
  values = $state<BarrierFormValues>({});
  /** "Align hidden units": each pair's units matched (weight matching) before its line is drawn */
  align = $state(DEFAULT_LINE_CHOICE.align);
  /** "Loss on": the set whose loss is measured along the lines, "train" or a probe set's name */
  lossSet = $state(DEFAULT_LINE_CHOICE.set);
  /** the pair whose line is drawn: particle indices (i, j) */
  pair = $state.raw<readonly [number, number] | undefined>();
  line = $state.raw<BarrierLine | undefined>();
  lineError = $state<string | undefined>();
  private lineRequest = 0;

  /** the choices "Loss on" offers: the training set, then the probe sets of the run on screen's task */
  sets = $derived(barrierSets(this.run().probes ?? []));
  parsed = $derived(parseBarrierForm(this.values, this.run().particles, this.choice, this.run().probes));
  canMeasure = $derived(!!this.parsed.request && this.run().trained && this.run().particles >= 2 && this.status !== 'running');

  /** `onChoice`: called when the alignment or the set changes (they travel in the link) */
  constructor(api: Api, run: () => RunView, onChoice: () => void = () => {}) {
    super('barriers', api, run);
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
