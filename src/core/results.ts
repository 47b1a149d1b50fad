import type { RunConfig } from './config';
import { paramCount } from './layout';
import type { Metrics } from './engine';
import { metricSets, MetricsView } from './metricsView';
import type { Plane } from './plane';
import { taskLoss, taskOutputs, taskTolerance } from './task';
import type { EnsembleResult, PlaneGrid, Run } from './runs';
import { countClasses, wilson, type Fraction } from './stats';
import { curveQuantiles, firstReached, particleCurve, RECORD_QUANTILES, type TrainingRecord } from './trainingRecord';

/**
 * The JSON results the CLI writes and the UI exports: self-describing (resolved configuration,
 * device, task), one schema for both. Arrays of numbers are plain JSON arrays; NaN becomes null.
 */
export const RESULT_VERSION = 1;

const round = (x: number): number | null => (Number.isFinite(x) ? x : null);
/** Numbers for JSON: NaN and ±Infinity become null (JSON has no spelling for them). */
export const list = (xs: ArrayLike<number>): (number | null)[] => Array.from(xs, round);

interface Common {
  kind: 'train' | 'grid' | 'basin' | 'hypermap';
  version: number;
  config: RunConfig;
  task: {
    name: string;
    description: string;
    inputs: number;
    classes: number;
    knobs: Record<string, number>;
    trainRows: number;
    probes: string[];
    /** regression tasks only: mean squared error on `outputs` real targets per row, accuracy within `tolerance` */
    loss?: 'mse';
    outputs?: number;
    tolerance?: number;
  };
  /** bias: false only for a model without biases */
  model: { widths: number[]; activation: string; parameters: number; bias?: false };
  engine: 'gpu' | 'cpu';
  device: string;
  seconds: number;
}

/** The fields every result starts with (hyper maps build the rest in core/instruments/hypermap/hypermapJson.ts). */
export function common(kind: Common['kind'], run: Run, engine: 'gpu' | 'cpu', device: string, seconds: number): Common {
  const { task, layout } = run;
  const widths = [...layout.widths];
  const parameters = paramCount(layout);
  return {
    kind,
    version: RESULT_VERSION,
    config: run.config,
    task: {
      name: task.name,
      description: task.description,
      inputs: task.inputs,
      classes: task.classes,
      knobs: { ...task.params },
      trainRows: task.train.rows,
      probes: task.probes.map((p) => p.name),
      ...(taskLoss(task) === 'mse' ? { loss: 'mse' as const, outputs: taskOutputs(task), tolerance: taskTolerance(task) } : {}),
    },
    model: { widths, activation: layout.activation, parameters, ...(layout.bias === false ? { bias: false as const } : {}) },
    engine,
    device,
    seconds,
  };
}

export interface OutcomeSummary {
  classes: string[];
  counts: Record<string, number>;
  fractions: Record<string, Fraction>;
}

export function summariseOutcomes(classes: string[], outcomes: Uint8Array): OutcomeSummary {
  const counts = countClasses(outcomes, classes.length);
  return {
    classes,
    counts: Object.fromEntries(classes.map((c, i) => [c, counts[i]])),
    fractions: Object.fromEntries(classes.map((c, i) => [c, wilson(counts[i], outcomes.length)])),
  };
}

/** Per-set metric arrays, row-major: `train.loss[k]` etc. */
function metricArrays(run: Run, metrics: Metrics) {
  const m = new MetricsView(metrics, metricSets(run.task));
  const pick = (s: number, j: 0 | 1) => list(m.column(s, j));
  return {
    train: { loss: pick(0, 0), acc: pick(0, 1) },
    probes: Object.fromEntries(run.task.probes.map((p, s) => [p.name, { loss: pick(s + 1, 0), acc: pick(s + 1, 1) }])),
  };
}

/** Up to this many particles a recorded run writes each particle's curves; beyond, only their quantiles. */
export const RECORD_CURVES_MAX = 256;

/**
 * The recorded curves: the steps, each set's quantiles across particles, and per particle the
 * first step at which train and each probe reached the probe threshold τ (and, for a run of up
 * to RECORD_CURVES_MAX particles, its own curves).
 */
function recordFields(run: Run, record: TrainingRecord) {
  const sets = metricSets(run.task);
  const names = ['train', ...run.task.probes.map((p) => p.name)];
  const tau = run.config.thresholds.probe;
  const reached = names.map((_, s) => firstReached(record, sets, s, tau));
  const count = reached[0].length;
  const curves = count <= RECORD_CURVES_MAX;
  const bySet = <T>(f: (s: number) => T) => ({
    train: f(0),
    probes: Object.fromEntries(run.task.probes.map((p, s) => [p.name, f(s + 1)])),
  });
  const quantileCurves = (s: number) => ({
    loss: curveQuantiles(record, sets, s, 0).map(list),
    acc: curveQuantiles(record, sets, s, 1).map(list),
  });
  return {
    record: {
      every: record.every,
      steps: record.steps,
      reachedAt: tau,
      curves: curves ? ('per particle' as const) : ('quantiles only' as const),
      quantiles: { q: [...RECORD_QUANTILES], ...bySet(quantileCurves) },
    },
    particle: (i: number) => ({
      steps: { train: reached[0][i], probe: Object.fromEntries(run.task.probes.map((p, s) => [p.name, reached[s + 1][i]])) },
      ...(curves
        ? { record: bySet((s) => ({ loss: list(particleCurve(record, sets, i, s, 0)), acc: list(particleCurve(record, sets, i, s, 1)) })) }
        : {}),
    }),
  };
}

export function trainResult(run: Run, engine: 'gpu' | 'cpu', device: string, seconds: number, result: EnsembleResult) {
  const m = new MetricsView(result.metrics, metricSets(run.task));
  const recorded = result.record ? recordFields(run, result.record) : undefined;
  return {
    ...common('train', run, engine, device, seconds),
    ...summariseOutcomes(result.classes, result.outcomes),
    ...(recorded ? { record: recorded.record } : {}),
    particles: Array.from(result.outcomes, (o, i) => ({
      index: run.config.firstParticle + i,
      outcome: result.classes[o],
      trainLoss: round(m.loss(i, 0)),
      trainAcc: round(m.acc(i, 0)),
      probes: Object.fromEntries(run.task.probes.map((p, s) => [p.name, { loss: round(m.loss(i, s + 1)), acc: round(m.acc(i, s + 1)) }])),
      ...(recorded ? recorded.particle(i) : {}),
    })),
  };
}

/** What `train` writes (and the sandbox's ensemble export): the other results build on it. */
export type TrainResult = ReturnType<typeof trainResult>;

export interface PlaneDescription {
  /** how the plane was chosen: random filter-normalised directions, through three vectors, or given */
  source: 'random' | 'through' | 'given';
  /** what the centre is, in words (e.g. "particle 0 after training") */
  origin: string;
  seed?: number;
}

function planeJson(plane: Plane, grid: PlaneGrid, description: PlaneDescription) {
  return {
    plane: { ...description, center: list(plane.center), d1: list(plane.d1), d2: list(plane.d2) },
    res: grid.alphas.length,
    alphas: list(grid.alphas),
    betas: list(grid.betas),
  };
}

export function gridResult(
  run: Run,
  engine: 'gpu' | 'cpu',
  device: string,
  seconds: number,
  plane: Plane,
  grid: PlaneGrid,
  description: PlaneDescription,
  metrics: Metrics,
) {
  return { ...common('grid', run, engine, device, seconds), ...planeJson(plane, grid, description), ...metricArrays(run, metrics) };
}

export function basinResult(
  run: Run,
  engine: 'gpu' | 'cpu',
  device: string,
  seconds: number,
  plane: Plane,
  grid: PlaneGrid,
  description: PlaneDescription,
  result: EnsembleResult,
) {
  return {
    ...common('basin', run, engine, device, seconds),
    ...planeJson(plane, grid, description),
    ...summariseOutcomes(result.classes, result.outcomes),
    outcome: Array.from(result.outcomes),
    ...metricArrays(run, result.metrics),
  };
}
