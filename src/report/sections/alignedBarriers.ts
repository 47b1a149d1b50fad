import { quantiles } from '../../core/stats';
import type { ToolCommand } from '../commandRunner';
import { table } from '../markdown';
import { readBarriers, type BarrierJson } from '../results';
import type { ReportSection } from '../section';
import { alignedBarrierVerdict, type AlignedBarrierRow } from '../verdicts';
import { fmt, measured } from './shared';

/** A group of pairs' barriers: median and interquartile range, from the matrix when kept, else the command's median alone. */
interface BarrierGroup {
  pairs: number;
  median: number;
  q1: number;
  q3: number;
}

/** Each pair's barrier grouped as the command's summary groups it ('colour', 'shape', 'colour|shape'), with its quartiles. */
function barrierGroups(r: BarrierJson): Record<string, BarrierGroup> {
  const groups: Record<string, number[]> = {};
  const m = r.barrier && r.particles ? r.particles.length : 0;
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      const [a, b] = [r.particles![i].outcome, r.particles![j].outcome];
      const key = a === b ? a : [a, b].sort().join('|');
      (groups[key] ??= []).push(r.barrier![i][j] ?? NaN);
    }
  return Object.fromEntries(
    Object.entries(r.summary).map(([key, s]) => {
      const [q1, median, q3] = groups[key] ? quantiles(groups[key], [0.25, 0.5, 0.75]) : [NaN, s.median, NaN];
      return [key, { pairs: s.pairs, median, q1, q3 }];
    }),
  );
}

/** Aligned barriers on both probe sets: are colour and shape networks separated by a barrier, and do clusters match the classes? */
export const alignedBarrierSection: ReportSection = {
  id: 'aligned-barriers',
  title: 'Are colour and shape separated by a barrier? (aligned barriers)',
  paper:
    'The textbook pictures the algorithms a network can find as basins of the loss: two networks that learned different algorithms should be separated by a loss barrier on the line between them, two of the same algorithm not. Independent inits differ by a permutation of their hidden units, which puts barriers between any two (Entezari et al. 2022); weight matching removes them (Ainsworth et al. 2023), so the line is drawn after aligning the units, and the loss is measured on the conflict probes, where colour and shape disagree (on the training set they agree).',
  async build(ctx) {
    const n = String(measured(ctx.size));
    // the training set, where both classes fit (the textbook's basins), and the two conflict probes, where they disagree
    const commands: ToolCommand[] = ['train', 'colour', 'shape'].map((set) => ({
      args: ['barriers', '--align', '--set', set, '--particles', n],
    }));
    const flat: string[] = [];
    const rows: AlignedBarrierRow[] = [];
    const lines: string[][] = [];
    for (const c of commands) {
      const r = readBarriers(await ctx.run(c));
      const g = barrierGroups(r);
      const within = ['colour', 'shape'].filter((k) => g[k]).map((k) => ({ name: k, median: g[k].median, q1: g[k].q1, q3: g[k].q3 }));
      const b = g['colour|shape'];
      const num = (x: number | null) => (x === null ? NaN : x);
      rows.push({
        set: r.set,
        within,
        between: b?.median ?? NaN,
        betweenQ1: b?.q1 ?? NaN,
        betweenQ3: b?.q3 ?? NaN,
        ari: num(r.ari),
        ariLo: num(r.ariInterval.lo),
        ariHi: num(r.ariInterval.hi),
      });
      const values = (r.barrier ?? []).flatMap((row, i) => row.slice(i + 1));
      if (values.length > 0) flat.push(`${r.set} ${values.filter((x) => x === 0).length} of ${values.length}`);
      const cell = (k: string) => (g[k] ? `${fmt(g[k].median)} [${fmt(g[k].q1)}, ${fmt(g[k].q3)}] (${g[k].pairs} pairs)` : '—');
      lines.push([
        r.set,
        cell('colour'),
        cell('shape'),
        cell('colour|shape'),
        r.ari === null
          ? '—'
          : `${r.ari.toFixed(3)} [${r.ariInterval.lo === null ? '—' : r.ariInterval.lo.toFixed(3)}, ${r.ariInterval.hi === null ? '—' : r.ariInterval.hi.toFixed(3)}]`,
      ]);
    }
    const found = [
      table(['loss on', 'within colour', 'within shape', 'between colour and shape', 'ARI of clusters with outcomes [95%]'], lines),
      '',
      `${n} seeds (init seed 1, noise seed 2), thneeb at salience 1; median barrier (nats) [interquartile range] over the pairs of each group, each pair's hidden units matched by weight matching first, each line refined to within 1% of a 201-point evaluation. A barrier is the largest rise of the loss along the line above the straight chord between its two ends' losses (Juneja et al. 2023), 0 where the loss never rises above the chord${flat.length > 0 ? `; lines with no barrier at all, by set: ${flat.join(', ')}` : ''}. Clusters: average linkage on the barriers, cut at the largest gap; the ARI's interval is a bootstrap over particles (docs/instruments/barriers.md).`,
    ].join('\n');
    return { commands, found, differs: alignedBarrierVerdict(rows).text };
  },
};
