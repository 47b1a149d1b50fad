import { classify, outcomeClasses } from './classify';
import type { RunConfig } from './config';
import type { Engine, Metrics, RunOptions, TrainSpec } from './engine';
import { UserError } from './errors';
import { initEnsemble, meanFieldGains } from './init';
import { isAdam, layerSpans, paramCount, type ModelLayout, type ModelShape } from './layout';
import { ADAM_BETA1, ADAM_BETA2, type Hyper } from './optimizer';
import type { OutcomeRule } from './outcomeRule';
import { gridCoordinates, planeGrid, type Plane } from './plane';
import { taskOutputs, type Task } from './task';
import { advanceRecording, type TrainingRecord } from './trainingRecord';
import type { Run } from './run';
import { trainSpec } from './trainSpec';

/**
 * Orchestration shared by the CLI and the worker: it turns a resolved configuration into engine
 * calls and classified results. Pure apart from the Engine it is handed.
 */
export type { Run } from './run';

/** The run of a config on a task; its layout says `bias: false` only for a model without biases. */
export function makeRun(config: RunConfig, task: Task): Run {
  const widths = [task.inputs, ...config.hidden, taskOutputs(task)];
  // configs from before the bias setting existed (old links, old results) have biases
  const layout: ModelLayout =
    config.bias === false ? { widths, activation: config.activation, bias: false } : { widths, activation: config.activation };
  return { config, task, layout };
}

/**
 * The optimizer settings of a config for a model of `shape`; lrScale only where some layer's
 * multiplier is not 1, the betas only for the Adam family (configs from before they existed leave
 * them out: the defaults). Under the mean-field init the config's rates are mean-field rates:
 * each layer's is multiplied by its gain (meanFieldGains), so both engines train the same thing.
 */
export function hyperOf(config: RunConfig, shape: ModelShape): Hyper {
  const { optimizer, lr, momentum, weightDecay, batch } = config;
  const spans = layerSpans(shape);
  const gains = config.initDist === 'meanfield' ? meanFieldGains(spans.map((s) => s.fanIn)) : spans.map(() => 1);
  const lrScale = gains.map((g, l) => g * (config.lrScale?.[l] ?? 1));
  const scaled = lrScale.some((s) => s !== 1);
  const betas = isAdam(optimizer) ? { beta1: config.beta1 ?? ADAM_BETA1, beta2: config.beta2 ?? ADAM_BETA2 } : {};
  return { optimizer, lr, momentum, weightDecay, batch, ...betas, ...(scaled ? { lrScale } : {}) };
}

/** The TrainSpec of `run` from `init` ([particles][P]), with the run's optimizer and noise streams. */
export function runTrainSpec(run: Run, init: Float32Array): TrainSpec {
  return trainSpec({ layout: run.layout, task: run.task, hyper: hyperOf(run.config, run.layout) }, init, run.config);
}

export interface EnsembleResult {
  readonly classes: string[];
  /** outcome class index per particle */
  readonly outcomes: Uint8Array;
  readonly metrics: Metrics;
  readonly diverged: Uint8Array;
  readonly params: Float32Array;
  /** with TrainOptions.recordEvery: the metrics along training */
  readonly record?: TrainingRecord;
}

export interface TrainOptions extends RunOptions {
  /** starting parameters [particles][P]; default: the init stream of config.seed */
  readonly init?: Float32Array;
  /** read every particle's metrics every this many steps (the result's `record`) */
  readonly recordEvery?: number;
  /** outcomes by this rule instead of the task's classes (e.g. instruments/trainability/trainability.ts's TRAINABILITY) */
  readonly outcome?: OutcomeRule;
}

/** Trains config.particles particles for config.steps steps and classifies each one. */
export async function trainEnsemble(engine: Engine, run: Run, options: TrainOptions = {}): Promise<EnsembleResult> {
  const { config, task, layout } = run;
  const p = paramCount(layout);
  const init = options.init ?? initEnsemble(layout, config.seed, config.firstParticle, config.particles, config.initScale, config.initDist);
  if (init.length !== config.particles * p) throw new Error(`init holds ${init.length / p} vectors, expected ${config.particles}`);
  const session = await engine.startTraining(runTrainSpec(run, init));
  try {
    const scored = options.outcome ? await options.outcome.train(session, run, options) : undefined;
    const record = !scored && options.recordEvery ? await advanceRecording(session, config.steps, options.recordEvery, options) : undefined;
    if (!scored && !record) await session.advance(config.steps, options);
    const [metrics, diverged, params] = await Promise.all([
      session.metrics({ signal: options.signal }),
      session.diverged(),
      session.params(),
    ]);
    if (scored) return { classes: [...options.outcome!.classes], outcomes: scored.outcomes, metrics, diverged, params };
    const outcomes = classify(task, metrics, diverged, config.thresholds);
    return { classes: outcomeClasses(task), outcomes, metrics, diverged, params, ...(record ? { record } : {}) };
  } finally {
    session.dispose();
  }
}

/** Copies one vector `count` times: "hold the init fixed, vary the noise". */
export function repeatVector(v: Float32Array, count: number): Float32Array {
  const out = new Float32Array(v.length * count);
  for (let i = 0; i < count; i++) out.set(v, i * v.length);
  return out;
}

/** The coordinates of a res × res grid on a plane; point k is (alphas[k % res], betas[⌊k / res⌋]). */
export interface PlaneGrid {
  readonly alphas: Float32Array;
  readonly betas: Float32Array;
}

/** A res × res grid spanning ±span around `offset` (α, β). */
export function planeCoordinates(res: number, span: number, offset: readonly [number, number] = [0, 0]): PlaneGrid {
  return { alphas: gridCoordinates(res, span, offset[0]), betas: gridCoordinates(res, span, offset[1]) };
}

/** Grid point k (row-major, α fastest): its column i, row j and coordinates. */
export function gridPoint(grid: PlaneGrid, k: number): { i: number; j: number; alpha: number; beta: number } {
  const res = grid.alphas.length;
  const i = k % res;
  const j = Math.floor(k / res);
  return { i, j, alpha: grid.alphas[i], beta: grid.betas[j] };
}

/** Loss and accuracy on every set at every point of a res × res grid on the plane. */
export async function lossMap(engine: Engine, run: Run, plane: Plane, grid: PlaneGrid, options: RunOptions = {}): Promise<Metrics> {
  checkPlane(run, plane);
  return engine.evaluatePlane({ layout: run.layout, task: run.task, plane, ...grid }, options);
}

/**
 * Every grid point of the plane is an initialisation; all are trained with config's settings
 * (grid point k uses noise stream firstParticle + k) and classified.
 */
export async function basinMap(engine: Engine, run: Run, plane: Plane, grid: PlaneGrid, options: RunOptions = {}): Promise<EnsembleResult> {
  checkPlane(run, plane);
  const particles = grid.alphas.length * grid.betas.length;
  const init = planeGrid(plane, grid.alphas, grid.betas);
  return trainEnsemble(engine, { ...run, config: { ...run.config, particles } }, { ...options, init });
}

function checkPlane(run: Run, plane: Plane): void {
  const p = paramCount(run.layout);
  for (const [name, v] of Object.entries(plane)) {
    if (v.length !== p)
      throw new UserError(`plane ${name} has ${v.length} values, but a ${run.layout.widths.join('-')} network has ${p} parameters`);
  }
}
