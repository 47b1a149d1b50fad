import { classify, outcomeClasses } from '../../classify';
import type { NumberSpec } from '../../config';
import type { Engine, RunOptions } from '../../engine';
import { throwIfAborted } from '../../errors';
import { initEnsemble } from '../../init';
import { paramCount } from '../../layout';
import { repeatVector, runTrainSpec, type Run } from '../../runs';
import type { OutcomeMatrix } from './decompose';

/** The most cells a decomposition trains, and the most inits or noise streams on one side. */
export const MAX_DECOMPOSE_CELLS = 1 << 18;
export const MAX_DECOMPOSE_SIDE = 4096;

/** The sizes a user gives, with their ranges: one definition for the command line and the sandbox's form. */
export const DECOMPOSE_FIELDS = {
  inits: { flag: '--inits', label: 'inits', integer: true, min: 1, max: MAX_DECOMPOSE_SIDE },
  noises: { flag: '--noises', label: 'noise streams', integer: true, min: 1, max: MAX_DECOMPOSE_SIDE },
  resamples: { flag: '--resamples', label: 'bootstrap resamples', integer: true, min: 10, max: 100000 },
} as const satisfies Record<string, NumberSpec>;

/** Bootstrap resamples unless asked otherwise (the sandbox always uses these). */
export const DEFAULT_DECOMPOSE_RESAMPLES = 1000;

/** The one-line refusal of a matrix over MAX_DECOMPOSE_CELLS, or undefined. */
export const tooManyCells = (inits: number, noises: number, style: 'flag' | 'label' = 'flag'): string | undefined =>
  inits * noises > MAX_DECOMPOSE_CELLS
    ? `${style === 'flag' ? '--inits × --noises' : 'inits × noise streams'} must be at most ${MAX_DECOMPOSE_CELLS} cells, got ${inits} × ${noises} = ${inits * noises}`
    : undefined;

/**
 * Trains the I × J matrix: row i starts every particle from the init of global particle i of
 * config.seed, and particle j of the row draws minibatch stream j of config.noiseSeed, so cell
 * (i, j) is exactly `train --init-index i --first-particle j --particles 1`. One training
 * session per init (J particles), rows in order, progress over all rows. `firstInit`: the matrix
 * holds rows firstInit … firstInit + inits − 1 of a larger one (a shard); rows are independent, so
 * shards of rows compose exactly.
 */
export async function trainDecomposition(
  engine: Engine,
  run: Run,
  inits: number,
  noises: number,
  options: RunOptions = {},
  firstInit = 0,
): Promise<OutcomeMatrix> {
  const { config, task, layout } = run;
  const outcomes = new Uint8Array(inits * noises);
  const rowRun: Run = { ...run, config: { ...config, particles: noises, firstParticle: 0 } };
  for (let i = 0; i < inits; i++) {
    throwIfAborted(options.signal);
    const init = initEnsemble(layout, config.seed, firstInit + i, 1, config.initScale, config.initDist);
    const session = await engine.startTraining(runTrainSpec(rowRun, repeatVector(init, noises)));
    try {
      const onProgress = (f: number) => options.onProgress?.((i + f) / inits);
      await session.advance(config.steps, { signal: options.signal, onProgress });
      const [metrics, diverged] = await Promise.all([session.metrics({ signal: options.signal }), session.diverged()]);
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
