import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { initEnsemble } from '../../src/core/init';
import { paramCount } from '../../src/core/layout';
import { planeThrough } from '../../src/core/plane';
import { basinResult, gridResult, RESULT_VERSION, summariseOutcomes, trainResult } from '../../src/core/results';
import { basinMap, lossMap, makeRun, trainEnsemble, type EnsembleResult } from '../../src/core/runs';
import { thneeb } from '../../src/core/tasks/thneeb';
import { testSeed } from './helpers';

const task = thneeb({ salience: 1, examples: 16, dataSeed: 0 });
const config = (over: Partial<RunConfig> = {}): RunConfig => ({
  ...DEFAULT_CONFIG,
  hidden: [4],
  particles: 7,
  steps: 10,
  batch: 4,
  ...over,
});

/** A JSON round trip must give back exactly the same object: no NaN, no typed arrays, no undefined. */
function expectJsonRoundTrip(value: unknown): void {
  const text = JSON.stringify(value);
  expect(JSON.parse(text)).toStrictEqual(value);
}

describe('results', () => {
  it('summariseOutcomes: counts per class sum to the particles; fractions with Wilson bounds', () => {
    const s = summariseOutcomes(['a', 'b', 'mixed'], Uint8Array.of(0, 0, 2, 0));
    expect(s.counts).toEqual({ a: 3, b: 0, mixed: 1 });
    expect(s.fractions.a.fraction).toBe(0.75);
    expect(s.fractions.b).toMatchObject({ fraction: 0, low: 0 });
    expect(s.fractions.b.high).toBeGreaterThan(0);
  });

  it('trainResult: counts sum to particles, low ≤ fraction ≤ high, one entry per particle, JSON round trip', async () => {
    const seed = testSeed('trainResult');
    const run = makeRun(config({ seed, firstParticle: 40 }), task);
    const ensemble = await trainEnsemble(new CpuEngine(), run);
    const r = trainResult(run, 'cpu', 'test device', 1.5, ensemble);
    expect(r.kind).toBe('train');
    expect(r.version).toBe(RESULT_VERSION);
    expect(r.config).toEqual(run.config);
    expect(r.model).toEqual({ widths: [3, 4, 1], activation: 'tanh', parameters: paramCount([3, 4, 1]) });
    expect(r.task).toMatchObject({ name: 'thneeb', inputs: 3, classes: 2, trainRows: 16, probes: ['colour', 'shape'] });
    expect([r.engine, r.device, r.seconds]).toEqual(['cpu', 'test device', 1.5]);
    expect(r.classes).toEqual(ensemble.classes);
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(7);
    for (const c of r.classes) {
      const f = r.fractions[c];
      expect(f.fraction, c).toBe(r.counts[c] / 7);
      expect(f.low <= f.fraction && f.fraction <= f.high && f.low >= 0 && f.high <= 1, `${c}: ${JSON.stringify(f)}`).toBe(true);
    }
    expect(r.particles.map((p) => p.index)).toEqual([40, 41, 42, 43, 44, 45, 46]);
    r.particles.forEach((p, i) => {
      expect(p.outcome).toBe(ensemble.classes[ensemble.outcomes[i]]);
      expect(p.trainAcc).toBe(ensemble.metrics[i * 6 + 1]);
      expect(p.probes.shape.acc).toBe(ensemble.metrics[i * 6 + 5]);
    });
    expectJsonRoundTrip(r);
  });

  it('non-finite metrics become null, and the result still round-trips through JSON', () => {
    const run = makeRun(config({ particles: 2 }), task);
    const ensemble: EnsembleResult = {
      classes: ['colour', 'shape', 'mixed', 'unconverged', 'diverged'],
      outcomes: Uint8Array.of(4, 0),
      metrics: Float32Array.of(NaN, 0, NaN, 0, Infinity, 0, 0.1, 1, 0.2, 0.95, 2, 0.05),
      diverged: Uint8Array.of(1, 0),
      params: new Float32Array(2 * paramCount(run.layout.widths)),
    };
    const r = trainResult(run, 'cpu', 'x', 0, ensemble);
    expect(r.particles[0]).toMatchObject({
      outcome: 'diverged',
      trainLoss: null,
      trainAcc: 0,
      probes: { colour: { loss: null, acc: 0 }, shape: { loss: null, acc: 0 } },
    });
    expect(r.particles[1]).toMatchObject({ outcome: 'colour', trainLoss: Math.fround(0.1), trainAcc: 1 });
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    expectJsonRoundTrip(r);
  });

  it('gridResult and basinResult: plane, coordinates and row-major values, JSON round trip', async () => {
    const seed = testSeed('grid and basin results');
    const run = makeRun(config({ seed, steps: 3 }), task);
    const [a, b, c] = [0, 1, 2].map((k) => initEnsemble(run.layout.widths, seed, k, 1, 1));
    const plane = planeThrough(a, b, c);
    const grid = { alphas: Float32Array.of(-1, 0, 1), betas: Float32Array.of(0, 1) };
    const description = { source: 'through' as const, origin: 'three inits' };

    const metrics = await lossMap(new CpuEngine(), run, plane, grid);
    const g = gridResult(run, 'cpu', 'd', 0.25, plane, grid, description, metrics);
    expect(g.kind).toBe('grid');
    expect(g.plane).toMatchObject(description);
    expect(g.plane.center).toEqual(Array.from(a));
    expect([g.res, g.alphas, g.betas]).toEqual([3, [-1, 0, 1], [0, 1]]);
    expect(g.train.loss.length).toBe(6);
    // α fastest: entry j·3 + i
    expect(g.train.loss[1 * 3 + 2]).toBe(metrics[(1 * 3 + 2) * 6]);
    expect(g.probes.colour.acc[4]).toBe(metrics[4 * 6 + 3]);
    expectJsonRoundTrip(g);

    const basins = await basinMap(new CpuEngine(), run, plane, grid);
    const br = basinResult(run, 'cpu', 'd', 0.5, plane, grid, { ...description, seed: 3 }, basins);
    expect(br.kind).toBe('basin');
    expect(br.outcome).toEqual(Array.from(basins.outcomes));
    expect(Object.values(br.counts).reduce((x, y) => x + y, 0)).toBe(6);
    expect(br.plane.seed).toBe(3);
    expectJsonRoundTrip(br);
  });
});
