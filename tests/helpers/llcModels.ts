import { DEFAULT_LLC_SETTINGS, llcAnalysis } from '../../src/core/instruments/llc/llcAnalysis';
import type { KnownLlcModel } from '../../src/core/instruments/llc/llcModels';
import { outcomeClasses } from '../../src/core/classify';
import { DEFAULT_CONFIG } from '../../src/core/config';
import type { Engine } from '../../src/core/engine';
import { initEnsemble } from '../../src/core/init';
import { paramCount, type ModelLayout } from '../../src/core/layout';
import { Mlp } from '../../src/core/mlp';
import { makeRun, type EnsembleResult } from '../../src/core/runs';
import type { Task } from '../../src/core/task';

/**
 * `count` networks trained to a minimum of the training loss: full-batch Adam, many steps (the LLC
 * measures the basin around w*, so w* must be a true minimum, not a point on the way down).
 * Returns the parameters and the largest gradient norm left at any of them.
 */
export async function trainToMinimum(
  engine: Engine,
  layout: ModelLayout,
  task: Task,
  count: number,
  init?: Float32Array,
  steps = 4000,
): Promise<{ params: Float32Array; gradNorm: number }> {
  const start = init ?? initEnsemble(layout.widths, 1, 0, count, 1);
  const hyper = { optimizer: 'adam' as const, lr: 0.02, momentum: 0, weightDecay: 0, batch: 'full' as const };
  const session = await engine.startTraining({ layout, task, hyper, init: start, particles: count, noiseSeed: 1, firstParticle: 0 });
  await session.advance(steps);
  const params = await session.params();
  session.dispose();
  return { params, gradNorm: maxGradNorm(layout, task, params, count) };
}

/** The largest norm of the full-batch gradient over `count` parameter vectors, in float64. */
export function maxGradNorm(layout: ModelLayout, task: Task, params: Float32Array, count: number): number {
  const p = paramCount(layout.widths);
  const mlp = new Mlp(layout);
  let worst = 0;
  for (let i = 0; i < count; i++) {
    const grad = new Float64Array(p);
    const w = params.subarray(i * p, (i + 1) * p);
    for (let r = 0; r < task.train.rows; r++) mlp.example(w, task.train, r, grad);
    worst = Math.max(worst, Math.hypot(...grad) / task.train.rows);
  }
  return worst;
}

/**
 * Inits of a 2-h-1 relu network whose last hidden unit is dead: zero incoming weights and bias
 * −5, so its pre-activation is −5 on every input, its output is 0 and no gradient reaches its
 * incoming weights, its bias or its outgoing weight. The loss is flat in those 4 directions around
 * any such w* (as long as the pre-activation stays negative): they add nothing to the LLC.
 */
export function deadUnitInit(hidden: number, count: number, seed = 1): Float32Array {
  const widths = [2, hidden, 1];
  const p = paramCount(widths);
  const init = initEnsemble(widths, seed, 0, count, 1);
  const dead = hidden - 1;
  for (let i = 0; i < count; i++) {
    init[i * p + 2 * dead] = 0;
    init[i * p + 2 * dead + 1] = 0;
    init[i * p + 2 * hidden + dead] = -5;
  }
  return init;
}

/** Networks trained to a minimum, then the LLC at the default settings: each particle and the mean. */
export async function llcAt(engine: Engine, task: Task, layout: ModelLayout, particles: number, noiseSeed: number, init?: Float32Array) {
  const { params, gradNorm } = await trainToMinimum(engine, layout, task, particles, init);
  const hidden = layout.widths.slice(1, -1);
  const run = makeRun({ ...DEFAULT_CONFIG, hidden: [...hidden], activation: layout.activation, particles, noiseSeed }, task);
  const ensemble: EnsembleResult = {
    classes: outcomeClasses(task),
    outcomes: new Uint8Array(particles),
    metrics: new Float32Array(0),
    diverged: new Uint8Array(particles),
    params,
  };
  const a = await llcAnalysis(engine, run, ensemble, DEFAULT_LLC_SETTINGS);
  const mean = a.estimate.llc.reduce((s, x) => s + x, 0) / particles;
  return { a, mean, gradNorm, d: paramCount(layout.widths) };
}

/** particles per known-model check */
const PARTICLES = 4;

/** λ̂ at the default settings (ε 'auto') around PARTICLES minima of `model`: the mean over particles, and each. */
export async function llcAtDefaults(engine: Engine, model: KnownLlcModel, seed: number) {
  const init = initEnsemble(model.layout, seed, 0, PARTICLES, 1);
  const { params } = await trainToMinimum(engine, model.layout, model.task, PARTICLES, init);
  const config = {
    ...DEFAULT_CONFIG,
    hidden: [...model.layout.widths.slice(1, -1)],
    bias: model.layout.bias !== false,
    particles: PARTICLES,
  };
  const run = { ...makeRun(config, model.task), layout: model.layout };
  const ensemble = {
    classes: outcomeClasses(model.task),
    outcomes: new Uint8Array(PARTICLES),
    metrics: new Float32Array(0),
    diverged: new Uint8Array(PARTICLES),
    params,
  };
  const a = await llcAnalysis(engine, run, ensemble, DEFAULT_LLC_SETTINGS);
  const mean = a.estimate.llc.reduce((s, x) => s + x, 0) / PARTICLES;
  console.log(
    `${model.name}: λ ${model.lambda}, λ̂ ${mean.toFixed(3)} (${((100 * (mean - model.lambda)) / model.lambda).toFixed(0)}%), particles ${Array.from(a.estimate.llc, (x) => x.toFixed(2)).join(' ')}, ε ${Array.from(a.epsByParticle, (x) => x.toExponential(1)).join(' ')}`,
  );
  return { a, mean };
}
