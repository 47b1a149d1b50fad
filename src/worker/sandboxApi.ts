import * as Comlink from 'comlink';
import { isUserError, UserError } from '../core/errors';
import { checkConfig } from '../core/config';
import { metricSets, MetricsView } from '../core/metricsView';
import { classOneProbabilities } from '../core/predict';
import { gridPoint } from '../core/runs';
import { decodeDigitImages, provideDigitImages } from '../core/tasks/digitImages';
import { decodeMnistImages, provideMnistImages } from '../core/tasks/mnistImages';
import { taskOutputs, type Task } from '../core/task';
import { EngineHost } from './engineHost';
import { EngineQueue } from './engineJob';
import type { JobContext } from './jobContext';
import { cancelJob, instrumentJobs, jobOf, stopJobs } from './jobs';
import { ensembleJson, mapJson, outcomesCsv, paramsJson } from './exports';
import type {
  BarrierLine,
  DroppedFile,
  EngineInfo,
  ExportFile,
  ExportKind,
  JobKind,
  JobOutcome,
  JobProgressOf,
  JobRequest,
  JobResult,
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
  /** every instrument job, by kind: what job() runs, cancel() names and a new run stops */
  private readonly jobs = instrumentJobs(this.engineTurns);

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
      return describeTask(settings.config.task, this.checkedTask(settings));
    } catch (e) {
      return rethrow(e);
    }
  }

  /** The task `settings` name, checked against their model: a UserError when it does not fit. */
  private checkedTask(settings: RunSettings): Task {
    const task = this.tasks.get(settings.config.task, settings.config.knobs);
    checkConfig(settings.config, task.inputs, taskOutputs(task), 'label');
    return task;
  }

  /** Cancels whatever runs, then runs `settings`, streaming events; resolves when it ends. */
  async run(settings: RunSettings, emit: (event: RunEvent) => void, start: StartMode = 'play'): Promise<RunSummary> {
    this.current?.control.cancel();
    await this.running?.catch(() => undefined);
    // one user of the engine at a time: a new run ends every analysis job's run
    await stopJobs(this.jobs);
    const engine = this.host.engine;
    if (!engine || !this.host.info) throw new Error('the engine is not started');
    let run: SandboxRun;
    try {
      const task = this.checkedTask(settings);
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

  /** Stops the training run (its run call resolves { status: 'cancelled' }). */
  cancelRun(): void {
    this.current?.control.cancel();
  }

  /**
   * Runs the instrument job of this kind on `request` (after training, not during it), reporting
   * its progress; resolves with its result, or { status: 'cancelled' } when cancel(kind) stopped it.
   * A second job of a kind cancels the first, which resolves cancelled.
   */
  async job<K extends JobKind>(
    kind: K,
    request: JobRequest<K>,
    onProgress: (progress: JobProgressOf<K>) => void,
  ): Promise<JobOutcome<JobResult<K>>> {
    try {
      const job = jobOf(this.jobs, kind);
      if (!job) throw new Error(`the worker has no job "${kind}"`);
      if (this.current) throw new UserError(`training is still running: ${job.action} once it has finished`);
      const engine = this.host.engine;
      if (!engine) throw new UserError('the engine is not started');
      const context: JobContext = { engine, results: this.last?.results, task: (settings) => this.checkedTask(settings) };
      return await job.measure(context, request, onProgress);
    } catch (e) {
      return rethrow(e);
    }
  }

  /** Stops the instrument job of this kind, whose job call resolves { status: 'cancelled' }; a no-op when none runs. */
  cancel(kind: JobKind): void {
    cancelJob(this.jobs, kind);
  }

  /** The loss along the line between two particles of the last barrier matrix, on its set and alignment. */
  async barrierLine(i: number, j: number): Promise<BarrierLine> {
    const engine = this.host.engine;
    try {
      if (!engine) throw new UserError('the engine is not started');
      return await this.jobs.barriers.line(engine, i, j);
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
        return ensembleJson(r, this.jobs.geometry.jsonFor(r));
      case 'mapJson':
        return mapJson(r, view);
      case 'csv':
        return outcomesCsv(r);
      case 'params':
        return paramsJson(r, target);
    }
  }
}
