import { shareCell, table } from '../markdown';
import type { ReportSection } from '../section';
import { allAtLeast } from '../verdicts';
import { readTrain } from '../results';
import { pct, seeds, share } from './shared';

export const lms: ReportSection = {
  id: 'lms',
  title: "LMS-5 and Shah et al.'s randomisation test (lms)",
  paper:
    'Shah et al. (2020), LMS-5: one linear coordinate with a margin and 49 five-slab coordinates, rotated. Randomising the linear coordinate drops a trained network to chance; randomising all the slabs leaves it unchanged: the network uses the linear coordinate alone.',
  async build(ctx) {
    const command = { args: ['train', '--task', 'lms', '--particles', String(seeds(ctx.size))] };
    const r = readTrain(await ctx.run(command));
    const found = [
      table(
        ['outcome', 'share'],
        r.classes.map((c) => [c, shareCell(r.fractions[c])]),
      ),
      '',
      `Over ${seeds(ctx.size)} seeds. The probes are the randomisation test: \`linear\` keeps only the linear coordinate's information (every slab redrawn), \`slab\` keeps only the slabs' (the linear coordinate redrawn). A network is \`linear\` when it stays accurate on the first and falls to chance on the second.`,
    ].join('\n');
    const differs = allAtLeast([share(r, 'linear')], 0.9)
      ? `Agrees: ${pct(share(r, 'linear'))} of the seeds keep their accuracy when the slabs are randomised and lose it when the linear coordinate is.`
      : `Differs: only ${pct(share(r, 'linear'))} of the seeds use the linear coordinate alone.`;
    return { commands: [command], found, differs };
  },
};
