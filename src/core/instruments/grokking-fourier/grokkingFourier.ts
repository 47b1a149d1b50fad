import { ensembleFrequencies } from './fourier';
import { paramCount } from '../../layout';
import type { EnsembleResult, Run } from '../../runs';

/**
 * The grokking preset's Fourier measurement, for train's results: the key frequencies of every
 * generalised particle's first layer and how many distinct sets the ensemble found. Undefined for
 * other tasks and for a model without a hidden layer (nothing to read the embedding from).
 */
export function grokkingFourier(run: Run, result: EnsembleResult) {
  const { task, layout } = run;
  if (task.name !== 'grokking' || layout.widths.length < 3) return undefined;
  const p = task.params.p;
  const generalised = result.classes.indexOf('generalised');
  const indices = [...result.outcomes.keys()].filter((i) => result.outcomes[i] === generalised);
  return {
    of: 'generalised particles',
    ...ensembleFrequencies(result.params, paramCount(layout), p, layout.widths[1], indices, run.config.firstParticle),
  };
}
