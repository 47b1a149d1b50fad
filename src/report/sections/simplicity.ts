import type { ReportSection } from '../section';
import { allAtLeast } from '../verdicts';
import { knobSweep, share } from './shared';

export const simplicity: ReportSection = {
  id: 'simplicity',
  title: 'The simplest feature wins (simplicity)',
  paper:
    'Shah et al. (2020) found networks trained on a linear coordinate beside slab coordinates, all fully predictive, rely on the linear one alone (randomising it drops accuracy to chance; randomising every slab leaves it unchanged), even when its margin is small.',
  async build(ctx) {
    const values = [0.1, 0.02];
    const { commands, results, found } = await knobSweep(ctx, 'simplicity', 'margin', values);
    const linear = results.map((r) => share(r, 'linear'));
    const differs = allAtLeast(linear, 0.9)
      ? `Agrees: at margins ${values.join(' and ')} at least 90% of the seeds take the linear coordinate (${linear.map((x) => (100 * x).toFixed(1) + '%').join(', ')}).`
      : `Differs: the linear share is ${linear.map((x) => (100 * x).toFixed(1) + '%').join(', ')} at margins ${values.join(', ')}.`;
    return { commands, found, differs };
  },
};
