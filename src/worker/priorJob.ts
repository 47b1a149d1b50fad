import { comparePriorAndSgd } from '../core/instruments/prior/prior';
import { MAX_PRIOR_SAMPLES, samplePrior } from '../core/instruments/prior/priorRun';
import { domainRows, functionBits, functionWords, priorProblem } from '../core/instruments/prior/priorSampler';
import { UserError } from '../core/errors';
import { paramCount } from '../core/layout';
import { Mlp } from '../core/mlp';
import { EngineJob } from './engineJob';
import { trainedEnsemble, type InstrumentJob, type JobContext } from './jobContext';
import type { JobOutcome, JobProgress, PriorRequest, PriorViewResult } from './protocol';

/** The sandbox draws fewer samples than the CLI allows: it must stay interactive. */
export const MAX_SANDBOX_PRIOR_SAMPLES = 10_000_000;

/**
 * "Sample the prior" in the worker: the prior command's sampler against the ensemble on screen,
 * whose fitted particles are the SGD side (the CLI trains its own). Cancellable between engine
 * chunks; one measurement at a time.
 */
export class PriorJob extends EngineJob implements InstrumentJob<'prior'> {
  readonly action = 'sample the prior';

  async measure(
    context: JobContext,
    request: PriorRequest,
    onProgress: (progress: JobProgress) => void,
  ): Promise<JobOutcome<PriorViewResult>> {
    const { engine } = context;
    const { results, ensemble } = trainedEnsemble(context);
    const { run } = results;
    const problem = priorProblem(run.layout, run.task, run.config.initDist);
    if (problem) throw new UserError(problem);
    const max = Math.min(MAX_SANDBOX_PRIOR_SAMPLES, MAX_PRIOR_SAMPLES);
    if (!Number.isInteger(request.samples) || request.samples < 1 || request.samples > max)
      throw new UserError(`prior samples must be an integer from 1 to ${max}, got ${request.samples}`);
    return this.run(async (signal) => {
      const t0 = performance.now();
      const prior = await samplePrior(engine, run, request.samples, {
        signal,
        onProgress: (fraction) => onProgress({ fraction }),
      });
      const p = paramCount(run.layout);
      const words = functionWords(domainRows(run.task));
      const particles = ensemble.outcomes.length;
      const bits = new Uint32Array(particles * words);
      const mlp = new Mlp(run.layout);
      let count = 0;
      for (let i = 0; i < particles; i++) {
        if (ensemble.diverged[i]) continue;
        if (functionBits(mlp, ensemble.params.subarray(i * p, (i + 1) * p), run.task, bits, count * words)) count++;
      }
      const c = comparePriorAndSgd(run.task, request.samples, prior, { bits, count }, particles, run.config.seed);
      const both = c.functions.filter((f) => f.priorCount > 0 && f.sgdCount > 0);
      return {
        status: 'done' as const,
        result: {
          samples: c.samples,
          accepted: c.accepted,
          acceptance: c.acceptance,
          particles,
          fitted: c.sgdFitted,
          points: both.map((f) => ({
            pPrior: f.priorCount / c.accepted,
            pSgd: f.sgdCount / c.sgdFitted,
            error: f.generalisationError,
            priorCount: f.priorCount,
            sgdCount: f.sgdCount,
          })),
          functionCounts: c.functionCounts,
          correlation: c.correlation,
          problems: c.problems,
          probe: run.task.probes[0]?.name ?? '',
          seconds: (performance.now() - t0) / 1000,
        },
      };
    });
  }
}
