import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { initEnsemble, meanFieldGains } from '../../src/core/init';
import { hyperOf, makeRun, trainEnsemble } from '../../src/core/runs';
import { randNormal } from '../../src/core/rng';
import { makeRegressionDataset, type Task } from '../../src/core/task';
import { testSeed } from './helpers';

// A d-n-1 tanh network without biases, in the mean-field form Sohl-Dickstein 2024 trains literally:
// weights u ~ N(0, 1), hidden h = tanh(√2 · u0·x/√d), output u1·h/n, loss mean((output − y)²).
const d = 4;
const n = 5;
const rows = 9;

function regressionTask(seed: number): Task {
  const x = Array.from({ length: rows }, (_, r) => Array.from({ length: d }, (_, k) => randNormal(seed, 0, 99, r, k)));
  const y = Array.from({ length: rows }, (_, r) => [randNormal(seed, 1, 99, r, 0)]);
  return {
    name: 'mean-field check',
    description: '',
    inputs: d,
    classes: 0,
    train: makeRegressionDataset(x, y),
    probes: [],
    params: {},
    loss: 'mse',
    outputs: 1,
  };
}

/** `steps` steps of full-batch gradient descent on the literal mean-field network, in float64. */
function literalMeanField(task: Task, u0: Float64Array, u1: Float64Array, rates: [number, number], steps: number): void {
  const { x, targets } = task.train;
  for (let t = 0; t < steps; t++) {
    const g0 = new Float64Array(u0.length);
    const g1 = new Float64Array(u1.length);
    for (let r = 0; r < rows; r++) {
      const h = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let z = 0;
        for (let k = 0; k < d; k++) z += u0[j * d + k] * x[r * d + k];
        h[j] = Math.tanh((Math.SQRT2 * z) / Math.sqrt(d));
      }
      let out = 0;
      for (let j = 0; j < n; j++) out += (u1[j] * h[j]) / n;
      const dOut = (2 * (out - targets![r])) / rows;
      for (let j = 0; j < n; j++) {
        g1[j] += (dOut * h[j]) / n;
        const dz = ((dOut * u1[j]) / n) * (1 - h[j] * h[j]) * (Math.SQRT2 / Math.sqrt(d));
        for (let k = 0; k < d; k++) g0[j * d + k] += dz * x[r * d + k];
      }
    }
    for (let i = 0; i < u0.length; i++) u0[i] -= rates[0] * g0[i];
    for (let i = 0; i < u1.length; i++) u1[i] -= rates[1] * g1[i];
  }
}

const meanFieldConfig = (over: Partial<RunConfig>): RunConfig => ({
  ...DEFAULT_CONFIG,
  hidden: [n],
  activation: 'tanh',
  bias: false,
  initDist: 'meanfield',
  optimizer: 'sgd',
  lr: 1,
  batch: 'full',
  particles: 1,
  ...over,
});

describe('the mean-field parameterization', () => {
  it('gains: hidden layers 2/fan_in, the readout 1/fan_in²', () => {
    expect(meanFieldGains([16, 16])).toEqual([2 / 16, 1 / 256]);
    expect(meanFieldGains([7, 40, 40])).toEqual([2 / 7, 2 / 40, 1 / 1600]);
  });

  it('init: weights N(0, c²) with c² the layer gain times the init scale squared (sample σ within 3%)', () => {
    const seed = testSeed('meanfield init');
    const shape = { widths: [16, 16, 1], bias: false };
    const particles = 200;
    const scale = 1.5;
    const all = initEnsemble(shape, seed, 0, particles, scale, 'meanfield');
    const std = (pick: (k: number) => boolean) => {
      let s = 0;
      let c = 0;
      all.forEach((v, i) => {
        if (!pick(i % 272)) return;
        s += v * v;
        c++;
      });
      return Math.sqrt(s / c);
    };
    const [hidden, readout] = meanFieldGains([16, 16]).map((g) => scale * Math.sqrt(g));
    expect(Math.abs(std((k) => k < 256) / hidden - 1)).toBeLessThan(0.03);
    expect(Math.abs(std((k) => k >= 256) / readout - 1)).toBeLessThan(0.03);
  });

  it('the config rates are mean-field rates: hyperOf multiplies each layer by its gain', () => {
    const layout = { widths: [16, 16, 1], bias: false };
    expect(hyperOf(meanFieldConfig({ lrScale: [3] }), layout).lrScale).toEqual([(3 * 2) / 16, 1 / 256]);
    expect(hyperOf(meanFieldConfig({ initDist: 'gaussian', lrScale: [3] }), layout).lrScale).toEqual([3, 1]);
  });

  it('training equals gradient descent on the literal mean-field network (relative L2 < 1e-6 after 6 steps)', async () => {
    const seed = testSeed('meanfield training');
    const task = regressionTask(seed);
    const rates: [number, number] = [0.7, 3];
    const config = meanFieldConfig({ seed, lrScale: rates, steps: 6 });
    const run = makeRun(config, task);
    const init = initEnsemble(run.layout, seed, 0, 1, 1, 'meanfield');
    const [c0, c1] = meanFieldGains([d, n]).map(Math.sqrt);
    const u0 = Float64Array.from(init.subarray(0, n * d), (w) => w / c0);
    const u1 = Float64Array.from(init.subarray(n * d), (w) => w / c1);
    literalMeanField(task, u0, u1, rates, config.steps);
    const trained = (await trainEnsemble(new CpuEngine(), run)).params;
    const expected = [...Array.from(u0, (u) => u * c0), ...Array.from(u1, (u) => u * c1)];
    let err = 0;
    let norm = 0;
    let moved = 0;
    expected.forEach((e, i) => {
      err += (trained[i] - e) ** 2;
      norm += e * e;
      moved += (init[i] - e) ** 2;
    });
    // the steps moved the parameters far more than the tolerance, so the check has teeth
    expect(Math.sqrt(moved / norm)).toBeGreaterThan(1e-3);
    expect(Math.sqrt(err / norm)).toBeLessThan(1e-6);
  });
});
