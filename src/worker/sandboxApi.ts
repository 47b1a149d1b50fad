import * as Comlink from 'comlink';
import { isUserError, UserError } from '../core/errors';
import { checkConfig } from '../core/config';
import { metricSets, MetricsView } from '../core/metricsView';
import { classOneProbabilities } from '../core/predict';
import { gridPoint } from '../core/runs';
import { decodeDigitImages, provideDigitImages } from '../core/tasks/digitImages';
import { decodeMnistImages, provideMnistImages } from '../core/tasks/mnistImages';
import { taskOutputs } from '../core/task';
import { BarrierJob } from './barrierJob';
import { DecomposeJob } from './decomposeJob';
import { EngineHost } from './engineHost';
import { EngineQueue, type EngineJob } from './engineJob';
import { GeometryJob } from './geometryJob';
import { HypermapJob } from './hypermapJob';
import { PriorJob } from './priorJob';
import { ensembleJson, mapJson, outcomesCsv, paramsJson } from './exports';
import type {
  BarrierLine,
  BarrierOutcome,
  BarrierRequest,
  DecomposeOutcome,
  DecomposeRequest,
  DroppedFile,
  EngineInfo,
  ExportFile,
  ExportKind,
  GeometryOutcome,
  GeometryRequest,
  GeometryStage,
  JobKind,
  HypermapRequest,
  HypermapViewOutcome,
  PriorOutcome,
  PriorRequest,
  RunEvent,
  RunSettings,
  RunSummary,
  StartMode,
  Target,
  TargetDetail,
  TaskInfo,
} from './protocol';
import { SandboxRun } from './sandboxRun';
import { describeTask, TaskStore } from './taskStore';

/** probe rows the inspector predicts for a selected network */
const INSPECTED_PROBE_ROWS = 6;

/** Errors cross comlink as plain Errors: a prefix keeps "this is the user's input" visible to the UI. */
export const USER_ERROR_PREFIX = 'UserError: ';

function rethrow(e: unknown): never {
  if (isUserError(e)) throw new Error(USER_ERROR_PREFIX + e.message);
  throw e;
}

/** The worker's API, as the UI sees it through Comlink.wrap. */
export class SandboxApi {
  private host: EngineHost;
  private tasks = new TaskStore();
  private current: SandboxRun | undefined;
  private running: Promise<unknown> | undefined;
  /** the last run that produced anything: exports and the inspector read it */
  private last: SandboxRun | undefined;
  private lostListener: ((message: string) => void) | undefined;
  // the analysis jobs take turns on the engine through one queue: none starts while another runs
  private engineTurns = new EngineQueue();
  private barriers = new BarrierJob(this.engineTurns);
  private geometry = new GeometryJob(this.engineTurns);
  private decomposition = new DecomposeJob(this.engineTurns);
  private prior = new PriorJob(this.engineTurns);
  private hypermaps = new HypermapJob(this.engineTurns);
  /** every instrument job, by kind: what a new run stops and what cancelJob names */
  private readonly jobs: Readonly<Record<JobKind, EngineJob>> = {
    barriers: this.barriers,
    geometry: this.geometry,
    decompose: this.decomposition,
    prior: this.prior,
    hypermap: this.hypermaps,
  };

  constructor() {
    this.host = new EngineHost((message) => {
      this.current?.control.cancel();
      this.lostListener?.(message);
    });
  }

  /** Starts the engine (WebGPU if the browser has it, else the CPU engine) and says which. */
  async init(onDeviceLost: (message: string) => void): Promise<EngineInfo> {
    this.lostListener = onDeviceLost;
    return this.host.acquire();
  }

  /** After a lost device: a fresh one. Finished results stay for exports and the inspector. */
  async recover(): Promise<EngineInfo> {
    this.current?.control.cancel();
    await this.running?.catch(() => undefined);
    return this.host.acquire();
  }

  loseDevice(): boolean {
    return this.host.loseDevice();
  }

  /** The MNIST images of the digits preset, fetched by the page from its own origin. */
  provideDigitImages(bytes: Uint8Array): void {
    provideDigitImages(decodeDigitImages(bytes));
  }

  /** The mnist preset's 28×28 images, unzipped by the page when that preset is first chosen. */
  provideMnistImages(bytes: Uint8Array): void {
    provideMnistImages(decodeMnistImages(bytes));
  }

  loadTask(files: DroppedFile[]): TaskInfo {
    try {
      return this.tasks.load(files);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** Describes a task (preset with these knobs, or a loaded file) and checks the model fits it. */
  describe(settings: RunSettings): TaskInfo {
    try {
      const task = this.tasks.get(settings.config.task, settings.config.knobs);
      checkConfig(settings.config, task.inputs, taskOutputs(task), 'label');
      return describeTask(settings.config.task, task);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** Cancels whatever runs, then runs `settings`, streaming events; resolves when it ends. */
  async run(settings: RunSettings, emit: (event: RunEvent) => void, start: StartMode = 'play'): Promise<RunSummary> {
    this.current?.control.cancel();
    await this.running?.catch(() => undefined);
    // one user of the engine at a time: a new run ends every analysis job's run
    for (const job of Object.values(this.jobs)) await job.stop();
    const engine = this.host.engine;
    if (!engine || !this.host.info) throw new Error('the engine is not started');
    let run: SandboxRun;
    try {
      const task = this.tasks.get(settings.config.task, settings.config.knobs);
      checkConfig(settings.config, task.inputs, taskOutputs(task), 'label');
      if (settings.config.batch !== 'full' && settings.config.batch > task.train.rows) {
        throw new UserError(
          `batch must be "full" or an integer from 1 to ${task.train.rows} (the training set's size), got "${settings.config.batch}"`,
        );
      }
      run = new SandboxRun(engine, this.host.info, task, settings, emit, start);
    } catch (e) {
      return rethrow(e);
    }
    this.current = run;
    this.last = run;
    const promise = run.execute();
    this.running = promise;
    try {
      return await promise;
    } catch (e) {
      return rethrow(e);
    } finally {
      if (this.current === run) this.current = undefined;
    }
  }

  pause(): void {
    this.current?.control.pause();
  }

  resume(): void {
    this.current?.control.resume();
  }

  step(): void {
    this.current?.control.step();
  }

  cancel(): void {
    this.current?.control.cancel();
  }

  /** Stops the instrument job of this kind; its measure call resolves { status: 'cancelled' }. */
  cancelJob(kind: JobKind): void {
    this.jobs[kind].cancel();
  }

  /** Loss barriers between the first particles of the ensemble on screen (after training, not during it). */
  async measureBarriers(request: BarrierRequest, onProgress: (fraction: number) => void): Promise<BarrierOutcome> {
    const engine = this.host.engine;
    const results = this.last?.results;
    try {
      if (this.current) throw new UserError('training is still running: measure barriers once it has finished');
      if (!engine || !results) throw new UserError('nothing has been trained yet');
      return await this.barriers.measure(engine, results, request, onProgress);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** Sharpness, width and LLC of every particle of the ensemble on screen (after training, not during it). */
  async measureGeometry(request: GeometryRequest, onProgress: (stage: GeometryStage, fraction: number) => void): Promise<GeometryOutcome> {
    const engine = this.host.engine;
    const results = this.last?.results;
    try {
      if (this.current) throw new UserError('training is still running: measure once it has finished');
      if (!engine || !results) throw new UserError('nothing has been trained yet');
      return await this.geometry.measure(engine, results, request, onProgress);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** Init seed vs noise seed: the inits × noises matrix trained with `settings` (those of the run on screen), not during training. */
  async decompose(settings: RunSettings, request: DecomposeRequest, onProgress: (fraction: number) => void): Promise<DecomposeOutcome> {
    const engine = this.host.engine;
    try {
      if (this.current) throw new UserError('training is still running: decompose once it has finished');
      if (!engine) throw new UserError('the engine is not started');
      const task = this.tasks.get(settings.config.task, settings.config.knobs);
      checkConfig(settings.config, task.inputs, taskOutputs(task), 'label');
      return await this.decomposition.measure(engine, task, settings, request, onProgress);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** Prior samples against the fitted particles of the ensemble on screen (after training, not during it). */
  async samplePrior(request: PriorRequest, onProgress: (fraction: number) => void): Promise<PriorOutcome> {
    const engine = this.host.engine;
    const results = this.last?.results;
    try {
      if (this.current) throw new UserError('training is still running: sample the prior once it has finished');
      if (!engine || !results) throw new UserError('nothing has been trained yet');
      return await this.prior.measure(engine, results, request, onProgress);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** A map of two hyperparameters trained with `settings` (those of the run on screen), not during training. */
  async hypermap(settings: RunSettings, request: HypermapRequest, onProgress: (fraction: number) => void): Promise<HypermapViewOutcome> {
    const engine = this.host.engine;
    try {
      if (this.current) throw new UserError('training is still running: map once it has finished');
      if (!engine) throw new UserError('the engine is not started');
      const task = this.tasks.get(settings.config.task, settings.config.knobs);
      checkConfig(settings.config, task.inputs, taskOutputs(task), 'label');
      return await this.hypermaps.measure(engine, task, settings, request, onProgress);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** The train loss along the line between two particles of the last barrier matrix. */
  async barrierLine(i: number, j: number): Promise<BarrierLine> {
    const engine = this.host.engine;
    try {
      if (!engine) throw new UserError('the engine is not started');
      return await this.barriers.line(engine, i, j);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** Curves and whereabouts of one particle or grid point, for the inspector. */
  detail(target: Target): TargetDetail | undefined {
    const r = this.last?.results;
    if (!r) return undefined;
    const history = target.kind === 'particle' ? r.history : r.gridHistory;
    const source = target.kind === 'particle' ? r.ensemble : r.basin;
    if (!source || target.index >= source.outcomes.length) return undefined;
    const sets = metricSets(r.run.task);
    const metrics = history.column(target.index, MetricsView.rowWidth(sets));
    const p = r.initParams.length / r.run.config.particles;
    const vector = (all: Float32Array) => all.subarray(target.index * p, (target.index + 1) * p);
    // a basin map (the source of grid targets) exists only with its grid
    const point = target.kind === 'grid' && r.grid ? gridPoint(r.grid, target.index) : undefined;
    const projector = target.kind === 'particle' ? r.projector : undefined;
    const start = point ? ([point.alpha, point.beta] as const) : projector?.point(vector(r.initParams));
    const now = projector?.point(vector(source.params));
    const label = point ? `grid point ${point.i}, ${point.j}` : `particle ${target.index}`;
    const detail: TargetDetail = {
      target,
      label,
      steps: [...history.steps],
      metrics,
      sets,
      outcome: source.classes[source.outcomes[target.index]],
      start,
      now,
      probeP1:
        r.run.task.classes === 2 && r.run.task.probes.length > 0
          ? classOneProbabilities(r.run.layout, vector(source.params), r.run.task.probes[0].data, INSPECTED_PROBE_ROWS)
          : undefined,
    };
    return Comlink.transfer(detail, [metrics.buffer]);
  }

  exportFile(kind: ExportKind, view: 'loss' | 'basin' = 'basin', target?: Target): ExportFile {
    const r = this.last?.results;
    if (!r) throw new Error('nothing has run yet');
    switch (kind) {
      case 'ensembleJson':
        return ensembleJson(r, this.geometry.jsonFor(r));
      case 'mapJson':
        return mapJson(r, view);
      case 'csv':
        return outcomesCsv(r);
      case 'params':
        return paramsJson(r, target);
    }
  }
}
