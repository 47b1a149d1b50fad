import { describe, expect, it } from 'vitest';
import { inProcess } from './run';

// batch 1, lr 0.8: the noise splits rows too (row 0 reads 1, 2, 1, 2), so a wrong stream would show
const RUN = ['--engine', 'cpu', '--steps', '300', '--batch', '1', '--lr', '0.8', '--seed', '3'];

describe('basin-atlas decompose', () => {
  it('every cell (i, j) is exactly the particle train gives with --init-index i --first-particle j', async () => {
    const r = await inProcess(['decompose', ...RUN, '--inits', '3', '--noises', '4', '--resamples', '50', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.kind).toBe('decompose');
    expect(d.outcomes).toHaveLength(3);
    expect(d.outcomes[0]).toHaveLength(4);
    expect(d.entropyUnit).toBe('bits');
    for (const key of ['initShare', 'noiseShare']) {
      if (d[key].value === null) continue;
      expect(d[key].low).toBeLessThanOrEqual(d[key].value);
      expect(d[key].high).toBeGreaterThanOrEqual(d[key].value);
    }
    expect(d.purity).toHaveLength(3);
    expect(new Set(d.outcomes[0]).size, 'row 0 splits by noise').toBeGreaterThan(1);
    expect(d.rerun).toMatch(/--init-index i --first-particle j --particles 1/);
    const total = Object.values(d.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(12);
    for (let i = 0; i < 3; i++) {
      // one train run per row: particles 0..3 of the row draw noise streams 0..3, all from init i
      const row = await inProcess(['train', ...RUN, '--init-index', String(i), '--particles', '4', '--json']);
      expect(row.code, row.stderr).toBe(0);
      const outcomes = JSON.parse(row.stdout).particles.map((p: { outcome: string }) => d.classes.indexOf(p.outcome));
      expect(outcomes, `row ${i}`).toEqual(d.outcomes[i]);
    }
    // and one cell alone, as the JSON says
    const cell = await inProcess(['train', ...RUN, '--init-index', '2', '--first-particle', '3', '--particles', '1', '--json']);
    expect(d.classes.indexOf(JSON.parse(cell.stdout).particles[0].outcome)).toBe(d.outcomes[2][3]);
  });

  it('refuses what would make the cells ambiguous, and bad sizes, with one line naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['decompose', '--particles', '10'], /decompose takes no --particles/],
      [['decompose', '--first-particle', '2'], /decompose takes no --first-particle/],
      [['decompose', '--init-index', '2'], /decompose takes no --init-index/],
      [['decompose', '--inits', '0'], /--inits must be an integer from 1 to 4096/],
      [['decompose', '--noises', 'many'], /--noises/],
      [['decompose', '--inits', '4096', '--noises', '4096'], /at most 262144 cells/],
      [['decompose', '--resamples', '5'], /--resamples/],
      [['train', '--init-index', '-1'], /--init-index must be an integer from 0/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess([...args, '--engine', 'cpu']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
