import { writeFileSync } from 'node:fs';
import { mapBoundaryDimension, type BoxDimension } from '../core/instruments/hypermap/boxDimension';
import type { HypermapData } from '../core/instruments/hypermap/hypermapPicture';
import type { RunConfig } from '../core/config';
import type { Fraction } from '../core/stats';
import { commandLine, type ToolCommand } from './commandRunner';
import type { ReportSection, ReportSize, SectionBody, SectionContext } from './section';

import { shareCell, table } from './markdown';
import { alignedBarrierSection, geometrySection } from './geometrySections';
import { allAtLeast, bothHold, grokkingVerdict, risesSteadily, type GrokCurve } from './verdicts';
import { priorSgdVerdict } from './priorVerdict';

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

const thneebModels: ReportSection = {
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

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const interval = (f: Fraction) => `${pct(f.fraction)} [${(100 * f.low).toFixed(1)}, ${(100 * f.high).toFixed(1)}]`;

const spectral: ReportSection = {
  id: 'spectral',
  title: 'Low frequencies first (spectral)',
  paper:
    'Rahaman et al. (2019): networks fit the low-frequency components of a target before the high ones (spectral bias). Here two square waves of different frequency agree on every training point; the question is which one a trained network extends to inputs where they disagree.',
  async build(ctx) {
    const values = [1, 1.05, 1.1];
    const { commands, results, found } = await knobSweep(ctx, 'spectral', 'ratio', values, ['--engine', 'cpu']);
    const low = results.map((r) => share(r, 'low-frequency'));
    const differs = [
      risesSteadily(low)
        ? `Agrees: the faster the second wave, the more seeds follow the slow one (${low.map(pct).join(' → ')}).`
        : `Differs: the low-frequency share does not rise with the ratio (${low.map(pct).join(', ')}).`,
      share(results[0], 'high-frequency') > share(results[0], 'low-frequency')
        ? 'At ratio 1 the waves have the same frequency and the drawn training points favour the second: what decides is less the frequency than how many class boundaries each wave puts among the training points.'
        : '',
      'Rahaman et al. read the bias along training on regression targets; here it is read at the end, in which wave a net extends.',
    ]
      .filter(Boolean)
      .join(' ');
    return { commands, found, differs };
  },
};

const lms: ReportSection = {
  id: 'lms',
  title: "LMS-5 and Shah et al.'s randomisation test (lms)",
  paper:
    'Shah et al. (2020), LMS-5: one linear coordinate with a margin and 49 five-slab coordinates, rotated. Randomising the linear coordinate drops a trained network to chance; randomising all the slabs leaves it unchanged: the network uses the linear coordinate alone.',
  async build(ctx) {
    const command = { args: ['train', '--task', 'lms', '--particles', String(seeds(ctx.size))] };
    const r = (await ctx.run(command)) as unknown as TrainJson;
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

interface GrokParticle {
  outcome: string;
  steps?: { train: number | null; probe: Record<string, number | null> };
  record?: { probes: Record<string, { acc: number[] }> };
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
    if (reach === undefined || reach <= fit) return [];
    // a curve that never left chance at a recorded step left it when it generalised
    const left = leaves ?? reach;
    return [{ share: (left - fit) / (reach - fit), leaves: left, fit, reach }];
  });
}

/**
 * Every particle that fitted its training pairs (training accuracy ≥ 0.9 at a recorded step): when,
 * the first recorded step from then on with held-out accuracy above twice 1/p, and when held-out
 * accuracy reached 0.9; the grokking verdict's input. Empty without the recorded curves.
 */
export function grokCurves(r: GrokTrainJson): GrokCurve[] {
  const p = r.config?.knobs?.p;
  const steps = r.record?.steps;
  if (!p || !steps) return [];
  const out: GrokCurve[] = [];
  for (const particle of r.particles) {
    const fit = particle.steps?.train;
    const acc = particle.record?.probes.generalised?.acc;
    if (typeof fit !== 'number' || !acc) continue;
    const reach = particle.steps?.probe.generalised;
    const k = steps.findIndex((s, i) => s >= fit && acc[i] > 2 / p);
    out.push({ fit, leaves: k < 0 ? undefined : steps[k], reach: typeof reach === 'number' ? reach : undefined });
  }
  return out;
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

const grokking: ReportSection = {
  id: 'grokking',
  title: 'Grokking: memorise first, generalise later (grokking)',
  paper:
    'Power et al. (2022): small networks trained on modular arithmetic reach 100% training accuracy long before held-out accuracy leaves chance, and weight decay is the lever; the fewer of the pairs in training, the longer the delay, until within their budget it does not end. Liu et al. (2022) drew phase diagrams of such runs over hyperparameters: with too little weight decay the net memorises, with enough it generalises (comprehension, or grokking when late), with too much it learns not even the training set (confusion). Gromov (2023) reproduced grokking with a two-layer x² MLP, the set-up here. The textbook reads grokking as low path dependence: every run finds the same algorithm.',
  async build(ctx) {
    // few particles: the 3,312-parameter net is slow without a GPU (said in the table). 256 (issue
    // 20) does not fit: 256 × 1,500 steps is 384,000 particle-steps, about 5 h on the CPU engine
    // (8 × 1,500 took 605 s) and about an hour on SwiftShader under load (118 particle-steps/s at
    // 64 particles, docs/PERFORMANCE.md item 27); on a real GPU it is the same command with
    // `--engine gpu --particles 256`
    const n = ctx.size === 'full' ? 8 : 2;
    const steps = ctx.size === 'full' ? 1500 : 300;
    const command = {
      args: ['train', '--task', 'grokking', '--engine', 'cpu', '--particles', String(n), '--steps', String(steps), '--record-every', '50'],
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
    const r = (await ctx.run(command)) as unknown as GrokTrainJson;
    const m = (await ctx.run(map)) as unknown as GrokMapJson;
    const trainSteps = r.particles.map((p) => p.steps?.train).filter((x): x is number => typeof x === 'number');
    const probeSteps = r.particles.map((p) => p.steps?.probe.generalised).filter((x): x is number => typeof x === 'number');
    const range = (xs: number[]) => (xs.length ? `${Math.min(...xs)}–${Math.max(...xs)} (${xs.length} of ${n})` : `none of ${n}`);
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
      `${n} particles only (the CPU engine; ${steps} steps, recorded every 50): the model is large for a machine without a GPU.`,
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

interface HypermapJson extends HypermapData {
  fractions: Record<string, Fraction>;
  perCell: number;
  config: RunConfig;
}

/** The box count of a trainability map's boundary: where the cells' majority outcome changes. */
const boundaryOf = (map: HypermapJson): BoxDimension | undefined => mapBoundaryDimension(map.classes, map.counts.flat(), map.res);

/** The dimension in words with its local slopes, or why there is none. */
function dimensionText(map: HypermapJson): string {
  const d = boundaryOf(map);
  if (!d) return `too small a map for a box count (${map.res} × ${map.res} cells)`;
  const slopes = d.localSlopes;
  return `${d.dimension.toFixed(2)} (boxes of ${d.sizes.join(', ')} cells; local slopes ${Math.min(...slopes).toFixed(2)}–${Math.max(...slopes).toFixed(2)})`;
}

/** The fractal preset's default map and the zoom box the report magnifies (both mean-field rates). */
const FRACTAL_ZOOM = { x: 'lr:0:500:3000:log', y: 'lr:1:100:170:log' };

const fractal: ReportSection = {
  id: 'fractal',
  title: 'The trainability boundary (fractal, hypermap)',
  paper:
    'Sohl-Dickstein (2024): in the plane of two layers\u2019 learning rates, the boundary between hyperparameters that train and those that diverge is fractal: it stays intricate at every magnification, over more than ten decades of scale, with a box-counting dimension above 1.',
  async build(ctx) {
    const res = ctx.size === 'full' ? '128' : '16';
    // the zoom runs first: the whole map draws it as an inset from its JSON
    const whole = ctx.figure('fractal.png');
    const zoom = ctx.figure('fractal-zoom.png');
    const zoomJson = ctx.figure('fractal-zoom.json');
    const zoomCommand = {
      args: [
        'hypermap',
        '--task',
        'fractal',
        '--res',
        res,
        '--x',
        FRACTAL_ZOOM.x,
        '--y',
        FRACTAL_ZOOM.y,
        '--colour',
        'score',
        '--png',
        zoom.path,
        '--out',
        zoomJson.path,
      ],
    };
    const b = (await ctx.run(zoomCommand)) as unknown as HypermapJson;
    // the inset reads the zoom from this file: written from the result in hand, kept or fresh
    writeFileSync(zoomJson.path, JSON.stringify(b));
    const wholeCommand = {
      args: ['hypermap', '--task', 'fractal', '--res', res, '--colour', 'score', '--png', whole.path, '--inset', zoomJson.path],
    };
    const a = (await ctx.run(wholeCommand)) as unknown as HypermapJson;
    const commands = [zoomCommand, wholeCommand];
    const range = (m: HypermapJson) => `${m.x!.name} ${m.x!.min}–${m.x!.max}, ${m.y!.name} ${m.y!.min}–${m.y!.max}`;
    const found = [
      table(
        ['map', 'converged', 'diverged', 'boundary dimension'],
        [
          [`whole (${range(a)})`, interval(a.fractions.converged), interval(a.fractions.diverged), dimensionText(a)],
          [`zoom (${range(b)})`, interval(b.fractions.converged), interval(b.fractions.diverged), dimensionText(b)],
        ],
      ),
      '',
      `${res} × ${res} cells, one network each, mean-field rates on both axes; shares over cells with Wilson intervals. The boundary dimension is the box count of the cells where the majority outcome changes (src/core/instruments/hypermap/boxDimension.ts; its tests measure a line and a circle at 1 and a Sierpiński carpet at log 8 / log 3 = 1.89, each within 0.05).`,
    ].join('\n');
    const [dWhole, dZoom] = [boundaryOf(a), boundaryOf(b)];
    const largest = dZoom ? dZoom.sizes[dZoom.sizes.length - 1] : 0;
    // a smooth boundary measures 1 within 0.05 (boxDimension's tests): above 1.1 it is not smooth
    const differs = !dZoom
      ? 'The maps are too small at this size for a box count; the full report measures the boundary dimension.'
      : `After ${a.config.steps} steps, the boundary\u2019s box-counting dimension is ${dZoom.dimension.toFixed(2)} in the zoomed box${dWhole ? ` and ${dWhole.dimension.toFixed(2)} over the whole map` : ''}: ${dZoom.dimension > 1.1 ? 'above 1, so the boundary is rougher than a smooth curve, as he found' : 'near 1, so at this resolution the boundary looks like a smooth curve, unlike his'}. He measured at 4,096² pixels over many zooms and 500–1,000 steps; a ${res}² map with boxes of ${dZoom.sizes[0]} to ${largest} cells reads the dimension over ${Math.log10(largest / dZoom.sizes[0]).toFixed(1)} decades of scale in one zoom, not ten.`;
    return {
      commands,
      found,
      differs,
      figures: [
        {
          link: whole.link,
          caption:
            'Trainability over the two layers\u2019 mean-field learning rates, coloured by the convergence score; the inset magnifies the outlined box',
        },
        { link: zoom.link, caption: 'The zoomed box on its own' },
      ],
    };
  },
};

interface PriorJson {
  samples: number;
  accepted: number;
  acceptance: Fraction;
  priorSeconds: number;
  seconds: number;
  sgd: { particles: number; fitted: number };
  functions: { priorCount: number; sgdCount: number; generalisationError: number | null }[];
  functionCounts: { both: number; priorOnly: number; sgdOnly: number };
  sgdOnPriorFunctions: Fraction | null;
  correlation: {
    value: number;
    low: number;
    high: number;
    spearman: { value: number; low: number; high: number };
    functions: number;
  } | null;
  meanGeneralisationError: Record<'prior' | 'sgd', { value: number; low: number; high: number } | null>;
  problems?: string[];
}

/** The prior experiment's setting: 4 input bits, 3 training points (see docs/instruments/prior.md for why). */
const PRIOR_KNOBS = ['--knob', 'bits=4', '--knob', 'm=3'];

const prior: ReportSection = {
  id: 'prior',
  title: 'Does SGD sample the prior? (boolean, prior)',
  paper:
    'Valle-Pérez et al. (2019) and Mingard et al. (2021): on Boolean functions of 7 bits, the probability that SGD finds a function matches the probability that random parameters from the init compute it (given that they fit the training data): SGD behaves like a Bayesian sampler of the prior, and a log-log scatter of P_SGD(f) against P_prior(f) lies along the diagonal.',
  async build(ctx) {
    const full = ctx.size === 'full';
    const png = ctx.figure('prior-scatter.png');
    const command = {
      args: [
        'prior',
        '--task',
        'boolean',
        ...PRIOR_KNOBS,
        '--engine',
        'cpu',
        '--samples',
        full ? '100000' : '2000',
        '--sgd',
        full ? '1024' : '64',
        '--steps',
        '60',
        '--png',
        png.path,
      ],
    };
    const r = (await ctx.run(command)) as unknown as PriorJson;
    const c = r.correlation;
    const f2 = (x: number) => x.toFixed(2);
    const err = (m: { value: number; low: number; high: number } | null) =>
      m ? `${m.value.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}]` : '—';
    const found = [
      table(
        ['measure', 'value'],
        [
          ['prior samples', r.samples.toLocaleString('en')],
          ['accepted (fit the 3 training points)', `${r.accepted.toLocaleString('en')}: ${interval(r.acceptance)}`],
          ['SGD particles that fit', `${r.sgd.fitted} of ${r.sgd.particles}`],
          [
            'functions found by both / prior only / SGD only',
            `${r.functionCounts.both} / ${r.functionCounts.priorOnly} / ${r.functionCounts.sgdOnly}`,
          ],
          ['Pearson r of log P_SGD against log P_prior (95% bootstrap)', c ? `${f2(c.value)} [${f2(c.low)}, ${f2(c.high)}]` : '—'],
          ['Spearman ρ of the same (95% bootstrap)', c ? `${f2(c.spearman.value)} [${f2(c.spearman.low)}, ${f2(c.spearman.high)}]` : '—'],
          ['fitted SGD particles on a function the prior also found', r.sgdOnPriorFunctions ? interval(r.sgdOnPriorFunctions) : '—'],
          ['mean held-out error, prior / SGD', `${err(r.meanGeneralisationError.prior)} / ${err(r.meanGeneralisationError.sgd)}`],
        ],
      ),
      '',
      `Four input bits (16 inputs) and three training points, so that the 2¹³ completions of the training set are few enough for the prior and SGD to meet on many functions; the paper\u2019s 7 bits and m = 64 accept nothing in 20,000 samples here. ${r.samples.toLocaleString('en')} prior samples took ${Math.round(r.priorSeconds)} s on the CPU engine (${Math.round(r.seconds)} s with SGD); the issue\u2019s 10⁶ is beyond this machine\u2019s budget.`,
      ...(r.problems?.length ? ['', `The command reports: ${r.problems.join('; ')}.`] : []),
    ].join('\n');
    const differs = priorSgdVerdict({ ...r.functionCounts, r: c }).text;
    return {
      commands: [command],
      found,
      differs,
      figures: [
        {
          link: png.link,
          caption:
            'log10 P_SGD(f) (y) against log10 P_prior(f) (x), one point per function both found, coloured by its error on the 13 held-out inputs; the red line is P_SGD = P_prior',
        },
      ],
    };
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
  },
  thneebModels,
  geometrySection,
  alignedBarrierSection,
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
      const differs = allAtLeast(linear, 0.9)
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
        risesSteadily(coin)
          ? 'Agrees: the seek-coin share rises with the random-coin fraction'
          : 'Differs: the seek-coin share does not rise steadily',
        `(${coin.map((x) => (100 * x).toFixed(1) + '%').join(' → ')}).`,
        bothHold(
          values,
          coin,
          results.map((r) => share(r, 'move-right')),
        ).length > 0
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
      const both =
        bothHold(
          values,
          colour,
          results.map((r) => share(r, 'digit')),
        ).length > 0;
      const differs = [
        risesSteadily(colour)
          ? 'Agrees: the colour share rises with salience.'
          : 'Differs: the colour share does not rise steadily with salience.',
        both
          ? 'As in thneeb, at one salience both colour and digit hold at least 10% of the seeds: the seed decides there which cue a network reads.'
          : 'Unlike thneeb, at no salience measured do colour and digit both hold 10% of the seeds.',
      ].join(' ');
      return { commands, found, differs };
    },
  },
  spectral,
  lms,
  grokking,
  fractal,
  prior,
];

/** The report as Markdown: every section with its commands, the paper, what we found and where they differ. */
export function reportMarkdown(size: ReportSize, device: string, built: readonly { section: ReportSection; body: SectionBody }[]): string {
  const parts = [
    '# Findings',
    '',
    `Written by \`npm run report${size === 'full' ? '' : ' -- --size small'}\` with ${device}. Every number below comes from the command printed beside it; run it to check it. ` +
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
      ...(body.figures ?? []).flatMap((f) => [`![${f.caption}](${f.link})`, '', `*${f.caption}*`, '']),
      `**Where they agree and differ.** ${body.differs}`,
      '',
    );
  }
  return parts.join('\n');
}
