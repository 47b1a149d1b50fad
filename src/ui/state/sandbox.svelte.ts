import * as Comlink from 'comlink';
import type {
  DroppedFile,
  EngineInfo,
  ExportFile,
  ExportKind,
  RunEvent,
  RunSettings,
  RunSummary,
  StartMode,
  Target,
  TargetDetail,
  TaskInfo,
} from '../../worker/protocol';
import { connectWorker, errorMessage, type Api } from '../workerClient';
import { KNOB_PREFIX, type FormKey } from './fields';
import { defaultValues, parseForm, presetValues, type FormValues } from './form';
import { decodeHash, encodeHash } from './hashCodec';
import { checkLineSet } from './barrierHash';
import { DEFAULT_LINE_CHOICE } from './barrierForm';
import { DEFAULT_STAGE, type StageView } from './stageViews';
import { Decomposition } from './decompose.svelte';
import { Barriers } from './barriers.svelte';
import type { RunView } from './runView';
import { HypermapView } from './hypermap.svelte';
import { PriorView } from './prior.svelte';
import { Measures } from './measures.svelte';
import { RunData } from './runData.svelte';
import { presetShape, type TaskShape } from './taskShape';
import { checkFileSize } from '../../core/taskFile';
import { decodeDigitImages, provideDigitImages } from '../../core/tasks/digitImages';
import { decodeMnistImages, MNIST_FILE, provideMnistImages } from '../../core/tasks/mnistImages';
import { fetchMnistBytes } from './fetchMnist';
import { findStory, type Story } from '../stories/stories';
import { shrinks, sizeLine, storyPriorSamples, storyValues } from '../stories/storySize';
import type { Verdict } from '../stories/verdicts';
import type { AxisContext } from '../../core/instruments/hypermap/hypermapAxes';
import { findPreset } from '../../core/tasks/index';
import { ClassHighlight } from '../selection/classHighlight.svelte';

/** Same ensemble training (only the plane or the view may differ). */
function sameTraining(a: RunSettings, b: RunSettings): boolean {
  return a.sharedInit === b.sharedInit && JSON.stringify(a.config) === JSON.stringify(b.config);
}

export type RunStatus = 'starting' | 'idle' | 'running' | 'paused' | 'done' | 'cancelled' | 'error';

/** How long the form must rest before a changed setting starts a new run. */
const RUN_DEBOUNCE_MS = 400;

/**
 * The sandbox's shared state: the form (which is also the URL hash), the engine the worker runs
 * on, and the run in progress. Components read it; only its methods talk to the worker.
 */
export class Sandbox {
  private readonly api: Api = connectWorker();
  engine = $state.raw<EngineInfo | undefined>();
  deviceLost = $state<string | undefined>();
  /** problems with the link the page was opened with, shown until dismissed */
  notices = $state<string[]>([]);

  values = $state<FormValues>({});
  /** the story being told (stories.ts), shown above the map until closed or its task is left */
  storyId = $state<string | undefined>();
  story = $derived<Story | undefined>(this.storyId ? findStory(this.storyId) : undefined);
  /** the view on the centre stage (Map, Curves, Barriers…), kept in the link beside the form */
  stage = $state<StageView>(DEFAULT_STAGE);
  /** the reader asked for the story's full size on a slow device */
  storyFull = $state(false);
  /** the form the story loaded: its verdict speaks only of a run of these settings */
  private storyForm = $state('');
  /** how the story was cut down for this device, in one line; undefined at full size */
  storySize = $derived.by(() => {
    const story = this.story;
    const engine = this.engine;
    if (!story || !engine || this.storyFull || !shrinks(story, !!engine.slow)) return undefined;
    return sizeLine(story, engine.kind);
  });
  /**
   * The story's claim tested on the finished run on screen (and, for a story a panel answers, on
   * that panel's result for this run): undefined while it runs, after the form has left the
   * story's settings, or while the panel has no answer yet.
   */
  storyVerdict = $derived.by((): Verdict | undefined => {
    const story = this.story;
    const task = this.data.task;
    if (!story || !task || this.status !== 'done' || this.stale) return undefined;
    if (JSON.stringify(this.values) !== this.storyForm) return undefined;
    const { prior, hypermap, measures } = this;
    return story.verdict({
      classes: task.outcomeClasses,
      counts: this.data.counts,
      probes: task.probes,
      curves: this.data.curves,
      // a panel's answer counts only while it is of this run
      prior: prior.stale ? undefined : prior.result,
      hypermap: hypermap.result && !hypermap.stale ? { ...hypermap.result, zooms: hypermap.history.length } : undefined,
      geometry: measures.stale ? undefined : measures.result,
      chance: task.classes > 0 ? 1 / task.classes : undefined,
    });
  });
  /** task files dropped in this page, by id */
  loadedTasks = $state<Record<string, TaskInfo>>({});
  taskFileError = $state<string | undefined>();

  /** the mnist preset's images: loaded on first use (a problem is a notice, as for the digits) */
  private mnistImages: Promise<void> | undefined;
  /** bumped when the mnist images arrive, so the task's shape is read again */
  private mnistLoaded = $state(0);

  taskShape = $derived.by<TaskShape | undefined>(() => {
    void this.mnistLoaded;
    return this.loadedTasks[this.values.task] ?? presetShape(this.values);
  });
  parsed = $derived(parseForm(this.values, this.taskShape));
  settingsKey = $derived(this.parsed.settings ? JSON.stringify(this.parsed.settings) : '');

  status = $state<RunStatus>('starting');
  runError = $state<string | undefined>();
  summary = $state.raw<RunSummary | undefined>();
  data = new RunData();
  /** the settings of the results on screen (a changed form shows them until the next run starts) */
  shownSettings = $state.raw<RunSettings | undefined>();

  /** the form no longer matches the results on screen (a changed or invalid setting) */
  stale = $derived(!!this.shownSettings && this.settingsKey !== JSON.stringify(this.shownSettings));

  private readonly runView = (): RunView => ({
    particles: this.shownSettings?.config.particles ?? 0,
    trained: this.status === 'done' || this.status === 'cancelled',
    settings: this.shownSettings,
    probes: this.data.task?.probes,
  });
  /** the barriers view: loss barriers between the trained particles (its alignment and set travel in the link) */
  readonly barriers = new Barriers(this.api, this.runView, () => this.writeHash());
  /** sharpness, width and LLC of the trained particles, per class */
  readonly measures = new Measures(this.api, this.runView);
  /** init seed vs noise seed: an I × J matrix trained with the settings on screen */
  readonly decomposition = new Decomposition(this.api, this.runView);
  /** prior samples against the trained particles, function by function */
  readonly prior = new PriorView(this.api, this.runView);
  /** a map of two hyperparameters around the settings on screen */
  readonly hypermap = new HypermapView(this.api, this.runView, (settings) => this.axisContext(settings));

  selected = $state.raw<Target | undefined>();
  /** the outcome class picked in any view, highlighted in all of them */
  readonly highlight = new ClassHighlight();
  detail = $state.raw<TargetDetail | undefined>();

  private runId = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** training rows of the presets built for axisContext, by task and knobs: the form checks its axes at every keystroke */
  private presetRows: Record<string, number> = {};

  /** What a hyper map's axes are checked against: the run's layers and training rows (a preset is built at its knobs). */
  private axisContext(settings: RunSettings): AxisContext | undefined {
    const { config } = settings;
    const preset = findPreset(config.task);
    const key = JSON.stringify([config.task, config.knobs]);
    if (preset && !Object.hasOwn(this.presetRows, key)) {
      try {
        this.presetRows[key] = preset.build(config.knobs).train.rows;
      } catch {
        // digits before its images have loaded: nothing to check against yet (and nothing cached)
        return undefined;
      }
    }
    const trainRows = preset ? this.presetRows[key] : this.loadedTasks[config.task]?.trainRows;
    return trainRows === undefined ? undefined : { config, layers: config.hidden.length + 1, trainRows };
  }

  /** Starts the engine, reads the link, starts the first run. */
  async start(): Promise<void> {
    const images = this.loadDigitImages();
    try {
      this.engine = await this.api.init(Comlink.proxy((message: string) => (this.deviceLost = message)));
    } catch (e) {
      this.runError = `The engine failed to start: ${errorMessage(e)}`;
      this.status = 'error';
      return;
    }
    // before the form: the digits preset builds from them, and derived task shapes are not re-read
    const imageProblem = await images;
    const decoded = decodeHash(location.hash, this.engine.kind);
    this.values = decoded.values;
    this.storyId = decoded.story;
    this.stage = decoded.stage ?? DEFAULT_STAGE;
    // the link's barrier set, checked against the sets of the task it opens
    const line = checkLineSet(decoded.line ?? DEFAULT_LINE_CHOICE, this.taskShape?.probes);
    this.barriers.choose(line.line);
    const problems = line.problem ? [...decoded.problems, line.problem] : decoded.problems;
    const story = this.story;
    // a bare story link on a slow device: the story's smaller run (a link with sizes of its own keeps them)
    this.storyFull = !!decoded.full;
    if (story && JSON.stringify(decoded.values) === JSON.stringify(storyValues(story, this.engine.kind, false, true))) {
      this.values = storyValues(story, this.engine.kind, !!this.engine.slow, this.storyFull);
    }
    if (story) this.storyForm = JSON.stringify(this.values);
    if (story) this.sizePanels(story);
    this.notices = [
      ...(problems.length > 0 ? [`This link had problems — ${problems.join('; ')}.`] : []),
      ...(imageProblem ? [imageProblem] : []),
    ];
    this.writeHash();
    this.status = 'idle';
    await this.run();
  }

  /**
   * The digits preset's MNIST images, fetched from the page's own origin: decoded here (the task
   * strip and the form build the task) and handed to the worker. A problem comes back as a notice.
   */
  /**
   * Fetches, unzips and decodes the mnist preset's images once, hands them to the worker, and runs
   * the form again. Only the mnist preset calls this, so no other task pays the 0.6 MB.
   */
  private ensureMnistImages(): Promise<void> {
    this.mnistImages ??= (async () => {
      try {
        const bytes = await fetchMnistBytes();
        provideMnistImages(decodeMnistImages(bytes));
        await this.api.provideMnistImages(Comlink.transfer(bytes, [bytes.buffer]));
        this.mnistLoaded++;
      } catch (e) {
        this.mnistImages = undefined;
        this.notices = [
          ...this.notices,
          `The 28×28 digit images (${MNIST_FILE}) could not be loaded, so the mnist task cannot run: ${errorMessage(e)}`,
        ];
      }
    })();
    return this.mnistImages;
  }

  private async loadDigitImages(): Promise<string | undefined> {
    try {
      // relative to the page, as the build's assets are: the app works from any folder of any server
      const response = await fetch('digits.bin');
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      provideDigitImages(decodeDigitImages(bytes));
      await this.api.provideDigitImages(Comlink.transfer(bytes, [bytes.buffer]));
      return undefined;
    } catch (e) {
      return `The digit images (digits.bin) could not be loaded, so the digits task cannot run: ${errorMessage(e)}`;
    }
  }

  /** The link follows the form while the form is valid; an invalid value never reaches it. */
  writeHash(): void {
    if (this.parsed.settings)
      history.replaceState(null, '', encodeHash(this.values, this.storyId, this.stage, this.storyFull, this.barriers.choice));
  }

  /** Puts a view on the centre stage; the link follows (with the form, so only while the form is valid). */
  show(stage: StageView): void {
    this.stage = stage;
    this.writeHash();
  }

  set(key: FormKey, value: string): void {
    this.values[key] = value;
    this.writeHash();
  }

  /** Several fields at once: one change, one run. */
  setMany(values: FormValues): void {
    this.values = { ...this.values, ...values };
    this.writeHash();
  }

  /** Loads a story's settings (every other field at its task's default) and tells it; the run follows. */
  openStory(id: string, full = false): void {
    const story = findStory(id);
    if (!story) return;
    this.storyFull = full;
    this.values = storyValues(story, this.engine?.kind ?? 'gpu', !!this.engine?.slow, full);
    this.storyForm = JSON.stringify(this.values);
    this.storyId = id;
    this.sizePanels(story);
    this.taskFileError = undefined;
    this.writeHash();
  }

  /** A story's panel sizes for this device (the prior samples), where it has its own. */
  private sizePanels(story: Story): void {
    const samples = storyPriorSamples(story, !!this.engine?.slow, this.storyFull);
    if (samples !== undefined) this.prior.samplesText = String(samples);
  }

  closeStory(): void {
    this.storyId = undefined;
    this.writeHash();
  }

  /** A new task brings its own knobs and preferred training settings. */
  chooseTask(task: string): void {
    // a story is about its own task
    if (this.story && this.story.values.task !== task) this.storyId = undefined;
    this.values = { ...this.withoutKnobs(), ...presetValues(this.engine?.kind ?? 'gpu', task), task };
    this.taskFileError = undefined;
    this.barriers.newTask();
    this.writeHash();
    if (findPreset(task)?.needsMnistImages) void this.ensureMnistImages().then(() => this.scheduleRun());
  }

  private withoutKnobs(): FormValues {
    return Object.fromEntries(Object.entries(this.values).filter(([k]) => !k.startsWith(KNOB_PREFIX)));
  }

  /** Restores every default for this engine, keeping the task. */
  resetForm(): void {
    this.values = defaultValues(this.engine?.kind ?? 'gpu', this.loadedTasks[this.values.task] ? undefined : this.values.task);
    this.writeHash();
  }

  /** Called whenever the form changes: a valid form runs after it rests a moment. */
  scheduleRun(): void {
    clearTimeout(this.timer);
    if (!this.parsed.settings || this.status === 'starting') return;
    if (this.shownSettings && JSON.stringify(this.shownSettings) === this.settingsKey) return;
    this.timer = setTimeout(() => void this.run(), RUN_DEBOUNCE_MS);
  }

  async loadTaskFiles(files: File[]): Promise<void> {
    this.taskFileError = undefined;
    try {
      // refused by size before a byte is read: a huge drop must not freeze the tab
      for (const f of files) checkFileSize(f.name, f.size);
      const dropped: DroppedFile[] = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
      const info = await this.api.loadTask(dropped);
      this.loadedTasks = { ...this.loadedTasks, [info.id]: info };
      this.values = { ...this.withoutKnobs(), task: info.id };
      this.barriers.newTask();
      this.storyId = undefined;
      // a batch larger than the file's training set would be invalid: full batch is always sound
      if (Number(this.values.batch) > info.trainRows) this.values.batch = 'full';
      this.writeHash();
    } catch (e) {
      this.taskFileError = errorMessage(e);
    }
  }

  /** Runs the form's settings from scratch (cancelling any run in progress). */
  async run(start: StartMode = 'play'): Promise<void> {
    // the mnist preset's images arrive on its first run (a link to it, or choosing it); no other task fetches them
    if (findPreset(this.values.task)?.needsMnistImages) await this.ensureMnistImages();
    const settings = this.parsed.settings;
    if (!settings || !this.engine) return;
    clearTimeout(this.timer);
    const id = ++this.runId;
    this.data.reset();
    this.summary = undefined;
    this.runError = undefined;
    // a particle trains the same whatever the plane: its selection survives a new plane ("centre on it")
    const kept =
      this.selected?.kind === 'particle' && this.shownSettings && sameTraining(this.shownSettings, settings) ? this.selected : undefined;
    this.selected = kept;
    if (!kept) this.detail = undefined;
    this.shownSettings = settings;
    this.status = start === 'play' ? 'running' : 'paused';
    // lets a long-task observer tell tasks during runs from page start-up
    performance.mark('basin-atlas:run');
    // events are applied once per animation frame, however fast the worker sends them: the page
    // does at most one round of updates per frame it shows
    let queue: RunEvent[] = [];
    let scheduled = 0;
    const flush = () => {
      scheduled = 0;
      const events = queue;
      queue = [];
      if (id !== this.runId) return;
      for (const event of events) {
        if (event.type === 'paused') this.status = event.paused ? 'paused' : 'running';
        this.data.apply(event);
      }
    };
    const onEvent = (event: RunEvent) => {
      queue.push(event);
      scheduled ||= requestAnimationFrame(flush);
    };
    try {
      const summary = await this.api.run($state.snapshot(settings) as RunSettings, Comlink.proxy(onEvent), start);
      cancelAnimationFrame(scheduled);
      flush();
      if (id !== this.runId) return;
      this.summary = summary;
      this.status = summary.status;
      this.data.progress = summary.status === 'done' ? 1 : this.data.progress;
      if (kept && this.selected === kept) void this.select(kept);
    } catch (e) {
      cancelAnimationFrame(scheduled);
      flush();
      if (id !== this.runId) return;
      this.runError = errorMessage(e);
      this.status = 'error';
    }
  }

  /** ▶: resumes a paused run, otherwise starts a new one. */
  play(): void {
    if (this.status === 'paused') void this.api.resume();
    else void this.run();
  }

  pause(): void {
    if (this.status === 'running') void this.api.pause();
  }

  /** One frame more; after a finished run, a new run that stops after its first frame. */
  step(): void {
    if (this.status === 'paused' || this.status === 'running') void this.api.step();
    else void this.run('step');
  }

  cancel(): void {
    void this.api.cancelRun();
  }

  /** Back to step 0 of the same settings, paused: the loss map and the particles' starting points. */
  reset(): void {
    void this.run('paused');
  }

  async recover(): Promise<void> {
    try {
      this.engine = await this.api.recover();
      this.deviceLost = undefined;
    } catch (e) {
      this.deviceLost = `Recovery failed: ${errorMessage(e)}`;
    }
  }

  /** For tests and for trying recovery: destroys the GPU device as a driver reset would. */
  loseDevice(): Promise<boolean> {
    return this.api.loseDevice();
  }

  async select(target: Target | undefined): Promise<void> {
    this.selected = target;
    this.detail = target ? await this.api.detail(target) : undefined;
  }

  /** The plane through three trained particles, framed so that all three sit well inside the map. */
  planeThrough(particles: readonly [number, number, number]): void {
    this.setMany({ plane: 'through', through: particles.map((i) => `final:${i}`).join(','), span: '1', off: '0.33,0.33' });
  }

  exportFile(kind: ExportKind, target?: Target): Promise<ExportFile> {
    return this.api.exportFile(kind, this.parsed.view.view, target);
  }
}
