import type { Fraction } from '../core/stats';
import { commandLine, type ToolCommand } from './commandRunner';
import { shareCell, table } from './markdown';

export type ReportSize = 'small' | 'full';

export interface SectionContext {
  readonly size: ReportSize;
  /** runs a command of the tool and returns its JSON */
  readonly run: (command: ToolCommand) => Promise<Record<string, unknown>>;
}

/** One experiment of the findings report: what a paper found, and what the tool measures of it. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** what the paper (or the textbook) found */
  readonly paper: string;
  readonly build: (ctx: SectionContext) => Promise<SectionBody>;
}

export interface SectionBody {
  /** the commands that regenerate every number below */
  readonly commands: readonly ToolCommand[];
  /** what we found: tables with intervals */
  readonly found: string;
  /** where it agrees with the paper and where it differs, computed from the numbers */
  readonly differs: string;
}

interface TrainJson {
  classes: string[];
  counts: Record<string, number>;
  fractions: Record<string, Fraction>;
}

const seeds = (size: ReportSize): number => (size === 'full' ? 1024 : 32);

/** One `train` per value of a knob: the share of every class with its interval, one row per value. */
async function knobSweep(
  ctx: SectionContext,
  task: string | undefined,
  knob: string,
  values: readonly number[],
  extra: readonly string[] = [],
): Promise<{ commands: ToolCommand[]; results: TrainJson[]; found: string }> {
  const commands = values.map((v) => ({
    args: ['train', ...(task ? ['--task', task] : []), '--particles', String(seeds(ctx.size)), '--knob', `${knob}=${v}`, ...extra],
  }));
  const results: TrainJson[] = [];
  for (const c of commands) results.push((await ctx.run(c)) as unknown as TrainJson);
  const classes = results[0].classes;
  const found = table(
    [knob, ...classes],
    results.map((r, i) => [String(values[i]), ...classes.map((c) => shareCell(r.fractions[c]))]),
  );
  return {
    commands,
    results,
    found: `${found}\n\nOver ${seeds(ctx.size)} seeds per row (init seed 1, noise seed 2), 95% Wilson intervals.`,
  };
}

const share = (r: TrainJson, c: string): number => r.fractions[c]?.fraction ?? 0;
const rises = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x >= xs[i - 1]);

/** The salience at which colour and shape balance, by linear interpolation of colour − shape between sweep points. */
export function balancePoint(values: readonly number[], diff: readonly number[]): number | undefined {
  for (let i = 1; i < values.length; i++) {
    const [a, b] = [diff[i - 1], diff[i]];
    if (a === 0) return values[i - 1];
    if ((a < 0 && b >= 0) || (a > 0 && b <= 0)) return values[i - 1] + ((values[i] - values[i - 1]) * -a) / (b - a);
  }
  return undefined;
}

const MODELS: readonly { label: string; flags: readonly string[] }[] = [
  { label: '3-8-1 tanh, SGD', flags: ['--hidden', '8'] },
  { label: '3-16-1 tanh, SGD (default)', flags: [] },
  { label: '3-32-1 tanh, SGD', flags: ['--hidden', '32'] },
  { label: '3-64-1 tanh, SGD', flags: ['--hidden', '64'] },
  { label: '3-16-16-1 tanh, SGD', flags: ['--hidden', '16,16'] },
  { label: '3-16-1 tanh, Adam lr 0.01', flags: ['--opt', 'adam', '--lr', '0.01'] },
];

const thneebModels: ReportSection = {
  id: 'thneeb-models',
  title: 'Thneeb across models: where colour and shape balance',
  paper:
    'The textbook asks whether the algorithm a network finds is a property of the data or of the learner. If it is the learner\u2019s, the salience at which colour and shape balance should move with the width, the depth and the optimizer.',
  async build(ctx) {
    const saliences = [0.75, 0.875, 1, 1.125, 1.25];
    const commands: ToolCommand[] = [];
    const rows: string[][] = [];
    const points: (number | undefined)[] = [];
    for (const model of MODELS) {
      const sweep = await knobSweep(ctx, undefined, 'salience', saliences, model.flags);
      commands.push(...sweep.commands);
      const diff = (pick: (r: TrainJson) => number) => sweep.results.map(pick);
      const mid = balancePoint(
        saliences,
        diff((r) => share(r, 'colour') - share(r, 'shape')),
      );
      // the balance of the interval ends: colour at its low end against shape at its high end, and the reverse
      const ends = [
        balancePoint(
          saliences,
          diff((r) => r.fractions.colour.low - r.fractions.shape.high),
        ),
        balancePoint(
          saliences,
          diff((r) => r.fractions.colour.high - r.fractions.shape.low),
        ),
      ].filter((x): x is number => x !== undefined);
      points.push(mid);
      const fmt = (x: number) => x.toFixed(3);
      rows.push([
        model.label,
        ...sweep.results.map((r) => `${(100 * share(r, 'colour')).toFixed(0)} / ${(100 * share(r, 'shape')).toFixed(0)}`),
        mid === undefined
          ? 'none in range'
          : ends.length === 2
            ? `${fmt(mid)} [${fmt(Math.min(...ends))}, ${fmt(Math.max(...ends))}]`
            : `${fmt(mid)} [interval open]`,
      ]);
    }
    const found = [
      table(['model', ...saliences.map((s) => `colour / shape % at ${s}`), 'balance salience'], rows),
      '',
      `Over ${seeds(ctx.size)} seeds per point (init seed 1, noise seed 2); the balance salience interpolates colour − shape linearly between points, and its interval does the same with the ends of the two shares' 95% Wilson intervals ("open" where one end never crosses in range).`,
    ].join('\n');
    const known = points.filter((x): x is number => x !== undefined);
    const spread = known.length > 1 ? Math.max(...known) - Math.min(...known) : 0;
    const differs =
      known.length < 2
        ? 'Too few models balance within the salience range measured to say whether the balance moves.'
        : `The balance salience ranges over ${spread.toFixed(3)} across the models (${known.map((x) => x.toFixed(3)).join(', ')}): ${spread > 0.1 ? 'it moves with the learner, not only the data.' : 'within a tenth of a salience unit, so at this resolution the data, not the learner, sets it.'}`;
    return { commands, found, differs };
  },
};

export const SECTIONS: readonly ReportSection[] = [
  {
    id: 'thneeb',
    title: 'Colour or shape (thneeb)',
    paper:
      'Cotra (2021) pictures a network that could learn "red" (colour) or "curved" (shape), both of which fit its training data, and argues that the path of training decides which. Geirhos et al. (2019) found ImageNet networks follow texture rather than shape. The textbook reading: different seeds find different algorithms, and making one cue more salient moves the balance.',
    async build(ctx) {
      const values = [0.875, 1, 1.125];
      const { commands, results, found } = await knobSweep(ctx, undefined, 'salience', values);
      const colour = results.map((r) => share(r, 'colour'));
      const both = values.filter((_, i) => share(results[i], 'colour') >= 0.1 && share(results[i], 'shape') >= 0.1);
      const differs = [
        both.length > 0
          ? `Agrees: at salience ${both.join(', ')} both colour and shape hold at least 10% of the seeds, so the seed decides between two algorithms.`
          : 'Differs: at no salience measured do colour and shape both hold 10% of the seeds.',
        rises(colour)
          ? 'Agrees: the colour share rises with salience.'
          : `Differs: the colour share does not rise steadily with salience (${colour.map((c) => (100 * c).toFixed(1) + '%').join(', ')}).`,
      ].join(' ');
      return { commands, found, differs };
    },
  },
  thneebModels,
  {
    id: 'init-or-noise',
    title: 'The init or the noise? (decompose)',
    paper:
      'McCoy et al. (2019) fine-tuned 100 BERTs that differed only in their seeds (the classifier init and the data order) and found their generalisation varied widely. Which of the two sources decides is the question: the share of the outcome entropy the init explains, against the share the minibatch noise explains.',
    async build(ctx) {
      const side = String(ctx.size === 'full' ? 64 : 8);
      const settings = [
        { label: 'defaults (batch 16, lr 0.5)', extra: [] as string[] },
        { label: 'batch 1, lr 0.8', extra: ['--batch', '1', '--lr', '0.8'] },
      ];
      const commands = settings.map((s) => ({ args: ['decompose', '--inits', side, '--noises', side, ...s.extra] }));
      type Share = { value: number; low: number; high: number };
      const rows: string[][] = [];
      const shares: { init: Share; noise: Share }[] = [];
      for (const [i, c] of commands.entries()) {
        const r = (await ctx.run(c)) as { initShare: Share; noiseShare: Share };
        shares.push({ init: r.initShare, noise: r.noiseShare });
        const cell = (s: Share) => `${(100 * s.value).toFixed(1)}% [${(100 * s.low).toFixed(1)}, ${(100 * s.high).toFixed(1)}]`;
        rows.push([settings[i].label, cell(r.initShare), cell(r.noiseShare)]);
      }
      const found = `${table(['settings', 'init share', 'noise share'], rows)}\n\n${side} inits × ${side} noise streams per row; 95% crossed-bootstrap intervals.`;
      const [base, noisy] = shares;
      const differs = [
        base.init.low > base.noise.high
          ? 'At the defaults the init explains more of the outcome than the noise does (the intervals do not overlap).'
          : 'At the defaults the init and the noise cannot be told apart at this size.',
        noisy.noise.value > base.noise.value
          ? `Smaller batches and a larger learning rate give the noise a larger share (${(100 * base.noise.value).toFixed(1)}% → ${(100 * noisy.noise.value).toFixed(1)}%).`
          : 'Smaller batches and a larger learning rate did not raise the noise share.',
        'McCoy et al. did not separate the two sources; here they are separated, on a toy.',
      ].join(' ');
      return { commands, found, differs };
    },
  },
  {
    id: 'simplicity',
    title: 'The simplest feature wins (simplicity)',
    paper:
      'Shah et al. (2020) found networks trained on a linear coordinate beside slab coordinates, all fully predictive, rely on the linear one alone (randomising it drops accuracy to chance; randomising every slab leaves it unchanged), even when its margin is small.',
    async build(ctx) {
      const values = [0.1, 0.02];
      const { commands, results, found } = await knobSweep(ctx, 'simplicity', 'margin', values);
      const linear = results.map((r) => share(r, 'linear'));
      const differs = linear.every((x) => x >= 0.9)
        ? `Agrees: at margins ${values.join(' and ')} at least 90% of the seeds take the linear coordinate (${linear.map((x) => (100 * x).toFixed(1) + '%').join(', ')}).`
        : `Differs: the linear share is ${linear.map((x) => (100 * x).toFixed(1) + '%').join(', ')} at margins ${values.join(', ')}.`;
      return { commands, found, differs };
    },
  },
  {
    id: 'corridor',
    title: 'Move right, or seek the coin? (corridor)',
    paper:
      'Langosco et al. (2022): CoinRun agents trained with the coin always at the end of the level learn to move right, and keep moving right when the coin is elsewhere; randomising the coin\u2019s position in a small fraction of training levels makes them seek the coin.',
    async build(ctx) {
      const values = [0, 0.1, 0.25, 0.5];
      const { commands, results, found } = await knobSweep(ctx, 'corridor', 'randomCoin', values);
      const coin = results.map((r) => share(r, 'seek-coin'));
      const differs = [
        rises(coin)
          ? 'Agrees: the seek-coin share rises with the random-coin fraction'
          : 'Differs: the seek-coin share does not rise steadily',
        `(${coin.map((x) => (100 * x).toFixed(1) + '%').join(' → ')}).`,
        values.some((_, i) => share(results[i], 'seek-coin') >= 0.1 && share(results[i], 'move-right') >= 0.1)
          ? 'At one fraction both goals hold at least 10% of the seeds: the path decides there.'
          : 'At no fraction measured do both goals hold 10% of the seeds: here the data decides, not the path.',
      ].join(' ');
      return { commands, found, differs };
    },
  },
  {
    id: 'digits',
    title: 'Coloured digits (digits)',
    paper:
      'Arjovsky et al. (2019), Coloured MNIST: when colour predicts the label in training, networks use colour and fail when it is reversed. The colour-or-shape story on real images.',
    async build(ctx) {
      const values = [0.5, 1, 1.5];
      const { commands, results, found } = await knobSweep(ctx, 'digits', 'salience', values);
      const colour = results.map((r) => share(r, 'colour'));
      const both = values.some((_, i) => share(results[i], 'colour') >= 0.1 && share(results[i], 'digit') >= 0.1);
      const differs = [
        rises(colour) ? 'Agrees: the colour share rises with salience.' : 'Differs: the colour share does not rise steadily with salience.',
        both
          ? 'At one salience both colour and digit hold 10% of the seeds.'
          : 'Unlike thneeb, at no salience measured do colour and digit both hold 10% of the seeds: every network mixes both cues in a proportion salience sets.',
      ].join(' ');
      return { commands, found, differs };
    },
  },
];

/** The report as Markdown: every section with its commands, the paper, what we found and where they differ. */
export function reportMarkdown(size: ReportSize, device: string, built: readonly { section: ReportSection; body: SectionBody }[]): string {
  const parts = [
    '# Findings',
    '',
    `Written by \`npm run report${size === 'full' ? '' : ' -- --size small'}\` on ${device}. Every number below comes from the command printed beside it; run it to check it. ` +
      (size === 'full'
        ? 'Size: 1,024 seeds per point unless a section says otherwise.'
        : 'Size: small (a quick check that the report builds; the numbers are too few to read).'),
    '',
  ];
  for (const { section, body } of built) {
    parts.push(
      `## ${section.title}`,
      '',
      `**What the paper found.** ${section.paper}`,
      '',
      '**Commands.**',
      '',
      '```sh',
      ...body.commands.map(commandLine),
      '```',
      '',
      '**What we found.**',
      '',
      body.found,
      '',
      `**Where they agree and differ.** ${body.differs}`,
      '',
    );
  }
  return parts.join('\n');
}
