import type { ToolCommand } from '../commandRunner';
import { table } from '../markdown';
import type { ReportSection } from '../section';
import { knobSweep, seeds, share, type TrainJson } from './shared';

/** The salience at which colour and shape balance, by linear interpolation of colour − shape between sweep points. */
export function balancePoint(values: readonly number[], diff: readonly number[]): number | undefined {
  for (let i = 1; i < values.length; i++) {
    const [a, b] = [diff[i - 1], diff[i]];
    if (a === 0) return values[i - 1];
    if ((a < 0 && b >= 0) || (a > 0 && b <= 0)) return values[i - 1] + ((values[i] - values[i - 1]) * -a) / (b - a);
  }
  return undefined;
}

/** Whether the balance salience moves between models: apart intervals, or a balance beyond the range measured. */
export function balanceVerdict(
  balances: readonly { label: string; mid?: number; low?: number; high?: number; beyond?: 'below' | 'above' }[],
  range: readonly number[],
): string {
  const fmt = (b: (typeof balances)[number]) => `${b.mid!.toFixed(3)} [${b.low!.toFixed(3)}, ${b.high!.toFixed(3)}]`;
  const bounded = balances.filter((b) => b.mid !== undefined && b.low !== undefined);
  const apart: string[] = [];
  for (const a of bounded)
    for (const b of bounded) if (a.high! < b.low!) apart.push(`${a.label} balances at ${fmt(a)}, ${b.label} at ${fmt(b)}`);
  const outside = balances
    .filter((b) => b.beyond)
    .map(
      (b) =>
        `${b.label} balances ${b.beyond} the range measured (${b.beyond === 'below' ? `colour ahead at every salience from ${range[0]}` : `shape ahead at every salience up to ${range[range.length - 1]}`})`,
    );
  if (apart.length === 0 && outside.length === 0)
    return 'Every balance interval overlaps the others: at this resolution the data, not the learner, sets where colour and shape balance.';
  // the widest pair says it best: the first found with the lowest and highest balances
  const low = bounded.reduce((m, b) => (b.mid! < m.mid! ? b : m), bounded[0]);
  const high = bounded.reduce((m, b) => (b.mid! > m.mid! ? b : m), bounded[0]);
  const widest =
    low && high && low.high! < high.low! ? [`${low.label} balances at ${fmt(low)}, ${high.label} at ${fmt(high)}`] : apart.slice(0, 1);
  return `The balance moves with the learner: ${[...widest, ...outside].join('; ')} (intervals apart).`;
}

const MODELS: readonly { label: string; flags: readonly string[] }[] = [
  { label: '3-8-1 tanh, SGD', flags: ['--hidden', '8'] },
  { label: '3-16-1 tanh, SGD (default)', flags: [] },
  { label: '3-32-1 tanh, SGD', flags: ['--hidden', '32'] },
  { label: '3-64-1 tanh, SGD', flags: ['--hidden', '64'] },
  { label: '3-16-16-1 tanh, SGD', flags: ['--hidden', '16,16'] },
  { label: '3-16-1 tanh, Adam lr 0.01', flags: ['--opt', 'adam', '--lr', '0.01'] },
];

export const thneebModels: ReportSection = {
  id: 'thneeb-models',
  title: 'Thneeb across models: where colour and shape balance',
  paper:
    'The textbook asks whether the algorithm a network finds is a property of the data or of the learner. If it is the learner\u2019s, the salience at which colour and shape balance should move with the width, the depth and the optimizer.',
  async build(ctx) {
    const saliences = [0.75, 0.875, 1, 1.125, 1.25];
    const commands: ToolCommand[] = [];
    const rows: string[][] = [];
    // per model: the balance and its interval, or the side of the range it lies beyond
    const balances: { label: string; mid?: number; low?: number; high?: number; beyond?: 'below' | 'above' }[] = [];
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
      const colourAhead = sweep.results.map((r) => share(r, 'colour') > share(r, 'shape'));
      // colour ahead at every salience: the balance lies below the range; shape ahead everywhere, above
      const beyond = mid !== undefined ? undefined : colourAhead.every(Boolean) ? 'below' : colourAhead.some(Boolean) ? undefined : 'above';
      balances.push({
        label: model.label,
        mid,
        ...(ends.length === 2 ? { low: Math.min(...ends), high: Math.max(...ends) } : {}),
        ...(beyond ? { beyond } : {}),
      });
      const fmt = (x: number) => x.toFixed(3);
      rows.push([
        model.label,
        ...sweep.results.map((r) => `${(100 * share(r, 'colour')).toFixed(0)} / ${(100 * share(r, 'shape')).toFixed(0)}`),
        mid === undefined
          ? beyond
            ? `${beyond} ${beyond === 'below' ? saliences[0] : saliences[saliences.length - 1]}`
            : 'none in range'
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
    const differs = balanceVerdict(balances, saliences);
    return { commands, found, differs };
  },
};
