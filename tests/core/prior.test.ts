import { describe, expect, it } from 'vitest';
import { domainRows, functionWords, samplePriorCpu } from '../../src/core/analysis/priorSampler';
import type { PriorSpec } from '../../src/core/engine';
import { drawInit, initParticle } from '../../src/core/init';
import { layerSpans, paramCount, type ModelLayout } from '../../src/core/layout';
import { PURPOSE_INIT, PURPOSE_PRIOR, randNormal } from '../../src/core/rng';
import { wilson } from '../../src/core/stats';
import type { Task } from '../../src/core/task';
import { testSeed } from './helpers';
import { seeded } from '../helpers/random';

/** z of a two-sided 99.9% interval: a correct sampler fails one run in a thousand */
const Z999 = 3.2905;

function binaryTask(rand: () => number, inputs: number, train: number, probe: number): Task {
  const set = (n: number) => ({
    x: new Float32Array(n * inputs).map(() => 2 * rand() - 1),
    y: Int32Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0)),
    rows: n,
  });
  return {
    name: 'random',
    description: 'test',
    inputs,
    classes: 2,
    train: set(train),
    probes: [{ name: 'p', data: set(probe) }],
    params: {},
  };
}

/** A forward pass written out plainly (ReLU hidden layers, one logit), independent of src/core/mlp.ts. */
function logit(layout: ModelLayout, params: Float64Array, x: Float32Array, row: number): number {
  let a = Array.from(x.subarray(row * layout.widths[0], (row + 1) * layout.widths[0]), Number);
  const spans = layerSpans(layout);
  spans.forEach((s, l) => {
    const out = Array.from({ length: s.fanOut }, (_, o) => {
      let sum = params[s.b + o];
      for (let i = 0; i < s.fanIn; i++) sum += params[s.w + o * s.fanIn + i] * a[i];
      return l === spans.length - 1 ? sum : Math.max(0, sum);
    });
    a = out;
  });
  return a[0];
}

const spec = (task: Task, layout: ModelLayout, seed: number, samples: number): PriorSpec => ({
  layout,
  task,
  dist: 'gaussian',
  scale: 1,
  seed,
  firstSample: 0,
  samples,
});

describe('prior sampler (CPU reference)', () => {
  const layout: ModelLayout = { widths: [3, 8, 6, 1], activation: 'relu' };

  it('accepts every sample when the training set is empty', async () => {
    const rand = seeded(testSeed('prior empty'));
    const task = binaryTask(rand, 3, 0, 12);
    const result = await samplePriorCpu(spec(task, layout, 7, 300));
    expect(Array.from(result.accepted)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('accepts about half the samples on one training point: the Gaussian init makes the logit symmetric about 0', async () => {
    const seed = testSeed('prior one point');
    const rand = seeded(seed);
    const task = binaryTask(rand, 3, 1, 4);
    const n = 4000;
    const result = await samplePriorCpu(spec(task, layout, seed, n));
    const w = wilson(result.accepted.length, n, Z999);
    expect(w.low, `${result.accepted.length} of ${n} accepted: 99.9% interval [${w.low}, ${w.high}]`).toBeLessThanOrEqual(0.5);
    expect(w.high).toBeGreaterThanOrEqual(0.5);
  });

  it('records each accepted function as the signs of a plain forward pass on every row, train rows first', async () => {
    const seed = testSeed('prior bits');
    const rand = seeded(seed);
    // 40 rows: two words, the second partly used
    const task = binaryTask(rand, 3, 2, 38);
    const { accepted, bits } = await samplePriorCpu({ ...spec(task, layout, seed, 400), firstSample: 1000 });
    const words = functionWords(domainRows(task));
    expect(words).toBe(2);
    const params = new Float64Array(paramCount(layout));
    const sets = [task.train, task.probes[0].data];
    let checked = 0;
    for (let s = 1000; s < 1400; s++) {
      drawInit(layout, 'gaussian', 1, seed, s, PURPOSE_PRIOR, params);
      const signs = sets.flatMap((d) => Array.from({ length: d.rows }, (_, r) => (logit(layout, params, d.x, r) > 0 ? 1 : 0)));
      const fits = signs.slice(0, 2).every((b, r) => b === task.train.y[r]);
      const k = accepted.indexOf(s);
      expect(k >= 0, `sample ${s} fits the training rows: ${fits}`).toBe(fits);
      if (k < 0) continue;
      const got = signs.map((_, r) => (bits[k * words + (r >> 5)] >>> (r & 31)) & 1);
      expect(got, `sample ${s}`).toEqual(signs);
      expect(bits[k * words + 1] >>> 8, 'bits past the last row are 0').toBe(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('Gaussian init', () => {
  it('draws N(0, scale²/fan_in) weights and N(0, scale²) biases from the init stream, the same draw as the prior sampler', () => {
    const seed = testSeed('gaussian init');
    const widths = [50, 40, 1];
    const scale = 1.5;
    const p = initParticle(widths, seed, 3, scale, 'gaussian');
    const [first] = layerSpans(widths);
    expect(p[first.w + 7]).toBe(Math.fround((scale / Math.sqrt(50)) * randNormal(seed, 3, PURPOSE_INIT, 0, first.w + 7)));
    expect(p[first.b + 2]).toBe(Math.fround(scale * randNormal(seed, 3, PURPOSE_INIT, 0, first.b + 2)));
    // 2,000 weights: their variance is scale²/50 within a few standard errors (√(2/n) relative)
    const weights = Array.from(p.subarray(first.w, first.b));
    const variance = weights.reduce((s, v) => s + v * v, 0) / weights.length;
    expect(Math.abs(variance / ((scale * scale) / 50) - 1)).toBeLessThan(4 * Math.sqrt(2 / weights.length));
    const prior = new Float64Array(paramCount(widths));
    drawInit(widths, 'gaussian', scale, seed, 3, PURPOSE_INIT, prior);
    expect(Array.from(p)).toEqual(Array.from(prior, Math.fround));
  });
});
