import { classify, outcomeClasses } from '../core/classify';
import type { Engine, RunOptions } from '../core/engine';
import { MAX_PARTICLES, NUMBER_FIELDS, parseNumber } from '../core/config';
import { UserError } from '../core/errors';
import { paramCount } from '../core/layout';
import { paramsModel } from '../core/paramsFile';
import { trainEnsemble, type EnsembleResult, type Run } from '../core/runs';
import { readVectors } from './files';
import { ProgressBar } from './progress';
import { resolveRun, type FlagValues, type Resolved } from './resolve';

/**
 * The run of a measurement command. With `--params FILE` the networks come from the file: their
 * count is the particle count, and nothing is trained (so --init and a differing --particles are
 * refused, each with its reason). `signal` stops the reading of files between chunks.
 */
export async function resolveMeasured(
  raw: FlagValues,
  maxParticles = MAX_PARTICLES,
  signal?: AbortSignal,
): Promise<Resolved & { params?: Float32Array }> {
  if (raw.params === undefined) {
    const resolved = await resolveRun(raw, undefined, signal);
    parseNumber({ ...NUMBER_FIELDS.particles, max: maxParticles }, resolved.run.config.particles);
    return resolved;
  }
  if (raw.init !== undefined)
    throw new UserError('--params and --init: --params gives trained networks to measure, --init starts training; give one');
  if (raw.initIndex !== undefined)
    throw new UserError('--params and --init-index: --params gives trained networks to measure, --init-index starts training; give one');
  const resolved = await resolveRun(raw, undefined, signal);
  const p = paramCount(resolved.run.layout);
  const vectors = await readVectors('--params', raw.params, paramsModel(resolved.run.layout), maxParticles, signal);
  const { config } = resolved.run;
  if (raw.particles !== undefined && config.particles !== vectors.length)
    throw new UserError(
      `--params ${raw.params} holds ${vectors.length} vectors but --particles is ${config.particles}: leave --particles out`,
    );
  config.particles = vectors.length;
  const params = new Float32Array(vectors.length * p);
  vectors.forEach((v, i) => params.set(v, i * p));
  return { run: resolved.run, params };
}

/**
 * Metrics and outcomes of given networks, classified exactly as `train` classifies its trained
 * particles. The engine evaluates them as lines of length zero (a = b, t = 0: the point is a
 * itself, bit for bit), so no second evaluation path exists to drift from the first.
 */
export async function evaluateEnsemble(engine: Engine, run: Run, params: Float32Array, options: RunOptions = {}): Promise<EnsembleResult> {
  const count = run.config.particles;
  const p = params.length / count;
  const pairs = new Uint32Array(2 * count);
  for (let i = 0; i < count; i++) pairs[2 * i] = pairs[2 * i + 1] = i;
  const metrics = await engine.evaluateLines(
    { layout: run.layout, task: run.task, vectors: params, pairs, ts: new Float32Array([0]) },
    options,
  );
  // a given network with a non-finite parameter is what training calls diverged
  const diverged = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < p; k++) if (!Number.isFinite(params[i * p + k])) diverged[i] = 1;
  }
  const classes = outcomeClasses(run.task);
  return { classes, outcomes: classify(run.task, metrics, diverged, run.config.thresholds), metrics, diverged, params };
}

/** The networks a measurement command measures (see CommandContext.ensemble). */
export async function measuredEnsemble(
  raw: FlagValues,
  resolved: Resolved & { params?: Float32Array },
  engine: Engine,
  options: RunOptions = {},
): Promise<EnsembleResult> {
  const given = resolved.params;
  const bar = new ProgressBar(given ? 'evaluating --params' : 'training');
  const result = given
    ? await evaluateEnsemble(engine, resolved.run, given, { ...options, onProgress: bar.update })
    : await trainEnsemble(engine, resolved.run, { init: resolved.init, ...options, onProgress: bar.update });
  bar.done();
  return result;
}
