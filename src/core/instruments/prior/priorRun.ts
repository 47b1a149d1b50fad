import type { Engine, PriorResult, PriorSpec, RunOptions } from '../../engine';
import { paramCount } from '../../layout';
import { Mlp } from '../../mlp';
import { trainEnsemble, type EnsembleResult, type Run } from '../../runs';
import type { FunctionSample } from './prior';
import { domainRows, functionBits, functionWords } from './priorSampler';

/** The most prior samples one run draws: sample indices stay below 2^32 with room to spare. */
export const MAX_PRIOR_SAMPLES = 1_000_000_000;

/** The prior sampler's spec for a run: its init distribution and scale, samples 0 .. samples − 1 of its init seed. */
export function priorSpec(run: Run, samples: number): PriorSpec {
  const { config, task, layout } = run;
  return { layout, task, dist: config.initDist ?? 'default', scale: config.initScale, seed: config.seed, firstSample: 0, samples };
}

export function samplePrior(engine: Engine, run: Run, samples: number, options: RunOptions = {}): Promise<PriorResult> {
  return engine.samplePrior(priorSpec(run, samples), options);
}

/**
 * Trains particles 0 .. particles − 1 of the run as `train` would and records the function of each
 * that fits every training row, on the same domain and in the same bits as the prior sampler (the
 * reference network's forward pass on the trained float32 parameters).
 */
export async function trainedFunctions(
  engine: Engine,
  run: Run,
  particles: number,
  options: RunOptions = {},
): Promise<FunctionSample & { ensemble: EnsembleResult }> {
  const trained: Run = { ...run, config: { ...run.config, particles, firstParticle: 0 } };
  const result = await trainEnsemble(engine, trained, options);
  const p = paramCount(run.layout);
  const words = functionWords(domainRows(run.task));
  const mlp = new Mlp(run.layout);
  const bits = new Uint32Array(particles * words);
  let count = 0;
  for (let i = 0; i < particles; i++) {
    if (result.diverged[i]) continue;
    if (functionBits(mlp, result.params.subarray(i * p, (i + 1) * p), run.task, bits, count * words)) count++;
  }
  return { bits: bits.slice(0, count * words), count, ensemble: result };
}
