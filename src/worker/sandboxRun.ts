import * as Comlink from 'comlink';
import { classify, outcomeClasses } from '../core/classify';
import type { Engine, Metrics, TrainingSession } from '../core/engine';
import { CancelledError } from '../core/errors';
import { initEnsemble, initParticle } from '../core/init';
import { metricSets, MetricsView } from '../core/metricsView';
import { planeGrid, PlaneProjector } from '../core/plane';
import { makeRun, planeCoordinates, repeatVector, runTrainSpec, type EnsembleResult, type PlaneGrid, type Run } from '../core/runs';
import { countClasses } from '../core/stats';
import type { Task } from '../core/task';
import { FrameHistory } from './frameHistory';
import { buildPlane, needsTrainedParams, type BuiltPlane } from './planeBuilder';
import { stepsPerFrame, type EngineInfo, type Frame, type RunEvent, type RunSettings, type RunSummary, type StartMode } from './protocol';
import { RunControl } from './runControl';
import { band, strengths } from './summaries';
import { describeTask } from './taskStore';

/** Memory for the inspector's per-frame metrics and for late-projected trails. */
const HISTORY_BYTES = 96 * 2 ** 20;
const TRACKED = 4;

/** The UI's callback, through a comlink proxy: awaiting it waits until the page has received the event. */
type Emit = (event: RunEvent) => void | Promise<void>;

/** What a run has produced so far; kept after it ends (or is cancelled) for exports and the inspector. */
export interface RunResults {
  run: Run;
  engine: EngineInfo;
  stepsDone: number;
  seconds: number;
  ensemble?: EnsembleResult;
  initParams: Float32Array;
  plane?: BuiltPlane;
  grid?: PlaneGrid;
  lossMetrics?: Metrics;
  basin?: EnsembleResult;
  projector?: PlaneProjector;
  history: FrameHistory;
  gridHistory: FrameHistory;
}

const evenlySpaced = (n: number, k: number): number[] => [
  ...new Set(Array.from({ length: Math.min(n, k) }, (_, i) => Math.round((i * (n - 1)) / Math.max(1, k - 1)))),
];

/**
 * One run of the sandbox: trains the ensemble frame by frame (session.advance in a loop), builds
 * the plane and its loss map, trains every grid point of the basin map alongside, and streams
 * digests of each frame to the UI. Pause, step and cancel act between frames (cancel also
 * within one GPU chunk).
 */
export class SandboxRun {
  readonly control: RunControl;
  readonly results: RunResults;
  private readonly task: Task;
  private readonly sets: number;
  private readonly tracked: number[];
  private readonly started = performance.now();
  private trainingMs = 0;
  private particleSteps = 0;

  constructor(
    private readonly engine: Engine,
    info: EngineInfo,
    task: Task,
    private readonly settings: RunSettings,
    private readonly emit: Emit,
    start: StartMode,
  ) {
    this.control = new RunControl(start);
    this.task = task;
    const { config } = settings;
    const run = makeRun(config, task);
    const initParams = settings.sharedInit
      ? repeatVector(initParticle(run.layout, config.seed, config.firstParticle, config.initScale, config.initDist), config.particles)
      : initEnsemble(run.layout, config.seed, config.firstParticle, config.particles, config.initScale, config.initDist);
    this.sets = metricSets(task);
    this.tracked = evenlySpaced(config.particles, TRACKED);
    this.results = {
      run,
      engine: info,
      stepsDone: 0,
      seconds: 0,
      initParams,
      history: new FrameHistory(HISTORY_BYTES / 2),
      gridHistory: new FrameHistory(HISTORY_BYTES / 2),
    };
  }

  async execute(): Promise<RunSummary> {
    const { config, plane: planeSettings } = this.settings;
    const { run, initParams } = this.results;
    this.emit({
      type: 'started',
      task: describeTask(config.task, this.task),
      particles: config.particles,
      steps: config.steps,
      tracked: this.tracked,
    });
    const lateTrails = new FrameHistory(HISTORY_BYTES / 4);
    const early = !needsTrainedParams(planeSettings);
    let ensemble: TrainingSession | undefined;
    let grid: TrainingSession | undefined;
    try {
      this.emit({ type: 'phase', phase: 'preparing', detail: 'building the plane and its loss map' });
      if (early) await this.preparePlane(undefined);
      ensemble = await this.engine.startTraining(runTrainSpec(run, initParams));
      if (early) grid = await this.startGrid();
      this.emit({
        type: 'phase',
        phase: 'training',
        detail: grid
          ? `training ${config.particles} particles and ${grid.particles} grid points`
          : `training ${config.particles} particles`,
      });
      await this.frame(ensemble, grid, lateTrails);
      await this.loop([ensemble, ...(grid ? [grid] : [])], async () => this.frame(ensemble!, grid, lateTrails));
      if (!early) {
        this.emit({
          type: 'phase',
          phase: 'map',
          detail: 'the plane runs through trained particles: building it, then training the basin map',
        });
        await this.preparePlane(await ensemble.params());
        this.emitLateTrails(lateTrails);
        grid = await this.startGrid();
        this.results.stepsDone = 0;
        await this.gridFrame(grid);
        await this.loop([grid], () => this.gridFrame(grid!));
      }
      await this.keepGridParams(grid);
      return this.summary('done');
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      await this.keepGridParams(grid);
      return this.summary('cancelled');
    } finally {
      this.results.seconds = (performance.now() - this.started) / 1000;
      ensemble?.dispose();
      grid?.dispose();
      // events and the run's result travel on different ports: awaiting the last event makes sure
      // the page has every frame before it learns that the run has ended
      await this.emit({ type: 'phase', phase: 'done', detail: '' });
    }
  }

  /** Advances `sessions` frame by frame up to the configured steps, calling `after` after each frame. */
  private async loop(sessions: TrainingSession[], after: () => Promise<void>): Promise<void> {
    const total = this.settings.config.steps;
    const perFrame = stepsPerFrame(total);
    const units = sessions.reduce((n, s) => n + s.particles, 0);
    for (let done = sessions[0].stepsDone; done < total; done = sessions[0].stepsDone) {
      await this.control.gate((paused) => this.emit({ type: 'paused', paused }));
      const k = Math.min(perFrame, total - done);
      const t0 = performance.now();
      for (const [i, s] of sessions.entries()) {
        const before = sessions.slice(0, i).reduce((n, x) => n + x.particles, 0);
        await s.advance(k, {
          signal: this.control.signal,
          onProgress: (f) => this.emit({ type: 'progress', fraction: (done * units + k * (before + f * s.particles)) / (total * units) }),
        });
      }
      this.trainingMs += performance.now() - t0;
      this.particleSteps += k * units;
      await after();
    }
  }

  private async preparePlane(trained: Float32Array | undefined): Promise<void> {
    const s = this.settings.plane;
    const { run } = this.results;
    const built = buildPlane(s, run.layout, this.results.initParams, trained);
    const grid = planeCoordinates(s.res, s.span, s.offset);
    const lossMetrics = await this.engine.evaluatePlane(
      { layout: run.layout, task: this.task, plane: built.plane, ...grid },
      { signal: this.control.signal },
    );
    Object.assign(this.results, { plane: built, grid, lossMetrics, projector: new PlaneProjector(built.plane) });
    const loss = new MetricsView(lossMetrics, this.sets).column(0, 0);
    this.emit(
      Comlink.transfer(
        {
          type: 'lossMap',
          map: {
            res: s.res,
            alphas: grid.alphas.slice(),
            betas: grid.betas.slice(),
            loss,
            landmarks: built.landmarks,
            description: built.description,
          },
        },
        [loss.buffer],
      ),
    );
  }

  private async startGrid(): Promise<TrainingSession> {
    const { plane, grid, run } = this.results;
    const init = planeGrid(plane!.plane, grid!.alphas, grid!.betas);
    // grid point k uses noise stream firstParticle + k, exactly as core's basinMap (the CLI's basin map)
    return this.engine.startTraining(runTrainSpec(run, init));
  }

  private async frame(ensemble: TrainingSession, grid: TrainingSession | undefined, lateTrails: FrameHistory): Promise<void> {
    const signal = this.control.signal;
    const [metrics, diverged, params] = await Promise.all([ensemble.metrics({ signal }), ensemble.diverged(), ensemble.params()]);
    const step = ensemble.stepsDone;
    const outcomes = classify(this.task, metrics, diverged, this.settings.config.thresholds);
    this.results.stepsDone = step;
    this.results.ensemble = { classes: outcomeClasses(this.task), outcomes, metrics, diverged, params };
    this.results.history.push(step, metrics);
    const positions = this.results.projector?.project(params);
    if (!positions) lateTrails.push(step, params);
    const m = new MetricsView(metrics, this.sets);
    const frame: Frame = {
      step,
      totalSteps: this.settings.config.steps,
      outcomes: outcomes.slice(),
      positions,
      trainLoss: band(m, 0, 0),
      trainAcc: band(m, 0, 1),
      probeAcc: this.task.probes.map((_, p) => band(m, p + 1, 1)),
      tracked: m.pick(this.tracked).data,
      particleStepsPerSecond: this.trainingMs > 0 ? (this.particleSteps / this.trainingMs) * 1000 : 0,
    };
    this.emit(
      Comlink.transfer({ type: 'frame', frame }, [frame.outcomes.buffer, frame.tracked.buffer, ...(positions ? [positions.buffer] : [])]),
    );
    if (grid) await this.gridFrame(grid);
  }

  private async gridFrame(grid: TrainingSession): Promise<void> {
    const [metrics, diverged] = await Promise.all([grid.metrics({ signal: this.control.signal }), grid.diverged()]);
    const outcomes = classify(this.task, metrics, diverged, this.settings.config.thresholds);
    this.results.gridHistory.push(grid.stepsDone, metrics);
    this.results.basin = { classes: outcomeClasses(this.task), outcomes, metrics, diverged, params: new Float32Array(0) };
    if (this.results.stepsDone < grid.stepsDone) this.results.stepsDone = grid.stepsDone;
    const m = new MetricsView(metrics, this.sets);
    const strength = strengths(m, outcomes);
    const loss = m.column(0, 0);
    const sent = outcomes.slice();
    this.emit(
      Comlink.transfer({ type: 'basin', basin: { step: grid.stepsDone, outcomes: sent, strength, loss } }, [
        sent.buffer,
        strength.buffer,
        loss.buffer,
      ]),
    );
  }

  /** Projects the parameter snapshots kept while the plane did not exist yet. */
  private emitLateTrails(snapshots: FrameHistory): void {
    const projector = this.results.projector!;
    const n = this.settings.config.particles;
    const positions = new Float32Array(snapshots.frames.length * n * 2);
    snapshots.frames.forEach((params, f) => projector.project(params, positions.subarray(f * n * 2, (f + 1) * n * 2)));
    this.emit(Comlink.transfer({ type: 'trajectory', steps: [...snapshots.steps], positions }, [positions.buffer]));
  }

  /** The basin map's trained parameters, kept for "export this grid point's parameters". */
  private async keepGridParams(grid: TrainingSession | undefined): Promise<void> {
    if (grid && this.results.basin) this.results.basin = { ...this.results.basin, params: await grid.params() };
  }

  private summary(status: RunSummary['status']): RunSummary {
    const outcomes = this.results.ensemble?.outcomes ?? new Uint8Array(0);
    return { status, seconds: (performance.now() - this.started) / 1000, counts: countClasses(outcomes, outcomeClasses(this.task).length) };
  }
}
