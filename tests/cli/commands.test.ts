import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paramCount } from '../../src/core/layout';
import { Mlp } from '../../src/core/mlp';
import { planePoint } from '../../src/core/plane';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { cli, inProcess, tempDir, writeTemp, type CliResult } from './run';

const dir = tempDir();
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const SMALL = ['--particles', '32', '--steps', '40'];
const P = paramCount([3, 16, 1]);

describe('basin-atlas tasks', () => {
  it('lists every built-in task with a one-line description', async () => {
    const r = await inProcess(['tasks']);
    expect(r.code).toBe(0);
    for (const name of ['thneeb', 'simplicity', 'corridor', 'digits', 'grokking', 'fractal', 'spectral', 'lms', 'boolean'])
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s+\\S.+`, 'm'));
  });
});

describe('basin-atlas train', () => {
  // the two runs of SMALL start together: each process spends much of its time starting, on one core
  let asJson: Promise<CliResult>;
  let asTable: Promise<CliResult>;
  beforeAll(() => {
    asJson = cli(['train', ...SMALL, '--json']);
    asTable = cli(['train', ...SMALL]);
  });

  it('reports counts, Wilson fractions, particles and the resolved configuration as JSON', async () => {
    const r = await asJson;
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.kind).toBe('train');
    expect(result.config).toMatchObject({
      task: 'thneeb',
      particles: 32,
      steps: 40,
      seed: 1,
      noiseSeed: 2,
      firstParticle: 0,
      hidden: [16],
      batch: 16,
    });
    expect(result.device).toMatch(/\S/);
    expect(result.classes).toEqual(['colour', 'shape', 'mixed', 'unconverged', 'diverged']);
    const counts = Object.values(result.counts) as number[];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(32);
    for (const c of result.classes) {
      const f = result.fractions[c];
      expect(f.fraction).toBeCloseTo(result.counts[c] / 32, 12);
      expect(f.low).toBeLessThanOrEqual(f.fraction);
      expect(f.high).toBeGreaterThanOrEqual(f.fraction);
    }
    expect(result.particles).toHaveLength(32);
    expect(result.particles[5]).toMatchObject({ index: 5, outcome: expect.any(String), trainAcc: expect.any(Number) });
    expect(Object.keys(result.particles[5].probes)).toEqual(['colour', 'shape']);
  });

  it('prints a human-readable table by default', async () => {
    const r = await asTable;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/colour\s+\d+\s+[\d.]+%\s+\[[\d.]+%, [\d.]+%\]/);
    expect(r.stdout).toMatch(/particle-steps\/s/);
  });

  it('--engine gpu finds SwiftShader by itself, with no Vulkan variable set by the user', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VK_')));
    const r = await cli(['train', ...SMALL, '--engine', 'gpu', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).engine).toBe('gpu');
  });

  it('--engine cpu runs the CPU reference engine', async () => {
    const r = await inProcess(['train', '--particles', '4', '--steps', '10', '--engine', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ engine: 'cpu', device: expect.stringMatching(/CPU/) });
  });

  it('--first-particle K: particle K of a big run equals particle 0 of a run started at K', async () => {
    const all = join(dir, 'all.json');
    const one = join(dir, 'one.json');
    // two processes at once: each spends much of its time starting, on one core
    const runs = await Promise.all([
      cli(['train', '--particles', '8', '--steps', '30', '--params-out', all]),
      cli(['train', '--particles', '1', '--first-particle', '5', '--steps', '30', '--params-out', one]),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(readJson(one).particles[0]).toEqual(readJson(all).particles[5]);
  });

  it('--init: one vector starts every particle there; a list gives one particle each', async () => {
    const start = Array.from({ length: P }, (_, k) => Math.sin(k));
    const single = writeTemp(dir, 'init1.json', start);
    const list = writeTemp(dir, 'init3.json', [start, start.map((x) => -x), start.map((x) => 2 * x)]);
    const [r1, r3] = (
      await Promise.all([
        cli(['train', '--init', single, '--particles', '3', '--steps', '1', '--batch', 'full', '--json']),
        cli(['train', '--init', list, '--steps', '1', '--json']),
      ])
    ).map((r) => JSON.parse(r.stdout));
    // full batch from the same point: every particle ends in the same place
    expect(new Set(r1.particles.map((p: { trainLoss: number }) => p.trainLoss)).size).toBe(1);
    expect(r3.config.particles).toBe(3);
    expect(r3.initFile).toBe(list);
  });
});

describe('basin-atlas grid', () => {
  it('writes a loss map whose values are the loss at center + α·d1 + β·d2, α fastest', async () => {
    const out = join(dir, 'loss.json');
    const r = await cli(['grid', '--res', '8', '--steps', '40', '--span', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const g = readJson(out);
    expect(g.kind).toBe('grid');
    expect(g.plane.center).toHaveLength(P);
    expect(g.plane.d1).toHaveLength(P);
    expect(g.plane.source).toBe('random');
    expect(g.alphas).toHaveLength(8);
    expect(g.alphas[0]).toBeCloseTo(-2, 6);
    expect(g.train.loss).toHaveLength(64);
    expect(g.probes.shape.acc).toHaveLength(64);
    const preset = findPreset('thneeb')!;
    const task = preset.build(defaultKnobs(preset));
    const mlp = new Mlp({ widths: [3, 16, 1], activation: 'tanh' });
    const plane = { center: Float32Array.from(g.plane.center), d1: Float32Array.from(g.plane.d1), d2: Float32Array.from(g.plane.d2) };
    for (const [i, j] of [
      [0, 0],
      [7, 0],
      [2, 5],
      [6, 7],
    ]) {
      const [loss, acc] = mlp.evaluate(planePoint(plane, g.alphas[i], g.betas[j]), task.train);
      expect(g.train.loss[j * 8 + i], `train loss at (${i}, ${j})`).toBeCloseTo(loss, 4);
      expect(g.train.acc[j * 8 + i], `train acc at (${i}, ${j})`).toBeCloseTo(acc, 6);
    }
  });

  it('uses --center/--d1/--d2 exactly as given, and --through three vectors', async () => {
    const v = (f: (k: number) => number) => Array.from({ length: P }, (_, k) => f(k));
    const c = writeTemp(
      dir,
      'c.json',
      v((k) => Math.cos(k)),
    );
    const d1 = writeTemp(
      dir,
      'd1.json',
      v((k) => (k % 3) - 1),
    );
    const d2 = writeTemp(
      dir,
      'd2.json',
      v((k) => 0.5 * ((k % 2) - 0.5)),
    );
    const three = writeTemp(dir, 'three.json', [readJson(c), readJson(d1), readJson(d2)]);
    const [r, through] = await Promise.all([
      cli(['grid', '--res', '4', '--center', c, '--d1', d1, '--d2', d2, '--json']),
      cli(['grid', '--res', '4', '--through', three, '--json']),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const g = JSON.parse(r.stdout);
    expect(g.plane.source).toBe('given');
    expect(g.plane.d1).toEqual(readJson(d1));
    expect(g.plane.center).toEqual(Array.from(Float32Array.from(readJson(c))));
    const t = JSON.parse(through.stdout);
    expect(t.plane.source).toBe('through');
    expect(t.plane.d1[4]).toBeCloseTo(readJson(d1)[4] - readJson(c)[4], 5);
  });
});

describe('basin-atlas basin', () => {
  it('trains every grid point and writes its outcome class', async () => {
    const out = join(dir, 'basin.json');
    const params = join(dir, 'basin-params.json');
    const r = await cli(['basin', '--res', '6', '--steps', '60', '--out', out, '--params-out', params]);
    expect(r.code, r.stderr).toBe(0);
    const b = readJson(out);
    expect(b.kind).toBe('basin');
    expect(b.outcome).toHaveLength(36);
    expect(b.config.particles).toBe(36);
    for (const o of b.outcome) expect(o).toBeLessThan(b.classes.length);
    expect(Object.values(b.counts).reduce((a: number, x) => a + (x as number), 0)).toBe(36);
    expect(readJson(params).particles).toHaveLength(36);
    expect(r.stdout).toMatch(/basin map 6×6/);
  });
});

describe('task files', () => {
  const xor = (n: number) => Array.from({ length: n }, (_, i) => [((i >> 1) & 1) * 2 - 1 + 0.01 * i, (i & 1) * 2 - 1, 0.5]);
  const label = (x: number[]) => (x[0] > 0 !== x[1] > 0 ? 1 : 0);

  it('trains on a JSON task file', async () => {
    const rows = xor(16);
    const file = writeTemp(dir, 'task.json', {
      name: 'xor-or-first',
      inputs: 3,
      classes: 2,
      train: { x: rows, y: rows.map(label) },
      probes: { xor: { x: rows, y: rows.map(label) }, first: { x: rows, y: rows.map((x) => (x[0] > 0 ? 1 : 0)) } },
    });
    const r = await cli(['train', '--task', file, '--particles', '8', '--steps', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.task).toMatchObject({ name: 'xor-or-first', inputs: 3, trainRows: 16, probes: ['xor', 'first'] });
    expect(result.classes).toEqual(['xor', 'first', 'mixed', 'unconverged', 'diverged']);
  });

  it('trains on CSV files with --train and --probe', async () => {
    const csv = (rows: number[][], y: (x: number[]) => number) => ['x0,x1,x2,y', ...rows.map((x) => [...x, y(x)].join(','))].join('\n');
    const rows = xor(12);
    const train = writeTemp(dir, 'train.csv', csv(rows, label));
    const probe = writeTemp(
      dir,
      'probe.csv',
      csv(rows, (x) => (x[1] > 0 ? 1 : 0)),
    );
    const r = await cli(['train', '--train', train, '--probe', `second=${probe}`, '--particles', '4', '--steps', '10', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).classes[0]).toBe('second');
  });
});
