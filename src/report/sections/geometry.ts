import { MEDIAN_DIFFERENCE_METHOD, MIN_GROUP, medianDifference } from '../../core/maths/medianDifference';
import { quantiles, wilson } from '../../core/stats';
import type { ToolCommand } from '../commandRunner';
import { shareCell, table } from '../markdown';
import { readGeometry, type GeometryParticle } from '../results';
import type { ReportSection } from '../section';
import { headlineVerdict, type HeadlineRow } from '../verdicts';
import { fmt, measured } from './shared';

const SALIENCES = [0.875, 1, 1.125] as const;
/**
 * A salience whose less-found class (colour or shape) has fewer than MIN_GROUP seeds has no interval
 * on its differences: its next chunk of seeds (the next particle indices) is measured, up to this
 * many chunks. At 1.125 shape is 3–6% of seeds, so 64 seeds hold about 2–4 shape networks.
 */
const MAX_CHUNKS = 3;
/** the bootstraps' seed: fixed, so the report's intervals are the same bytes on every run */
const BOOTSTRAP_SEED = 1;

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
    const commands: ToolCommand[] = [];
    const rows: string[][] = [];
    const headline: HeadlineRow[] = [];
    const seeds: number[] = [];
    for (const salience of SALIENCES) {
      // chunks of n seeds, pooled, until both colour and shape have MIN_GROUP particles (MAX_CHUNKS at most)
      const particles: GeometryParticle[] = [];
      // (a small report, a quick check that the section builds, measures one chunk)
      for (let chunk = 0; chunk < (ctx.size === 'full' ? MAX_CHUNKS : 1); chunk++) {
        const first = chunk === 0 ? [] : ['--first-particle', String(chunk * n)];
        const c = { args: ['geometry', '--knob', `salience=${salience}`, '--particles', String(n), ...first, ...quick] };
        commands.push(c);
        particles.push(...readGeometry(await ctx.run(c)).particles);
        const count = (cls: string) => particles.filter((p) => p.outcome === cls).length;
        if (Math.min(count('colour'), count('shape')) >= MIN_GROUP) break;
      }
      seeds.push(particles.length);
      const counts: Record<string, number> = {};
      for (const p of particles) counts[p.outcome] = (counts[p.outcome] ?? 0) + 1;
      const r = { counts, particles };
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
          String(salience),
          cls,
          `${r.counts[cls] ?? 0} of ${particles.length} (${shareCell(wilson(r.counts[cls] ?? 0, particles.length))})`,
          ...Object.values(measures).map((pick) => medianIqr(values(cls, pick))),
        ]);
      const [more, less] = (r.counts.colour ?? 0) >= (r.counts.shape ?? 0) ? ['colour', 'shape'] : ['shape', 'colour'];
      const diff = (pick: (p: GeometryParticle) => number | null | undefined) =>
        medianDifference(values(more, pick), values(less, pick), BOOTSTRAP_SEED);
      headline.push({
        salience,
        more,
        less,
        shares: { more: wilson(r.counts[more] ?? 0, particles.length), less: wilson(r.counts[less] ?? 0, particles.length) },
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
      `Seeds in chunks of ${n} (init seed 1, noise seed 2; ${SALIENCES.map((s, k) => `${seeds[k]} at ${s}`).join(', ')}), thneeb's default 3-16-1 tanh network. Why so few: the LLC's SGLD (4 chains × 2,500 steps a particle) took 10–14 minutes per chunk of 64 on SwiftShader shared with other jobs (2026-12-08), and 64 is the most whose every particle the report keeps; a salience gets another chunk (the next particle indices) while colour or shape has fewer than ${MIN_GROUP} seeds, up to ${MAX_CHUNKS} chunks. The first table: each class's seeds with the share's Wilson 95% interval, and each measurement's median [interquartile range] over its particles. Sharpness by power iteration on Hessian–vector products, r50 from random filter-normalised directions, the LLC by SGLD at its defaults (ε per particle from the top eigenvalue sharpness measured). The second table: ${MEDIAN_DIFFERENCE_METHOD}; "—" where a class has fewer than 5 particles with a value, or r50 lies beyond the radii measured.`,
    ].join('\n');
    return { commands, found, differs: headlineVerdict(headline).text };
  },
};
