import * as Comlink from 'comlink';
import { decompositionFields } from '../core/instruments/decompose/decomposeJson';
import {
  DECOMPOSE_FIELDS,
  DEFAULT_DECOMPOSE_RESAMPLES,
  tooManyCells,
  trainDecomposition,
} from '../core/instruments/decompose/decomposeRun';
import { outcomeClasses } from '../core/classify';
import { parseNumber } from '../core/config';
import { UserError } from '../core/errors';
import { runFlags } from '../core/runFlags';
import { makeRun } from '../core/runs';
import { EngineJob } from './engineJob';
import type { InstrumentJob, JobContext } from './jobContext';
import type { DecomposeRequest, DecomposeResult, JobOutcome, JobProgress, WithSettings } from './protocol';

/**
 * "Decompose" in the worker: core's trainDecomposition and decompositionFields on the settings of
 * the run on screen, so every cell is the particle the decompose command (and train with
 * --init-index i --first-particle j) gives, and the shares are the command's, bootstrap included.
 * Cancellable, one at a time.
 */
export class DecomposeJob extends EngineJob implements InstrumentJob<'decompose'> {
  readonly action = 'decompose';
  async measure(
    context: JobContext,
    { settings, request }: WithSettings<DecomposeRequest>,
    onProgress: (progress: JobProgress) => void,
  ): Promise<JobOutcome<DecomposeResult>> {
    const { engine } = context;
    const task = context.task(settings);
    // the UI checked these as the user typed; checked again here, where they are used
    const inits = parseNumber(DECOMPOSE_FIELDS.inits, String(request.inits), 'label');
    const noises = parseNumber(DECOMPOSE_FIELDS.noises, String(request.noises), 'label');
    const tooMany = tooManyCells(inits, noises, 'label');
    if (tooMany) throw new UserError(tooMany);
    return this.run(async (signal) => {
      const run = makeRun(settings.config, task);
      const t0 = performance.now();
      const matrix = await trainDecomposition(engine, run, inits, noises, {
        signal,
        onProgress: (fraction) => onProgress({ fraction }),
      });
      const { outcomes: _, ...fields } = decompositionFields(matrix, DEFAULT_DECOMPOSE_RESAMPLES, run.config.seed);
      const result = {
        ...fields,
        outcomes: matrix.outcomes,
        classes: outcomeClasses(task),
        flags: runFlags(run.config),
        seconds: (performance.now() - t0) / 1000,
      };
      return Comlink.transfer({ status: 'done' as const, result }, [matrix.outcomes.buffer]);
    });
  }
}
