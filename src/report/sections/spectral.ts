import type { ReportSection } from '../section';
import { risesSteadily } from '../verdicts';
import { knobSweep, pct, share } from './shared';

export const spectral: ReportSection = {
  id: 'spectral',
  title: 'Low frequencies first (spectral)',
  paper:
    'Rahaman et al. (2019): networks fit the low-frequency components of a target before the high ones (spectral bias). Here two square waves of different frequency agree on every training point; the question is which one a trained network extends to inputs where they disagree.',
  async build(ctx) {
    const values = [1, 1.05, 1.1];
    const { commands, results, found } = await knobSweep(ctx, 'spectral', 'ratio', values, ['--engine', 'cpu']);
    const low = results.map((r) => share(r, 'low-frequency'));
    const differs = [
      risesSteadily(low)
        ? `Agrees: the faster the second wave, the more seeds follow the slow one (${low.map(pct).join(' → ')}).`
        : `Differs: the low-frequency share does not rise with the ratio (${low.map(pct).join(', ')}).`,
      share(results[0], 'high-frequency') > share(results[0], 'low-frequency')
        ? 'At ratio 1 the waves have the same frequency and the drawn training points favour the second: what decides is less the frequency than how many class boundaries each wave puts among the training points.'
        : '',
      'Rahaman et al. read the bias along training on regression targets; here it is read at the end, in which wave a net extends.',
    ]
      .filter(Boolean)
      .join(' ');
    return { commands, found, differs };
  },
};
