import type { ReportSection } from '../section';
import { bothHold, risesSteadily } from '../verdicts';
import { knobSweep, share } from './shared';

export const thneeb: ReportSection = {
  id: 'thneeb',
  title: 'Colour or shape (thneeb)',
  paper:
    'Cotra (2021) pictures a network that could learn "red" (colour) or "curved" (shape), both of which fit its training data, and argues that the path of training decides which. Geirhos et al. (2019) found ImageNet networks follow texture rather than shape. The textbook reading: different seeds find different algorithms, and making one cue more salient moves the balance.',
  async build(ctx) {
    const values = [0.875, 1, 1.125];
    const { commands, results, found } = await knobSweep(ctx, undefined, 'salience', values);
    const colour = results.map((r) => share(r, 'colour'));
    const both = bothHold(
      values,
      results.map((r) => share(r, 'colour')),
      results.map((r) => share(r, 'shape')),
    );
    const differs = [
      both.length > 0
        ? `Agrees: at salience ${both.join(', ')} both colour and shape hold at least 10% of the seeds, so the seed decides between two algorithms.`
        : 'Differs: at no salience measured do colour and shape both hold 10% of the seeds.',
      risesSteadily(colour)
        ? 'Agrees: the colour share rises with salience.'
        : `Differs: the colour share does not rise steadily with salience (${colour.map((c) => (100 * c).toFixed(1) + '%').join(', ')}).`,
    ].join(' ');
    return { commands, found, differs };
  },
};
