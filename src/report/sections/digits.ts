import type { ReportSection } from '../section';
import { bothHold, risesSteadily } from '../verdicts';
import { knobSweep, share } from './shared';

export const digits: ReportSection = {
  id: 'digits',
  title: 'Coloured digits (digits)',
  paper:
    'Arjovsky et al. (2019), Coloured MNIST: when colour predicts the label in training, networks use colour and fail when it is reversed. The colour-or-shape story on real images.',
  async build(ctx) {
    const values = [0.5, 1, 1.5];
    const { commands, results, found } = await knobSweep(ctx, 'digits', 'salience', values);
    const colour = results.map((r) => share(r, 'colour'));
    const both =
      bothHold(
        values,
        colour,
        results.map((r) => share(r, 'digit')),
      ).length > 0;
    const differs = [
      risesSteadily(colour)
        ? 'Agrees: the colour share rises with salience.'
        : 'Differs: the colour share does not rise steadily with salience.',
      both
        ? 'As in thneeb, at one salience both colour and digit hold at least 10% of the seeds: the seed decides there which cue a network reads.'
        : 'Unlike thneeb, at no salience measured do colour and digit both hold 10% of the seeds.',
    ].join(' ');
    return { commands, found, differs };
  },
};
