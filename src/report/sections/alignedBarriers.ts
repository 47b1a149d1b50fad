import type { ToolCommand } from '../commandRunner';
import { table } from '../markdown';
import { readBarriers } from '../results';
import type { ReportSection } from '../section';
import { alignedBarrierVerdict, type AlignedBarrierRow } from '../verdicts';
import { fmt, measured } from './geometry';

/** Aligned barriers on both probe sets: are colour and shape networks separated by a barrier, and do clusters match the classes? */
export const alignedBarrierSection: ReportSection = {
  id: 'aligned-barriers',
  title: 'Are colour and shape separated by a barrier? (aligned barriers)',
  paper:
    'The textbook pictures the algorithms a network can find as basins of the loss: two networks that learned different algorithms should be separated by a loss barrier on the line between them, two of the same algorithm not. Independent inits differ by a permutation of their hidden units, which puts barriers between any two (Entezari et al. 2022); weight matching removes them (Ainsworth et al. 2023), so the line is drawn after aligning the units, and the loss is measured on the conflict probes, where colour and shape disagree (on the training set they agree).',
  async build(ctx) {
    const n = String(measured(ctx.size));
    const commands: ToolCommand[] = ['colour', 'shape'].map((set) => ({ args: ['barriers', '--align', '--set', set, '--particles', n] }));
    const rows: AlignedBarrierRow[] = [];
    const lines: string[][] = [];
    for (const c of commands) {
      const r = readBarriers(await ctx.run(c));
      const within = ['colour', 'shape'].filter((k) => r.summary[k]).map((k) => ({ name: k, median: r.summary[k].median }));
      const between = r.summary['colour|shape']?.median ?? NaN;
      const num = (x: number | null) => (x === null ? NaN : x);
      rows.push({ set: r.set, within, between, ari: num(r.ari), ariLo: num(r.ariInterval.lo), ariHi: num(r.ariInterval.hi) });
      const cell = (k: string) => (r.summary[k] ? `${fmt(r.summary[k].median)} (${r.summary[k].pairs} pairs)` : '—');
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
      `${n} seeds (init seed 1, noise seed 2), thneeb at salience 1; median barrier (nats) over the pairs of each group, each pair's hidden units matched by weight matching first, each line refined to within 1% of a 201-point evaluation. Clusters: average linkage on the barriers, cut at the largest gap; the ARI's interval is a bootstrap over particles (docs/instruments/barriers.md).`,
    ].join('\n');
    return { commands, found, differs: alignedBarrierVerdict(rows).text };
  },
};
