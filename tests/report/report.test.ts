import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { wilson } from '../../src/core/stats';
import { reportMarkdown } from '../../src/report/reportMarkdown';
import { SECTIONS } from '../../src/report/sections';
import { grokMapTable, grokMapVerdict, plateauShares, type GrokMapJson } from '../../src/report/sections/grokking';
import { balancePoint, balanceVerdict } from '../../src/report/sections/thneebModels';
import type { SectionContext } from '../../src/report/section';

const MAIN = new URL('../../src/report/main.ts', import.meta.url).pathname;

function report(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) =>
    execFile('npx', ['tsx', MAIN, ...args], (error, _stdout, stderr) => done({ code: error ? (error.code as number) : 0, stderr })),
  );
}

/** A fake `train` answer: these counts of these classes, with their Wilson intervals. */
function trainJson(counts: Record<string, number>) {
  const n = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    kind: 'train',
    classes: Object.keys(counts),
    counts,
    fractions: Object.fromEntries(Object.entries(counts).map(([c, k]) => [c, wilson(k, n)])),
  };
}

function fakeContext(answers: Record<string, number>[]): { ctx: SectionContext; seen: string[][] } {
  const seen: string[][] = [];
  let i = 0;
  const ctx: SectionContext = {
    size: 'small',
    figure: (name) => ({ path: `/tmp/${name}`, link: name }),
    write: () => {},
    run: async (c) => {
      seen.push([...c.args]);
      return trainJson(answers[i++]);
    },
  };
  return { ctx, seen };
}

const thneeb = SECTIONS.find((s) => s.id === 'thneeb')!;
const grokking = SECTIONS.find((s) => s.id === 'grokking')!;

/** A particle recorded at steps 0, 100, …, 500: training accuracy 1 from step `fit` on (0.1 before), held-out `acc`. */
const grokParticle = (fit: number, reach: number, acc: number[]) => ({
  outcome: 'generalised',
  steps: { train: fit, probe: { generalised: reach } },
  record: { train: { acc: acc.map((_, i) => (100 * i >= fit ? 1 : 0.1)) }, probes: { generalised: { acc } } },
});

/** A fake `train --record-every 100` of the grokking preset at p = 10 (chance 0.1), two particles fitted at step 100, 0.9 held-out at 500. */
const grokTrain = {
  ...trainJson({ generalised: 2, memorised: 0 }),
  config: { knobs: { p: 10 }, seed: 1, noiseSeed: 2 },
  engine: 'cpu',
  device: 'CPU reference engine (float64, JavaScript)',
  seconds: 41.6,
  record: { steps: [0, 100, 200, 300, 400, 500] },
  particles: [
    // above twice chance at step 200: a quarter of the delay at chance
    grokParticle(100, 500, [0.1, 0.1, 0.3, 0.6, 0.8, 0.95]),
    // still at chance at step 300: three quarters of it
    grokParticle(100, 500, [0.1, 0.1, 0.15, 0.2, 0.5, 0.95]),
  ],
};

const GROK_CLASSES = ['generalised', 'memorised', 'mixed', 'unconverged', 'diverged'];

/** A fake grokking map: rows from the smallest training fraction up, each a string of cells (g m x u d), one network a cell. */
function grokMap(rows: string[]): GrokMapJson {
  const code = 'gmxud';
  const res = rows.length;
  const counts = rows.flatMap((row) => [...row].map((c) => GROK_CLASSES.map((_, k) => (code.indexOf(c) === k ? 1 : 0))));
  const n = counts.length;
  return {
    res,
    perCell: 1,
    xs: [0.01, 0.32, 10].slice(0, res),
    ys: [0.2, 0.5, 0.8].slice(0, res),
    classes: GROK_CLASSES,
    counts,
    meanLoss: counts.map((c) => (c[3] ? 3.1 : 0.001)),
    fractions: Object.fromEntries(GROK_CLASSES.map((c, k) => [c, wilson(counts.filter((x) => x[k]).length, n)])),
    config: { steps: 1000, knobs: { p: 23 } },
    seconds: 12,
    engine: 'cpu',
  };
}

describe('the findings report', () => {
  test("a sweep section tabulates each command's shares with their intervals, and reads agreement off the numbers", async () => {
    const rising = [
      { colour: 5, shape: 20, mixed: 7 },
      { colour: 12, shape: 10, mixed: 10 },
      { colour: 25, shape: 2, mixed: 5 },
    ];
    const { ctx, seen } = fakeContext(rising);
    const body = await thneeb.build(ctx);
    expect(seen.map((a) => a.join(' '))).toEqual(body.commands.map((c) => c.args.join(' ')));
    expect(seen[0]).toEqual(['train', '--particles', '32', '--knob', 'salience=0.875']);
    const w = wilson(12, 32);
    expect(body.found).toContain(`| 1 | ${(100 * w.fraction).toFixed(1)}% [${(100 * w.low).toFixed(1)}, ${(100 * w.high).toFixed(1)}] |`);
    expect(body.differs).toContain('Agrees: at salience 0.875, 1 both colour and shape');
    expect(body.differs).toContain('Agrees: the colour share rises with salience.');

    const falling = fakeContext([rising[2], rising[1], { colour: 0, shape: 32, mixed: 0 }]);
    const other = await thneeb.build(falling.ctx);
    expect(other.differs).toContain('Differs: the colour share does not rise steadily');
  });

  test('the balance point interpolates where colour − shape changes sign, and is absent when it never does', () => {
    expect(balancePoint([0.5, 1, 1.5], [-0.4, -0.2, 0.2])).toBeCloseTo(1.25, 12);
    expect(balancePoint([0.5, 1, 1.5], [0.3, 0, -0.2])).toBe(1);
    expect(balancePoint([0.5, 1, 1.5], [0.1, 0.2, 0.3])).toBeUndefined();
  });

  test('the balance moves only when intervals are apart, or a balance lies beyond the range', () => {
    const range = [0.75, 1, 1.25];
    const a = { label: 'A', mid: 1, low: 0.99, high: 1.01 };
    expect(balanceVerdict([a, { label: 'B', mid: 1.005, low: 1, high: 1.02 }], range)).toMatch(/^Every balance interval overlaps/);
    expect(balanceVerdict([a, { label: 'B', mid: 0.94, low: 0.93, high: 0.95 }], range)).toBe(
      'The balance moves with the learner: B balances at 0.940 [0.930, 0.950], A at 1.000 [0.990, 1.010] (intervals apart).',
    );
    expect(balanceVerdict([a, { label: 'C', beyond: 'below' }], range)).toContain('C balances below the range measured');
  });

  test('the grokking map reads memorise-then-generalise off its cells along both axes, and says where the order breaks', () => {
    // bottom row first: fraction 0.2, 0.5, 0.8; columns weight decay 0.01, 0.32, 10
    const ordered = grokMapVerdict(grokMap(['mmu', 'mxu', 'mgu']));
    expect(ordered).toContain('Agrees on weight decay');
    expect(ordered).toContain('by fraction: 0.8 → 0.32)');
    expect(ordered).toContain('Agrees on data');
    expect(ordered).toContain('by weight decay: 0.32 → 0.8)');
    expect(ordered).toContain('Nothing generalised below a training fraction of 0.8 or below a weight decay of 0.32');
    expect(ordered).toContain(
      '3 cells fit not even the training pairs (`unconverged`), all at the large-decay side, from weight decay 10 on',
    );
    expect(ordered).toContain('ln 23 = 3.14');
    expect(ordered).toContain(
      'Generalising closes again at large decay: past the last generalised cell of each row lie only unconverged cells (the most weight decay that generalised, by fraction: 0.8 → 0.32).',
    );
    expect(ordered).not.toContain('diagonally');
    expect(ordered).toContain(
      '1 cell is `mixed` (held-out accuracy part way to generalising), next to a generalised cell: at this resolution',
    );

    const broken = grokMapVerdict(grokMap(['mmm', 'gmm', 'ggm']));
    expect(broken).toContain('Differs on weight decay');
    expect(broken).toContain('Agrees on data');
    expect(broken).not.toContain('unconverged');
    expect(broken).toContain('does not move with the fraction');
    const diagonal = grokMapVerdict(grokMap(['mmm', 'mgg', 'ggg']));
    expect(diagonal).toContain(
      'The boundary runs diagonally: the more of the pairs in training, the less weight decay generalising needs.',
    );
    expect(diagonal).not.toContain('closes again');
    expect(grokMapVerdict(grokMap(['mm', 'mm']))).toContain('Differs: no cell generalised within 1,000 steps');
  });

  test('the grokking map table puts the largest fraction on top, and a split cell with its count', () => {
    const m = grokMap(['mm', 'gm']);
    m.perCell = 2;
    m.counts[2] = [1, 1, 0, 0, 0];
    expect(grokMapTable(m).split('\n')).toEqual([
      '| fraction \\ wd | 0.01 | 0.32 |',
      '| --- | --- | --- |',
      '| 0.5 | gen 1/2 | mem |',
      '| 0.2 | mem | mem |',
    ]);
  });

  test('the plateau is the share of the delay spent with held-out accuracy at most twice chance', () => {
    expect(plateauShares(grokTrain)).toEqual([
      { share: 0.25, leaves: 200, fit: 100, reach: 500 },
      { share: 0.75, leaves: 400, fit: 100, reach: 500 },
    ]);
  });

  test('the grokking section runs its train and its map, and draws the map with the command', async () => {
    const seen: string[][] = [];
    const ctx: SectionContext = {
      size: 'small',
      figure: (name) => ({ path: `/tmp/${name}`, link: `findings/${name}` }),
      write: () => {},
      run: async (c) => {
        seen.push([...c.args]);
        if (c.args[0] === 'hypermap') return { kind: 'hypermap', ...grokMap(['mmu', 'mgu', 'ggu']) };
        return grokTrain;
      },
    };
    const body = await grokking.build(ctx);
    expect(seen.map((a) => a.join(' '))).toEqual(body.commands.map((c) => c.args.join(' ')));
    expect(seen[1]).toEqual([
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
      '3',
      '--steps',
      '300',
      '--png',
      '/tmp/grokking-map.png',
    ]);
    expect(body.figures?.[0].link).toBe('findings/grokking-map.png');
    expect(body.found).toContain('| 0.8 | gen | gen | unc |');
    expect(body.differs).toContain('The map: Agrees on weight decay');
    // the engine, the particles and the seconds the run took, as the result says them
    expect(body.found).toContain(
      '2 particles (init seed 1, noise seed 2), 300 steps recorded every 50, on the CPU reference engine (float64, JavaScript), in 42 s.',
    );
    expect(body.found).toContain('| step held-out accuracy first above twice chance, from the fit on | median 200, 200–400 (2 of 2) |');
    expect(body.differs).toContain(
      'Differs: gradual. Only 0 of 2 particles that fitted kept held-out accuracy at chance (at most twice 1/p) for at least 10× the steps the training pairs took to fit, then rising to 0.9; held-out accuracy left chance 1–3× the fitting time after the fit (fitted at steps 100, left chance at 200–400, 0.9 held-out at 500).',
    );
    // no sentence about the plateau without the curves to read it from
    const bare = await grokking.build({
      ...ctx,
      run: async (c) =>
        (c.args[0] === 'hypermap'
          ? { kind: 'hypermap', ...grokMap(['mmu', 'mgu', 'ggu']) }
          : { ...grokTrain, record: undefined }) as unknown as Record<string, unknown>,
    });
    expect(bare.differs).not.toContain('plateau');
  });

  test('the Markdown has every section with its commands, the paper, the findings and the verdict', async () => {
    const { ctx } = fakeContext([
      { colour: 5, shape: 20, mixed: 7 },
      { colour: 12, shape: 10, mixed: 10 },
      { colour: 25, shape: 2, mixed: 5 },
    ]);
    const md = reportMarkdown('small', 'a test device', [{ section: thneeb, body: await thneeb.build(ctx) }]);
    expect(md).toContain('## Colour or shape (thneeb)');
    expect(md).toContain('```sh\nnpx basin-atlas train --particles 32 --knob salience=0.875\n');
    expect(md).toContain('**What the paper found.** Cotra (2021)');
    expect(md).toContain('**Where they agree and differ.** Agrees');
    expect(md).toContain('Size: small');
  });

  test('npm run report -- --size small builds a real section through the command line', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'report-')), 'FINDINGS.md');
    const r = await report(['--size', 'small', '--only', 'simplicity', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('npx basin-atlas train --task simplicity --particles 32 --knob margin=0.02');
    const rows = md.split('\n').filter((l) => /^\| 0\.(1|02) \|/.test(l));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const shares = [...row.matchAll(/([\d.]+)% \[([\d.]+), ([\d.]+)\]/g)].map((m) => m.slice(1).map(Number));
      expect(shares).toHaveLength(5);
      for (const [x, lo, hi] of shares) expect(lo <= x && x <= hi).toBe(true);
      // the classes of one run share its 32 particles out
      expect(shares.reduce((a, [x]) => a + x, 0)).toBeCloseTo(100, 0);
    }
    // the results are kept beside the report, a line per field, each stamped with its task's defaults
    const cacheFile = join(dirname(out), 'findings-results.json');
    const text = readFileSync(cacheFile, 'utf8');
    const cache = JSON.parse(text) as Record<string, Record<string, unknown>>;
    const lines = Object.keys(cache);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(cache[line]._presetDefaults as string).knobs).toHaveProperty('margin');
    expect(text.split('\n').filter((l) => l.startsWith('  "counts": {'))).toHaveLength(2);
    // a result kept under other defaults runs again; the other is read back
    cache[lines[0]]._presetDefaults = '{"defaults":{"lr":9}}';
    writeFileSync(cacheFile, JSON.stringify(cache));
    const again = await report(['--size', 'small', '--only', 'simplicity', '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`${lines[0]}: its task's defaults changed since it was kept, running it again`);
    expect(again.stderr).toContain(`${lines[1]} (kept from an earlier run)`);
    expect(again.stderr).not.toContain(`${lines[0]} (kept from an earlier run)`);
  });

  test('bad flags stop it before it runs anything, naming the flag and what it takes', async () => {
    expect(await report(['--size', 'huge'])).toEqual({ code: 2, stderr: 'report: --size must be small or full, got "huge"\n' });
    const only = await report(['--only', 'thneeb,nope']);
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/^report: --only: unknown section "nope"; the sections: thneeb, /);
  });
});
