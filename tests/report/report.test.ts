import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { wilson } from '../../src/core/stats';
import { balancePoint, balanceVerdict, reportMarkdown, SECTIONS, type SectionContext } from '../../src/report/sections';

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
    run: async (c) => {
      seen.push([...c.args]);
      return trainJson(answers[i++]);
    },
  };
  return { ctx, seen };
}

const thneeb = SECTIONS.find((s) => s.id === 'thneeb')!;

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
