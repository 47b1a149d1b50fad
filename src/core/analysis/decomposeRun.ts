import { classify, outcomeClasses } from '../classify';
import type { Engine, RunOptions } from '../engine';
import { throwIfAborted } from '../errors';
import { initEnsemble } from '../init';
import { paramCount } from '../layout';
import { repeatVector, runTrainSpec, type Run } from '../runs';
import type { OutcomeMatrix } from './decompose';

/** The most cells a decomposition trains, and the most inits or noise streams on one side. */
export const MAX_DECOMPOSE_CELLS = 1 << 18;
export const MAX_DECOMPOSE_SIDE = 4096;

/**
 * Trains the I × J matrix: row i starts every particle from the init of global particle i of
 * config.seed, and particle j of the row draws minibatch stream j of config.noiseSeed, so cell
 * (i, j) is exactly `train --init-index i --first-particle j --particles 1`. One training
 * session per init (J particles), rows in order, progress over all rows.
 */
export async function trainDecomposition(
  engine: Engine,
  run: Run,
  inits: number,
  noises: number,
  options: RunOptions = {},
): Promise<OutcomeMatrix> {
  const { config, task, layout } = run;
  const outcomes = new Uint8Array(inits * noises);
  const rowRun: Run = { ...run, config: { ...config, particles: noises, firstParticle: 0 } };
  for (let i = 0; i < inits; i++) {
    throwIfAborted(options.signal);
    const init = initEnsemble(layout, config.seed, i, 1, config.initScale, config.initDist);
    const session = await engine.startTraining(runTrainSpec(rowRun, repeatVector(init, noises)));
    try {
      const onProgress = (f: number) => options.onProgress?.((i + f) / inits);
      await session.advance(config.steps, { signal: options.signal, onProgress });
      const [metrics, diverged] = await Promise.all([session.metrics(), session.diverged()]);
      outcomes.set(classify(task, metrics, diverged, config.thresholds), i * noises);
    } finally {
      session.dispose();
    }
  }
  options.onProgress?.(1);
  return { outcomes, inits, noises, classes: outcomeClasses(task).length };
}

/** One row's initial vector (for the JSON's re-run recipe and tests). */
export function initOf(run: Run, i: number): Float32Array {
  return initEnsemble(run.layout, run.config.seed, i, 1, run.config.initScale, run.config.initDist).subarray(0, paramCount(run.layout));
}
