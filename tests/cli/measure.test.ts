import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcess, tempDir, writeTemp } from './run';

const dir = tempDir();
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const SMALL = ['--engine', 'cpu', '--particles', '12', '--steps', '150'];

describe('measurement commands: train as train does, or measure --params', () => {
  it('barriers: a symmetric zero-diagonal matrix, clusters, ARI and summary; --params gives the same answer without training', async () => {
    const paramsOut = join(dir, 'barrier-params.json');
    const r = await inProcess(['barriers', ...SMALL, '--points', '5', '--json', '--params-out', paramsOut]);
    expect(r.code, r.stderr).toBe(0);
    const trained = JSON.parse(r.stdout);
    expect(trained.kind).toBe('barriers');
    expect(trained.points).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const b: number[][] = trained.barrier;
    expect(b).toHaveLength(12);
    for (let i = 0; i < 12; i++) {
      expect(b[i][i]).toBe(0);
      for (let j = 0; j < 12; j++) {
        expect(b[i][j]).toBe(b[j][i]);
        expect(b[i][j]).toBeGreaterThanOrEqual(0);
      }
    }
    expect(trained.clusters).toHaveLength(12);
    expect(trained.clustering.method).toMatch(/average-linkage/);
    expect(Object.keys(trained.summary).length).toBeGreaterThan(0);

    const again = await inProcess(['barriers', '--engine', 'cpu', '--params', paramsOut, '--points', '5', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const measured = JSON.parse(again.stdout);
    expect(measured.paramsFile).toBe(paramsOut);
    expect(measured.config.particles).toBe(12);
    expect(measured.particles.map((p: { outcome: string }) => p.outcome)).toEqual(
      trained.particles.map((p: { outcome: string }) => p.outcome),
    );
    // the vectors went through JSON exactly (float32 → double → float32): the same matrix
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) expect(measured.barrier[i][j]).toBeCloseTo(b[i][j], 12);
    expect(readJson(paramsOut).particles).toHaveLength(12);
  });

  it('width: r50 and rLoss per particle (or the bound they lie beyond), the radii and shares measured', async () => {
    const out = join(dir, 'width.json');
    const r = await inProcess(['width', ...SMALL, '--directions', '4', '--radii', '6', '--r-min', '0.05', '--r-max', '5', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/r50 median \[IQR\]/);
    const json = readJson(out);
    expect(json.kind).toBe('width');
    expect(json.width).toMatchObject({ directions: 4, radii: expect.any(Array), rMin: 0.05, rMax: 5, delta: 0.1, directionSeed: 1 });
    expect(json.width.radii).toHaveLength(6);
    // per class: as many particles as the class has (diverged ones have no width)
    for (const [c, spread] of Object.entries(json.width.byClass.r50) as [string, { n: number; problem?: string }][]) {
      expect(spread.n).toBe(json.counts[c]);
      expect(spread.problem !== undefined).toBe(spread.n < 5);
    }
    for (const p of json.particles) {
      if (p.outcome === 'diverged') continue;
      expect(p.widthChanged).toHaveLength(6);
      expect(p.widthLossRise).toHaveLength(6);
      for (const key of ['r50', 'rLoss']) {
        if (p[key] === null) expect(p[`${key}Bound`]).toMatch(/^[<>] /);
        else {
          expect(p[key]).toBeGreaterThanOrEqual(0.05);
          expect(p[key]).toBeLessThanOrEqual(5);
        }
      }
    }
  });

  it('geometry: per class its share and the spread of top eigenvalue, r50 and LLC, from the same particles as each command alone', async () => {
    const lightLlc = ['--chains', '2', '--burnin', '50', '--draws', '100'];
    const r = await inProcess(['geometry', ...SMALL, ...lightLlc, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.kind).toBe('geometry');
    expect(json.sharpness.powerIteration).toMatch(/Rayleigh/);
    expect(json.width.directions).toBe(16);
    expect(json.llc).toBeDefined();
    for (const [c, row] of Object.entries(json.geometry.byClass) as [string, Record<string, { n: number }> & { count: number }][]) {
      expect(row.count).toBe(json.counts[c]);
      for (const key of ['topEigenvalue', 'r50', 'llc']) expect(row[key] === null || row[key].n <= row.count, `${c} ${key}`).toBe(true);
    }
    for (const p of json.particles) expect(Object.keys(p)).toEqual(expect.arrayContaining(['topEigenvalue', 'r50', 'llc']));
    // the same particles measured by width alone give the same r50s
    const w = await inProcess(['width', ...SMALL, '--json']);
    expect(JSON.parse(w.stdout).particles.map((p: { r50: number }) => p.r50)).toEqual(json.particles.map((p: { r50: number }) => p.r50));

    const skipped = JSON.parse((await inProcess(['geometry', ...SMALL, '--skip-llc', '--json'])).stdout);
    expect(skipped.llc).toBeUndefined();
    expect(Object.values(skipped.geometry.byClass).every((row) => !('llc' in (row as object)))).toBe(true);
  });

  it('refuses bad flags and conflicting inputs with one line naming the flag', async () => {
    const params = writeTemp(dir, 'two.json', [Array(81).fill(0.1), Array(81).fill(-0.1)]);
    const cases: [string[], RegExp][] = [
      [['barriers', '--points', '1'], /--points must be an integer from 2 to 100/],
      [['barriers', '--particles', '2000'], /--particles must be an integer from 1 to 1024/],
      [['barriers', '--clusters', '0'], /--clusters/],
      [['width', '--directions', '1000'], /--directions must be an integer from 1 to 256/],
      [['width', '--r-min', '3', '--r-max', '2'], /--r-min must be below --r-max/],
      [['width', '--delta', '-1'], /--delta/],
      [['width', '--params', params, '--init', params], /--params and --init/],
      [['width', '--params', params, '--particles', '3'], /holds 2 vectors but --particles is 3/],
      [['barriers', '--params', join(dir, 'missing.json')], /--params .*missing\.json/],
      [['width', '--params', params, '--params-out', params], /--params-out/],
      [['geometry', '--chains', '0'], /--chains/],
      [['geometry', '--tol', '2'], /--tol/],
      [['geometry', '--radii', '1'], /--radii/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess([...args, '--engine', 'cpu']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
