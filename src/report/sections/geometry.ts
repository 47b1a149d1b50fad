import { MEDIAN_DIFFERENCE_METHOD, medianDifference } from '../../core/maths/medianDifference';
import type { ToolCommand } from '../commandRunner';
import { table } from '../markdown';
import { readGeometry, type GeometryParticle } from '../results';
import type { ReportSection, ReportSize } from '../section';
import { headlineVerdict, type HeadlineRow } from '../verdicts';

/** Particles a geometry or barrier run measures: at most 64, so the report keeps every particle's numbers beside it. */
export const measured = (size: ReportSize) => (size === 'full' ? 64 : 12);
const SALIENCES = [0.875, 1, 1.125] as const;
/** the bootstraps' seed: fixed, so the report's intervals are the same bytes on every run */
const BOOTSTRAP_SEED = 1;

export const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : '—');
const median = (xs: number[]) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
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
      const r = readGeometry(await ctx.run(c));
      const values = (cls: string, pick: (p: GeometryParticle) => number | null | undefined) =>
        r.particles.filter((p) => p.outcome === cls).map((p) => pick(p) ?? NaN);
      const measures = {
        sharpness: (p: GeometryParticle) => p.topEigenvalue,
        r50: (p: GeometryParticle) => p.r50,
        // an estimate with a problem is left out, as the llc command's summary leaves it out
        llc: (p: GeometryParticle) => (p.llcProblem === undefined ? p.llc : null),
      };
      for (const cls of ['colour', 'shape'])
        rows.push([
          String(SALIENCES[k]),
          cls,
          String(r.counts[cls] ?? 0),
          ...Object.values(measures).map((pick) => fmt(median(values(cls, pick)))),
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
      table(['salience', 'class', 'seeds', 'median top eigenvalue', 'median r50', 'median LLC'], rows),
      '',
      table(['salience', 'more-found − other', 'top eigenvalue', 'r50', 'LLC'], diffRows),
      '',
      `${n} seeds per salience (init seed 1, noise seed 2), thneeb's default 3-16-1 tanh network; sharpness by power iteration on Hessian–vector products, r50 from random filter-normalised directions, the LLC by SGLD at its defaults (ε per particle from the top eigenvalue sharpness measured). The second table: ${MEDIAN_DIFFERENCE_METHOD}; "—" where a class has fewer than 5 particles with a value, or r50 lies beyond the radii measured.`,
    ].join('\n');
    return { commands, found, differs: headlineVerdict(headline).text };
  },
};
