import type { AxisContext } from '../../core/instruments/hypermap/hypermapAxes';
import {
  defaultAxes,
  defaultOutcome,
  parseHypermapFields,
  type HypermapField,
  type HypermapTexts,
  type ParsedHypermapFields,
} from '../../core/instruments/hypermap/hypermapFields';
import type { HypermapViewResult, RunSettings } from '../../worker/protocol';
import type { Api } from '../workerClient';
import { JobState } from './jobState.svelte';
import { trainingKey, type RunView } from './runView';

/** A map left by a zoom: its axes, and the result drawn for them (restored by "back" when still of the ensemble on screen). */
interface Zoomed {
  readonly x: string;
  readonly y: string;
  readonly result?: HypermapViewResult;
  readonly resultKey: string;
  /** the sizes it was mapped at: a result restores only for the same ones */
  readonly sizes: string;
}

/** The fields as typed; an absent axis takes the task's default. */
export type HypermapValues = Partial<HypermapTexts>;

/** a small map first: 16 × 16 cells of the thneeb preset train in seconds on a CPU's WebGPU */
export const HYPERMAP_INITIAL = { res: '16', perCell: '1' };

/**
 * A trainability map starts at 33 cells a side, the fewest whose boundary's box-counting dimension
 * can be measured (boxes of 2, 4 and 8 cells): the trainability story's verdict reads that number.
 */
export const HYPERMAP_INITIAL_TRAINABILITY = { res: '33', perCell: '1' };

/** The texts the fields show: as typed, else the task's default axes and the initial sizes. */
export function hypermapTexts(values: HypermapValues, task: string): HypermapTexts {
  const initial = defaultOutcome(task) === 'trainability' ? HYPERMAP_INITIAL_TRAINABILITY : HYPERMAP_INITIAL;
  return { ...defaultAxes(task), ...initial, ...values };
}

/**
 * The hyper map view's state: the form (axes, resolution, particles per cell), the map in the
 * worker (progress, cancel), its result, and the zoom history: each dragged box pushes the axes
 * it replaced, "back" pops one, "whole map" returns to the first.
 */
export class HypermapView extends JobState<'hypermap'> {
  // assigned in the constructor; the $derived fields below read it lazily, after it has run
  private readonly axisContext!: (settings: RunSettings) => AxisContext | undefined;
  values = $state<HypermapValues>({});
  /** the task whose axes `values` and the zoom history hold: axes belong to a task, and another task's never carry over */
  private axesTask = $state('');
  private zooms = $state.raw<readonly Zoomed[]>([]);

  private task = $derived(this.run().settings?.config.task ?? '');
  /** the typed values that apply to the task on screen: its own axes, and the sizes whatever the task */
  private current = $derived.by((): HypermapValues => {
    if (this.axesTask === this.task) return this.values;
    const { x: _x, y: _y, ...sizes } = this.values;
    return sizes;
  });
  /** the maps before each zoom, oldest first (of the task on screen) */
  history = $derived<readonly Zoomed[]>(this.axesTask === this.task ? this.zooms : []);
  texts = $derived(hypermapTexts(this.current, this.task));
  parsed = $derived.by((): ParsedHypermapFields => {
    const settings = this.run().settings;
    const ctx = settings && this.axisContext(settings);
    if (!settings || !ctx) return { errors: {} };
    return parseHypermapFields(this.texts, settings.config, ctx);
  });
  canRun = $derived(!!this.parsed.settings && this.run().trained && this.status !== 'running');

  constructor(api: Api, run: () => RunView, axisContext: (settings: RunSettings) => AxisContext | undefined) {
    super('hypermap', api, run);
    this.axisContext = axisContext;
  }

  /** Adopts the task on screen for the typed axes: another task's axes and zooms are dropped. */
  private own(): void {
    if (this.axesTask === this.task) return;
    this.values = this.current;
    this.zooms = [];
    this.axesTask = this.task;
  }

  private sizes(): string {
    return `${this.texts.res} ${this.texts.perCell}`;
  }

  set(key: HypermapField, value: string): void {
    this.own();
    this.values = { ...this.values, [key]: value };
    // typed axes start a new history
    if (key === 'x' || key === 'y') this.zooms = [];
  }

  /** Maps the box's axes at the same resolution, remembering the map it replaces. */
  zoom(x: string, y: string): Promise<void> {
    if (!this.canRun) return Promise.resolve();
    this.own();
    const shown = this.result && this.resultKey === trainingKey(this.run().settings) ? this.result : undefined;
    this.zooms = [...this.zooms, { x: this.texts.x, y: this.texts.y, result: shown, resultKey: this.resultKey, sizes: this.sizes() }];
    this.values = { ...this.values, x, y };
    return this.start();
  }

  /**
   * Back to the map before the last zoom (whole: before the first): restored as it was drawn when
   * it is of the ensemble on screen at the same sizes, mapped again otherwise.
   */
  back(whole = false): Promise<void> {
    const to = whole ? this.history[0] : this.history.at(-1);
    if (!to) return Promise.resolve();
    this.zooms = whole ? [] : this.zooms.slice(0, -1);
    this.values = { ...this.values, x: to.x, y: to.y };
    if (to.result && to.resultKey === trainingKey(this.run().settings) && to.sizes === this.sizes() && this.status !== 'running') {
      this.restore(to.result, to.resultKey);
      return Promise.resolve();
    }
    return this.start();
  }

  async start(): Promise<void> {
    const settings = this.run().settings;
    if (!settings || !this.canRun) return;
    await this.runJob({ settings, request: { ...this.texts } });
  }
}
