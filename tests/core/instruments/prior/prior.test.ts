import { describe, expect, it } from 'vitest';
import { comparePriorAndSgd, functionHex, probeError } from '../../../../src/core/instruments/prior/prior';
import { domainRows, functionWords, samplePriorCpu } from '../../../../src/core/instruments/prior/priorSampler';
import type { PriorSpec } from '../../../../src/core/engine';
import { drawInit, initParticle } from '../../../../src/core/init';
import { layerSpans, paramCount, type ModelLayout } from '../../../../src/core/layout';
import { PURPOSE_INIT, PURPOSE_PRIOR, randNormal } from '../../../../src/core/rng';
import { wilson } from '../../../../src/core/stats';
import type { Task } from '../../../../src/core/task';
import { testSeed } from '../../helpers';
import { seeded } from '../../../helpers/random';

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
    // one label on both training rows: networks at init lean towards constant functions, so many fit
    task.train.y.fill(1);
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
    expect(checked).toBeGreaterThan(40);
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

describe('comparing the prior and SGD function by function', () => {
  // 2 training rows, a probe of 3: 5 domain rows, one word of bits
  const task: Task = {
    name: 'hand',
    description: 'hand-built',
    inputs: 1,
    classes: 2,
    train: { x: new Float32Array([0, 1]), y: Int32Array.from([1, 0]), rows: 2 },
    probes: [{ name: 'p', data: { x: new Float32Array([2, 3, 4]), y: Int32Array.from([1, 1, 0]), rows: 3 } }],
    params: {},
  };
  // rows 0..4 as bits: A = 1,0,1,1,0 (no probe error), B = 1,0,0,1,0 (one of 3 wrong), C = 1,0,0,0,1 (all 3 wrong)
  const [A, B, C] = [0b01101, 0b01001, 0b10001];
  const sample = (...fs: number[]) => ({ bits: Uint32Array.from(fs), count: fs.length });

  it('counts each function on both sides, with its hex, its probe error and the shares with their intervals', () => {
    const prior = { accepted: Uint32Array.from([3, 8, 9, 20]), bits: Uint32Array.from([A, A, B, A]) };
    const c = comparePriorAndSgd(task, 50, prior, sample(A, C, A), 4, 1);
    expect(c.functions).toEqual([
      { bits: 'b0', generalisationError: 0, priorCount: 3, sgdCount: 2 },
      { bits: '88', generalisationError: 1, priorCount: 0, sgdCount: 1 },
      { bits: '90', generalisationError: 1 / 3, priorCount: 1, sgdCount: 0 },
    ]);
    expect(c.acceptance).toEqual(wilson(4, 50));
    expect(c.sgdFit).toEqual(wilson(3, 4));
    // fewer than MIN_ACCEPTED accepted: P_prior is not estimated, and the comparison says why
    expect(c.sgdOnPriorFunctions).toBeNull();
    expect(c.correlation).toBeNull();
    expect(c.problems.join(' ')).toMatch(/only 4 of 50 prior samples fit/);
    expect(c.meanError.sgd?.value).toBeCloseTo(1 / 3, 12);
    expect(c.meanError.prior?.value).toBeCloseTo(1 / 12, 12);
  });

  it('correlates log P_SGD with log P_prior over the functions both found, and says when there are too few', () => {
    // six functions on the probe rows; prior counts 1, 2, 4, … and SGD counts proportional: r = 1 exactly
    const fs = [0, 1, 2, 3, 4, 5].map((k) => 0b01 | (k << 2));
    const priorBits = fs.flatMap((f, k) => new Array<number>(2 ** k).fill(f));
    const sgdBits = fs.flatMap((f, k) => new Array<number>(2 ** k).fill(f));
    const prior = { accepted: Uint32Array.from(priorBits.keys()), bits: Uint32Array.from(priorBits) };
    const c = comparePriorAndSgd(task, 1000, prior, sample(...sgdBits), sgdBits.length, 5);
    expect(c.correlation?.functions).toBe(6);
    expect(c.correlation?.value).toBeCloseTo(1, 12);
    expect(c.sgdOnPriorFunctions).toEqual(wilson(sgdBits.length, sgdBits.length));
    expect(c.problems).toEqual([]);
    // SGD on the reverse order: r = −1
    const reversed = fs.flatMap((f, k) => new Array<number>(2 ** (5 - k)).fill(f));
    const r = comparePriorAndSgd(task, 1000, prior, sample(...reversed), reversed.length, 5).correlation;
    expect(r?.value).toBeCloseTo(-1, 12);
    expect(r!.low).toBeLessThanOrEqual(r!.high);
    // only four shared functions: no correlation, said
    const four = comparePriorAndSgd(task, 1000, prior, sample(...sgdBits.filter((f) => f !== fs[0] && f !== fs[1])), 60, 5);
    expect(four.correlation).toBeNull();
    expect(four.problems.join(' ')).toMatch(/fewer than 5 functions were found by both/);
    // six shared functions, each found once by SGD: no slope, said instead of r = NaN
    const flat = comparePriorAndSgd(task, 1000, prior, sample(...fs), fs.length, 5);
    expect(flat.correlation).toBeNull();
    expect(flat.problems.join(' ')).toMatch(/the 6 functions found by both are equally frequent on one side/);
  });

  it('writes hex digits in row order, the lowest row in the highest bit, across words', () => {
    const bits = new Uint32Array(2);
    for (const r of [0, 5, 31, 32, 35]) bits[r >> 5] |= 1 << (r & 31);
    expect(functionHex(bits, 0, 36)).toBe('84000001' + '9');
    expect(probeError(task, Uint32Array.from([A]), 0)).toBe(0);
  });
});
