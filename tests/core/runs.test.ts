import { describe, expect, it } from 'vitest';
import { classify, outcomeClasses } from '../../src/core/classify';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config';
import { CpuEngine, evaluateParams } from '../../src/core/cpuEngine';
import { UserError } from '../../src/core/errors';
import { initEnsemble } from '../../src/core/init';
import { paramCount } from '../../src/core/layout';
import { planeGrid, planeThrough } from '../../src/core/plane';
import {
  basinMap,
  gridPoint,
  hyperOf,
  lossMap,
  makeRun,
  planeCoordinates,
  repeatVector,
  runTrainSpec,
  trainEnsemble,
} from '../../src/core/runs';
import { trainSpec } from '../../src/core/trainSpec';
import { corridor } from '../../src/core/tasks/corridor';
import { thneeb } from '../../src/core/tasks/thneeb';
import { testSeed } from './helpers';

const task = thneeb({ salience: 1, examples: 24, dataSeed: 0 });
const config = (over: Partial<RunConfig> = {}): RunConfig => ({
  ...DEFAULT_CONFIG,
  hidden: [6],
  particles: 5,
  steps: 15,
  batch: 8,
  ...over,
});

describe('runs', () => {
  it('makeRun: widths [inputs, hidden..., outputs], one logit for 2 classes, k for k classes', () => {
    expect(makeRun(config({ hidden: [8, 4], activation: 'gelu' }), task).layout).toEqual({ widths: [3, 8, 4, 1], activation: 'gelu' });
    const c = corridor();
    expect(makeRun(config(), c).layout.widths).toEqual([c.inputs, 6, 3]);
  });

  it('hyperOf copies the optimizer settings', () => {
    expect(hyperOf(config({ optimizer: 'adam', lr: 0.02, momentum: 0.5, weightDecay: 0.1, batch: 'full' }), [3, 8, 1])).toEqual({
      optimizer: 'adam',
      lr: 0.02,
      momentum: 0.5,
      weightDecay: 0.1,
      batch: 'full',
      beta1: 0.9,
      beta2: 0.999,
    });
    // the betas go with the Adam family only
    expect(hyperOf(config({ optimizer: 'sgd' }), [3, 8, 1])).not.toHaveProperty('beta1');
  });

  it('trainEnsemble: inits from config.seed at firstParticle, classifies every particle', async () => {
    const seed = testSeed('trainEnsemble');
    const cfg = config({ seed, noiseSeed: seed ^ 5, firstParticle: 3 });
    const run = makeRun(cfg, task);
    const result = await trainEnsemble(new CpuEngine(), run);
    expect(result.classes).toEqual(outcomeClasses(task));
    expect(result.outcomes.length).toBe(5);
    expect(Array.from(result.outcomes)).toEqual(Array.from(classify(task, result.metrics, result.diverged, cfg.thresholds)));
    // the same as driving the engine by hand with initEnsemble(seed, firstParticle = 3)
    const session = await new CpuEngine().startTraining({
      layout: run.layout,
      task,
      hyper: hyperOf(cfg, run.layout),
      init: initEnsemble(run.layout.widths, seed, 3, 5, cfg.initScale),
      particles: 5,
      noiseSeed: cfg.noiseSeed,
      firstParticle: 3,
    });
    await session.advance(cfg.steps);
    expect(Array.from(result.params)).toEqual(Array.from(await session.params()));
  });

  it('trainEnsemble: a split sweep merges into the whole one (particles 0..5 = 0..2 then 3..5)', async () => {
    const seed = testSeed('trainEnsemble split');
    const whole = await trainEnsemble(new CpuEngine(), makeRun(config({ seed, particles: 6 }), task));
    const a = await trainEnsemble(new CpuEngine(), makeRun(config({ seed, particles: 3 }), task));
    const b = await trainEnsemble(new CpuEngine(), makeRun(config({ seed, particles: 3, firstParticle: 3 }), task));
    expect([...a.params, ...b.params]).toEqual(Array.from(whole.params));
    expect([...a.outcomes, ...b.outcomes]).toEqual(Array.from(whole.outcomes));
  });

  it('trainEnsemble: a given init is used as is; a wrong-sized one is refused', async () => {
    const run = makeRun(config({ particles: 2 }), task);
    const P = paramCount(run.layout.widths);
    const v = initEnsemble(run.layout.widths, 9, 0, 1, 1);
    const result = await trainEnsemble(new CpuEngine(), run, { init: repeatVector(v, 2) });
    // same init, different noise streams (particles 0 and 1)
    expect(Array.from(result.params.subarray(0, P))).not.toEqual(Array.from(result.params.subarray(P)));
    await expect(trainEnsemble(new CpuEngine(), run, { init: v })).rejects.toThrow(/expected 2/);
  });

  it('repeatVector and planeCoordinates', () => {
    expect(Array.from(repeatVector(Float32Array.of(1, 2), 3))).toEqual([1, 2, 1, 2, 1, 2]);
    const g = planeCoordinates(3, 2);
    expect([Array.from(g.alphas), Array.from(g.betas)]).toEqual([
      [-2, 0, 2],
      [-2, 0, 2],
    ]);
    expect(g.betas).not.toBe(g.alphas);
    const shifted = planeCoordinates(3, 1, [0.5, -2]);
    expect([Array.from(shifted.alphas), Array.from(shifted.betas)]).toEqual([
      [-0.5, 0.5, 1.5],
      [-3, -2, -1],
    ]);
  });

  it('gridPoint k is column k mod res, row ⌊k / res⌋ (the order of planeGrid and the maps)', () => {
    const grid = { alphas: Float32Array.of(-1, 0, 1), betas: Float32Array.of(10, 20, 30) };
    expect(gridPoint(grid, 0)).toEqual({ i: 0, j: 0, alpha: -1, beta: 10 });
    expect(gridPoint(grid, 5)).toEqual({ i: 2, j: 1, alpha: 1, beta: 20 });
    expect(gridPoint(grid, 7)).toEqual({ i: 1, j: 2, alpha: 0, beta: 30 });
  });

  it('trainSpec: one particle per init vector, noise streams as given; runTrainSpec takes them from the config', () => {
    const cfg = config({ optimizer: 'adam', noiseSeed: 77, firstParticle: 12 });
    const run = makeRun(cfg, task);
    const P = paramCount(run.layout.widths);
    const init = initEnsemble(run.layout.widths, 1, 0, 4, 1);
    expect(runTrainSpec(run, init)).toEqual({
      layout: run.layout,
      task,
      hyper: hyperOf(cfg, run.layout),
      init,
      particles: 4,
      noiseSeed: 77,
      firstParticle: 12,
    });
    expect(trainSpec({ ...run, hyper: hyperOf(cfg, run.layout) }, init.subarray(0, P), { noiseSeed: 1, firstParticle: 0 })).toMatchObject({
      particles: 1,
      noiseSeed: 1,
      firstParticle: 0,
    });
    expect(() => runTrainSpec(run, init.subarray(1))).toThrow(`not a whole number of ${P}-parameter vectors`);
  });

  it('lossMap and basinMap check the plane against the model; basinMap trains every grid point', async () => {
    const seed = testSeed('basinMap');
    const run = makeRun(config({ seed, steps: 5 }), task);
    const widths = run.layout.widths;
    const [a, b, c] = [0, 1, 2].map((k) => initEnsemble(widths, seed, k, 1, 1));
    const plane = planeThrough(a, b, c);
    const grid = { alphas: Float32Array.of(0, 1, 2), betas: Float32Array.of(0, 1) };

    const map = await lossMap(new CpuEngine(), run, plane, grid);
    expect(Array.from(map.subarray(0, 6))).toEqual(Array.from(evaluateParams(run.layout, task, a)));

    const basins = await basinMap(new CpuEngine(), run, plane, grid);
    expect(basins.outcomes.length).toBe(6);
    // grid point k is particle k: its init is planeGrid's k-th vector
    const direct = await trainEnsemble(new CpuEngine(), makeRun({ ...run.config, particles: 6 }, task), {
      init: planeGrid(plane, grid.alphas, grid.betas),
    });
    expect(Array.from(basins.params)).toEqual(Array.from(direct.params));

    const short = { ...plane, d2: plane.d2.subarray(1) };
    const P = paramCount(widths);
    await expect(lossMap(new CpuEngine(), run, short, grid)).rejects.toThrow(UserError);
    await expect(basinMap(new CpuEngine(), run, short, grid)).rejects.toThrow(
      `plane d2 has ${P - 1} values, but a ${widths.join('-')} network has ${P} parameters`,
    );
  });
});
