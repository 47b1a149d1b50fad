import type { Fraction } from '../../core/stats';
import { grokCurve } from '../../core/verdicts/grokking';
import { shareCell, table } from '../markdown';
import { readHypermap, readTrain } from '../results';
import type { ReportSection } from '../section';
import { grokkingVerdict, type GrokCurve } from '../verdicts';
import type { OutcomeSummary as TrainJson } from '../../core/results';

interface GrokParticle {
  outcome: string;
  steps?: { train: number | null; probe: Record<string, number | null> };
  record?: { train?: { acc: (number | null)[] }; probes: Record<string, { acc: (number | null)[] }> };
}

/** What the grokking section reads of `train --record-every`: the recorded steps and the modulus. */
interface GrokTrainJson extends TrainJson {
  particles: GrokParticle[];
  record?: { steps: number[] };
  config?: { knobs?: Record<string, number> };
  fourier?: { distinctSets: number | null };
}

/**
 * Power et al.'s plateau, per particle that both fitted and generalised: the share of the delay
 * (from the step training accuracy first reached 0.9 to the step held-out accuracy did) spent with
 * held-out accuracy still at chance, at most twice 1/p; and the first recorded step from the fit on
 * with held-out accuracy above that (`leaves`). Recorded steps only.
 */
export function plateauShares(r: GrokTrainJson): { share: number; leaves: number; fit: number; reach: number }[] {
  return grokCurves(r).flatMap(({ fit, leaves, reach }) => {
    // core's grokCurve: a curve that reached 0.9 held-out left chance (twice 1/p) at or before it, for p ≥ 3
    if (reach === undefined || leaves === undefined || reach <= fit) return [];
    return [{ share: (leaves - fit) / (reach - fit), leaves, fit, reach }];
  });
}

/**
 * Every particle that fitted its training pairs: core's grokCurve (src/core/verdicts/grokking.ts,
 * the one rule the sandbox's story reads too) on its recorded training and held-out accuracies,
 * chance 1/p; the grokking verdict's input. Empty without the recorded curves. A value the run
 * could not record (null) counts as accuracy 0.
 */
export function grokCurves(r: GrokTrainJson): GrokCurve[] {
  const p = r.config?.knobs?.p;
  const steps = r.record?.steps;
  if (!p || !steps) return [];
  const values = (acc: (number | null)[]) => acc.map((a) => a ?? 0);
  return r.particles.flatMap((particle) => {
    const train = particle.record?.train?.acc;
    const held = particle.record?.probes.generalised?.acc;
    const curve = train && held ? grokCurve(steps, values(train), values(held), 1 / p) : undefined;
    return curve ? [curve] : [];
  });
}

/** What the section reads of a `hypermap` over weight decay × training fraction. */
export interface GrokMapJson {
  res: number;
  perCell: number;
  xs: number[];
  ys: number[];
  classes: string[];
  /** per cell, row-major with x (weight decay) fastest: a count per class */
  counts: number[][];
  meanLoss: (number | null)[];
  fractions: Record<string, Fraction>;
  config: { steps: number; knobs?: Record<string, number> };
  seconds: number;
  engine?: string;
}

/** What the section reads of each particle of `train`, kept beside the report at any particle count. */
export const GROK_PARTICLE_FIELDS = ['outcome', 'steps', 'record.train.acc', 'record.probes.generalised.acc'] as const;

/** The median of recorded steps: the middle one, or the lower of the middle two (a step that was recorded). */
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const ABBREV: Record<string, string> = { generalised: 'gen', memorised: 'mem', mixed: 'mix', unconverged: 'unc', diverged: 'div' };
const short = (v: number) => String(Number(v.toPrecision(2)));

/** Each cell's majority class (the first in class order on a tie), row-major with x fastest. */
function majorities(m: GrokMapJson): string[] {
  return m.counts.map((c) => m.classes[c.reduce((best, n, k) => (n > c[best] ? k : best), 0)]);
}

/** The map as a table: a row per training fraction (the largest on top), a column per weight decay. */
export function grokMapTable(m: GrokMapJson): string {
  const major = majorities(m);
  const rows: string[][] = [];
  for (let j = m.res - 1; j >= 0; j--)
    rows.push([
      short(m.ys[j]),
      ...m.xs.map((_, i) => {
        const n = j * m.res + i;
        const total = m.counts[n].reduce((a, b) => a + b, 0);
        const k = m.counts[n][m.classes.indexOf(major[n])];
        const name = ABBREV[major[n]] ?? major[n];
        return k === total ? name : `${name} ${k}/${total}`;
      }),
    ]);
  return table(['fraction \\ wd', ...m.xs.map(short)], rows);
}

/** Where the map agrees with the phase diagram of the papers, and where not, read from its cells. */
export function grokMapVerdict(m: GrokMapJson): string {
  const major = majorities(m);
  const at = (i: number, j: number) => major[j * m.res + i];
  const cols = [...m.xs.keys()];
  const rows = [...m.ys.keys()];
  const is = (c: string) => (i: number, j: number) => at(i, j) === c;
  const gen = is('generalised');
  const mem = is('memorised');
  const steps = m.config.steps.toLocaleString('en');
  const lines: string[] = [];
  const genRows = rows.filter((j) => cols.some((i) => gen(i, j)));
  if (genRows.length === 0) {
    lines.push(`Differs: no cell generalised within ${steps} steps, at any weight decay or training fraction measured.`);
  } else {
    // weight decay: in each row that generalises, does every memorised cell lie left of every generalised one?
    const leastWd = genRows.map((j) => cols.find((i) => gen(i, j))!);
    const wdOrdered = genRows.every((j) => {
      const firstGen = cols.find((i) => gen(i, j))!;
      const lastMem = cols.filter((i) => mem(i, j)).pop();
      return lastMem === undefined || lastMem < firstGen;
    });
    const wdList = genRows
      .slice()
      .reverse()
      .map((j) => `${short(m.ys[j])} → ${short(m.xs[leastWd[genRows.indexOf(j)]])}`)
      .join(', ');
    lines.push(
      wdOrdered
        ? `Agrees on weight decay: at every training fraction where some cell generalises, the memorised cells all lie at smaller weight decay than the first that generalises (the least weight decay that generalised, by fraction: ${wdList}).`
        : `Differs on weight decay: at some fraction a memorised cell lies at larger weight decay than a generalised one (the least weight decay that generalised, by fraction: ${wdList}).`,
    );
    // data: in each column that generalises, does every memorised cell lie below every generalised one?
    const genCols = cols.filter((i) => rows.some((j) => gen(i, j)));
    const dataOrdered = genCols.every((i) => {
      const firstGen = rows.find((j) => gen(i, j))!;
      const lastMem = rows.filter((j) => mem(i, j)).pop();
      return lastMem === undefined || lastMem < firstGen;
    });
    const dataList = genCols.map((i) => `${short(m.xs[i])} → ${short(m.ys[rows.find((j) => gen(i, j))!])}`).join(', ');
    lines.push(
      dataOrdered
        ? `Agrees on data: at every weight decay where some cell generalises, the memorised cells all lie at smaller training fractions than the first that generalises (the least fraction that generalised, by weight decay: ${dataList}).`
        : `Differs on data: at some weight decay a memorised cell lies at a larger training fraction than a generalised one (the least fraction that generalised, by weight decay: ${dataList}).`,
    );
    // the trade-off: does the least weight decay that generalises fall as the fraction rises?
    const least = genRows.map((j) => m.xs[cols.find((i) => gen(i, j))!]);
    if (least.length > 1)
      lines.push(
        least.every((x, k) => k === 0 || x <= least[k - 1]) && least[least.length - 1] < least[0]
          ? 'The boundary runs diagonally: the more of the pairs in training, the less weight decay generalising needs.'
          : least.every((x) => x === least[0])
            ? 'The least weight decay that generalises does not move with the fraction at this resolution.'
            : 'The least weight decay that generalises does not fall steadily as the fraction rises.',
      );
    // too much decay: what lies beyond the last generalising cell of each row
    const beyond = genRows.map((j) => {
      const last = Math.max(...cols.filter((i) => gen(i, j)));
      return cols.slice(last + 1).map((i) => at(i, j));
    });
    if (beyond.every((b) => b.length > 0 && b.every((c) => c !== 'memorised' && c !== 'generalised'))) {
      const mostWd = genRows
        .slice()
        .reverse()
        .map((j) => `${short(m.ys[j])} → ${short(m.xs[Math.max(...cols.filter((i) => gen(i, j)))])}`)
        .join(', ');
      lines.push(
        `Generalising closes again at large decay: past the last generalised cell of each row lie only ${[...new Set(beyond.flat())].join(' and ')} cells (the most weight decay that generalised, by fraction: ${mostWd}).`,
      );
    }
    const minFraction = Math.min(...genRows);
    const minWd = Math.min(...genCols);
    const below = [
      ...(minFraction > 0 ? [`a training fraction of ${short(m.ys[minFraction])}`] : []),
      ...(minWd > 0 ? [`a weight decay of ${short(m.xs[minWd])}`] : []),
    ];
    lines.push(
      (below.length > 0
        ? `Nothing generalised below ${below.join(' or below ')}`
        : 'Some cell generalised at the smallest fraction and at the smallest weight decay measured') +
        `; \`memorised\` here means not generalised by step ${steps}, and Power et al.'s delay grows as the fraction falls, so part of the boundary in fraction is a boundary in time.`,
    );
  }
  // Liu et al.'s confusion: too much decay and the training set is not fitted either
  const unc = major.map((c, n) => (c === 'unconverged' ? n : -1)).filter((n) => n >= 0);
  if (unc.length > 0) {
    const p = m.config.knobs?.p;
    const losses = unc.map((n) => m.meanLoss[n]).filter((l): l is number => typeof l === 'number' && Number.isFinite(l));
    const meanLoss = losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : NaN;
    const highSide = unc.every((n) => cols.slice(n % m.res).every((i) => at(i, Math.floor(n / m.res)) === 'unconverged'));
    // the weight decay from which each fraction's row is unconverged
    const starts = [...new Set(rows.map((j) => cols.find((i) => at(i, j) === 'unconverged')).filter((i) => i !== undefined))];
    const from =
      starts.length === 1
        ? `from weight decay ${short(m.xs[starts[0]])} on`
        : `from weight decay ${short(m.xs[Math.min(...starts)])} to ${short(m.xs[Math.max(...starts)])} on, by fraction`;
    lines.push(
      `${unc.length} cell${unc.length === 1 ? '' : 's'} fit not even the training pairs (\`unconverged\`)` +
        (highSide ? `, all at the large-decay side, ${from}` : '') +
        (Number.isFinite(meanLoss) && p
          ? ` (mean final training loss ${meanLoss.toFixed(2)}, against ln ${p} = ${Math.log(p).toFixed(2)} for a uniform guess)`
          : '') +
        (highSide ? ': Liu et al.\u2019s confusion.' : '.'),
    );
  }
  const mixed = major.map((c, n) => (c === 'mixed' ? n : -1)).filter((n) => n >= 0);
  if (mixed.length > 0) {
    const nextToGen = mixed.filter((n) => {
      const [i, j] = [n % m.res, Math.floor(n / m.res)];
      return [
        [i - 1, j],
        [i + 1, j],
        [i, j - 1],
        [i, j + 1],
      ].some(([a, b]) => a >= 0 && b >= 0 && a < m.res && b < m.res && gen(a, b));
    });
    const cells = `${mixed.length} cell${mixed.length === 1 ? ' is' : 's are'} \`mixed\` (held-out accuracy part way to generalising)`;
    lines.push(
      nextToGen.length === mixed.length && genRows.length > 0
        ? `${cells}, ${mixed.length === 1 ? '' : 'every one '}next to a generalised cell: at this resolution the boundary is a band about a cell wide.`
        : `${cells}, ${nextToGen.length} of ${mixed.length} next to a generalised cell.`,
    );
  }
  return lines.join(' ');
}

export const grokking: ReportSection = {
  id: 'grokking',
  title: 'Grokking: memorise first, generalise later (grokking)',
  paper:
    'Power et al. (2022): small networks trained on modular arithmetic reach 100% training accuracy long before held-out accuracy leaves chance, and weight decay is the lever; the fewer of the pairs in training, the longer the delay, until within their budget it does not end. Liu et al. (2022) drew phase diagrams of such runs over hyperparameters: with too little weight decay the net memorises, with enough it generalises (comprehension, or grokking when late), with too much it learns not even the training set (confusion). Gromov (2023) reproduced grokking with a two-layer x² MLP, the set-up here. The textbook reads grokking as low path dependence: every run finds the same algorithm.',
  async build(ctx) {
    // full: 8 particles on the CPU engine. 256 on the GPU engine (issue 20) is the same command
    // with `--engine gpu --particles 256`, and keeps its particles beside the report (particleFields),
    // but it did not fit in a session here: SwiftShader shared with other jobs ran it at 16-59
    // particle-steps/s over 5-minute windows (load 5-20, 2026-12-08; stopped at 34% after 3,902 s,
    // 33 on average), 2-7 h for 384,000 particle-steps. Small: 2, quick.
    const n = ctx.size === 'full' ? 8 : 2;
    const steps = ctx.size === 'full' ? 1500 : 300;
    const engine = 'cpu';
    const command = {
      args: ['train', '--task', 'grokking', '--engine', engine, '--particles', String(n), '--steps', String(steps), '--record-every', '50'],
      // kept past 64 particles: the recorded accuracies grokCurves reads, the outcome and the steps
      particleFields: GROK_PARTICLE_FIELDS,
    };
    // the map: weight decay in half decades around the preset's 1, the training fraction in tenths
    // around its 0.6; one network a cell on the CPU engine (faster than SwiftShader for this model),
    // at the preset's 1,000 steps (small: 3 × 3 cells, 300 steps)
    const png = ctx.figure('grokking-map.png');
    const map = {
      args: [
        'hypermap',
        '--task',
        'grokking',
        '--engine',
        'cpu',
        '--x',
        'wd:0.01:10:log',
        '--y',
        'knob:trainFraction:0.2:0.8',
        '--res',
        ctx.size === 'full' ? '7' : '3',
        ...(ctx.size === 'full' ? [] : ['--steps', '300']),
        '--png',
        png.path,
      ],
    };
    const r = readTrain(await ctx.run(command));
    const m = readHypermap(await ctx.run(map));
    const trainSteps = r.particles.map((p) => p.steps?.train).filter((x): x is number => typeof x === 'number');
    const probeSteps = r.particles.map((p) => p.steps?.probe.generalised).filter((x): x is number => typeof x === 'number');
    const range = (xs: number[]) =>
      xs.length === 0
        ? `none of ${n}`
        : Math.min(...xs) === Math.max(...xs)
          ? `${xs[0]} (${xs.length} of ${n})`
          : `median ${median(xs)}, ${Math.min(...xs)}–${Math.max(...xs)} (${xs.length} of ${n})`;
    const plateaus = plateauShares(r);
    const found = [
      table(
        ['measure', 'value'],
        [
          ['generalised', shareCell(r.fractions.generalised)],
          ['memorised', shareCell(r.fractions.memorised)],
          ['step train accuracy first ≥ 0.9', range(trainSteps)],
          ['step held-out accuracy first ≥ 0.9', range(probeSteps)],
          ['step held-out accuracy first above twice chance, from the fit on', range(plateaus.map((q) => q.leaves))],
          ['distinct Fourier key-frequency sets among the generalised', String(r.fourier?.distinctSets ?? '—')],
        ],
      ),
      '',
      `${n} particles (init seed ${r.config.seed}, noise seed ${r.config.noiseSeed}), ${steps.toLocaleString('en')} steps recorded every 50, on ${r.engine === 'gpu' ? `the GPU engine, ${r.device}` : `the ${r.device}`}, in ${Math.round(r.seconds).toLocaleString('en')} s.${ctx.size === 'full' && n < 64 ? ' So few because the 3,312-parameter net is slow without a real GPU: 256 particles × 1,500 steps on the GPU engine ran at 16–59 particle-steps/s on SwiftShader shared with other jobs (one run stopped at 34% after 65 min), 2–7 h for one run.' : ''} Each share with its 95% Wilson interval; each step as its median and range over the particles that reached it (recorded steps only).`,
      '',
      `The map: weight decay (x) × training fraction (y), ${m.res} × ${m.res} cells of ${m.perCell} network${m.perCell === 1 ? '' : 's'} each, p = ${m.config.knobs?.p ?? '—'}, ${m.config.steps.toLocaleString('en')} steps, every other setting the preset's; ${Math.round(m.seconds)} s${m.engine ? ` on the ${m.engine} engine` : ''}. Each cell's outcome (gen generalised, mem memorised, mix mixed, unc unconverged, div diverged; a split cell with its count):`,
      '',
      grokMapTable(m),
      '',
      table(
        ['outcome over the map', 'share of networks'],
        m.classes.map((c) => [c, shareCell(m.fractions[c])]),
      ),
    ].join('\n');
    const delayed = trainSteps.length > 0 && probeSteps.length > 0 && Math.min(...probeSteps) > Math.max(...trainSteps);
    const allGeneralised = r.particles.length > 0 && r.particles.every((p) => p.outcome === 'generalised');
    const curves = grokCurves(r);
    const differs = [
      curves.length > 0 || r.record ? grokkingVerdict(curves).text : '',
      delayed
        ? `Every particle fit its training pairs (by step ${Math.max(...trainSteps)}) before any reached 0.9 on the held-out ones (from step ${Math.min(...probeSteps)}).`
        : 'The delay between fitting and generalising did not show at this size.',
      r.fourier?.distinctSets && r.fourier.distinctSets > 1
        ? `${allGeneralised ? 'Every particle generalised: the outcome has low path dependence, but the algorithm less so: the' : 'The'} generalised particles used ${r.fourier.distinctSets} distinct sets of key frequencies.`
        : '',
      `The map: ${grokMapVerdict(m)}`,
    ]
      .filter(Boolean)
      .join(' ');
    return {
      commands: [command, map],
      found,
      differs,
      figures: [
        {
          link: png.link,
          caption: `Outcome over weight decay (x, log) and training fraction (y), ${m.res} × ${m.res} cells, ${m.config.steps.toLocaleString('en')} steps: blue generalised, orange memorised, brown mixed, grey unconverged`,
        },
      ],
    };
  },
};
