import { MEDIAN_DIFFERENCE_METHOD, medianDifference } from '../core/maths/medianDifference';
import { quantiles, type Fraction } from '../core/stats';
import type { ToolCommand } from './commandRunner';
import { shareCell, table } from './markdown';
import type { ReportSection, ReportSize } from './section';
import { alignedBarrierVerdict, headlineVerdict, type AlignedBarrierRow, type HeadlineRow } from './verdicts';

/** Particles a geometry or barrier run measures: at most 64, so the report keeps every particle's numbers beside it. */
const measured = (size: ReportSize) => (size === 'full' ? 64 : 12);
const SALIENCES = [0.875, 1, 1.125] as const;
/** the bootstraps' seed: fixed, so the report's intervals are the same bytes on every run */
const BOOTSTRAP_SEED = 1;

interface GeometryParticle {
  outcome: string;
  topEigenvalue: number | null;
  r50: number | null;
  llc?: number | null;
  llcProblem?: string;
}
interface GeometryJson {
  counts: Record<string, number>;
  fractions: Record<string, Fraction>;
  particles: GeometryParticle[];
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : '—');
/** `median [q1, q3]` of the finite values (the quartiles as medianDifference's medians are taken), or — */
const medianIqr = (xs: readonly number[]) => {
  const v = xs.filter(Number.isFinite);
  if (v.length === 0) return '—';
  const [q1, m, q3] = quantiles(v, [0.25, 0.5, 0.75]);
  return `${fmt(m)} [${fmt(q1)}, ${fmt(q3)}]`;
};

/** The headline question, answered by `geometry` at three saliences: is the class more seeds find the flatter, wider one? */
export const geometrySection: ReportSection = {
  id: 'geometry',
  title: 'The headline question: is the class more seeds find the flatter, wider one? (geometry)',
  paper:
    'The flat-minima story (Hochreiter & Schmidhuber 1997; Keskar et al. 2017; Huh et al. 2021 on simplicity) says gradient descent finds the algorithm whose basin is wide and flat more often: the class more seeds end in should have the lower top Hessian eigenvalue (sharpness), the larger radius r50 at which half the random perturbations change its class (width), and the lower local learning coefficient (LLC, Lau et al. 2023: fewer effective parameters).',
  async build(ctx) {
    const n = measured(ctx.size);
    const quick = ctx.size === 'full' ? [] : ['--draws', '100', '--burnin', '20'];
    const commands: ToolCommand[] = SALIENCES.map((s) => ({
      args: ['geometry', '--knob', `salience=${s}`, '--particles', String(n), ...quick],
    }));
    const rows: string[][] = [];
    const headline: HeadlineRow[] = [];
    for (const [k, c] of commands.entries()) {
      const r = (await ctx.run(c)) as unknown as GeometryJson;
      const values = (cls: string, pick: (p: GeometryParticle) => number | null | undefined) =>
        r.particles.filter((p) => p.outcome === cls).map((p) => pick(p) ?? NaN);
      const measures = {
        sharpness: (p: GeometryParticle) => p.topEigenvalue,
        r50: (p: GeometryParticle) => p.r50,
        // an estimate with a problem is left out, as the llc command's summary leaves it out
        llc: (p: GeometryParticle) => (p.llcProblem === undefined ? p.llc : null),
      };
      for (const cls of ['colour', 'shape', 'mixed'])
        rows.push([
          String(SALIENCES[k]),
          cls,
          `${r.counts[cls] ?? 0} (${r.fractions?.[cls] ? shareCell(r.fractions[cls]) : '—'})`,
          ...Object.values(measures).map((pick) => medianIqr(values(cls, pick))),
        ]);
      const [more, less] = (r.counts.colour ?? 0) >= (r.counts.shape ?? 0) ? ['colour', 'shape'] : ['shape', 'colour'];
      const diff = (pick: (p: GeometryParticle) => number | null | undefined) =>
        medianDifference(values(more, pick), values(less, pick), BOOTSTRAP_SEED);
      headline.push({
        salience: SALIENCES[k],
        more,
        less,
        sharpness: diff(measures.sharpness),
        r50: diff(measures.r50),
        llc: diff(measures.llc),
      });
    }
    const diffRows = headline.map((h) => [
      String(h.salience),
      `${h.more} − ${h.less}`,
      ...[h.sharpness, h.r50, h.llc!].map((d) =>
        Number.isFinite(d.lo) ? `${fmt(d.difference)} [${fmt(d.lo)}, ${fmt(d.hi)}]` : `${fmt(d.difference)} [—]`,
      ),
    ]);
    const found = [
      table(['salience', 'class', 'seeds (share [95%])', 'top eigenvalue', 'r50', 'LLC'], rows),
      '',
      table(['salience', 'more-found − other', 'top eigenvalue', 'r50', 'LLC'], diffRows),
      '',
      `${n} seeds per salience (init seed 1, noise seed 2), thneeb's default 3-16-1 tanh network. The first table: each class's seeds with the share's Wilson 95% interval, and each measurement's median [interquartile range] over its particles. Sharpness by power iteration on Hessian–vector products, r50 from random filter-normalised directions, the LLC by SGLD at its defaults (ε per particle from the top eigenvalue sharpness measured). The second table: ${MEDIAN_DIFFERENCE_METHOD}; "—" where a class has fewer than 5 particles with a value, or r50 lies beyond the radii measured.`,
    ].join('\n');
    return { commands, found, differs: headlineVerdict(headline).text };
  },
};

interface BarrierJson {
  set: string;
  summary: Record<string, { pairs: number; mean: number; sd: number; median: number }>;
  ari: number | null;
  ariInterval: { lo: number | null; hi: number | null };
  /** M × M (null where a loss on the line was not finite), and each particle's outcome: kept for up to 64 particles */
  barrier?: (number | null)[][];
  particles?: { outcome: string }[];
}

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
    const commands: ToolCommand[] = ['colour', 'shape'].map((set) => ({ args: ['barriers', '--align', '--set', set, '--particles', n] }));
    const rows: AlignedBarrierRow[] = [];
    const lines: string[][] = [];
    for (const c of commands) {
      const r = (await ctx.run(c)) as unknown as BarrierJson;
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
      `${n} seeds (init seed 1, noise seed 2), thneeb at salience 1; median barrier (nats) [interquartile range] over the pairs of each group, each pair's hidden units matched by weight matching first, each line refined to within 1% of a 201-point evaluation. Clusters: average linkage on the barriers, cut at the largest gap; the ARI's interval is a bootstrap over particles (docs/instruments/barriers.md).`,
    ].join('\n');
    return { commands, found, differs: alignedBarrierVerdict(rows).text };
  },
};
