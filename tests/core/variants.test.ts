import { describe, expect, it } from 'vitest';
import { parseLrScaleList, parseLrScales } from '../../src/core/config';
import { UserError } from '../../src/core/errors';
import { initEnsemble, initParticle } from '../../src/core/init';
import { layerSpans, paramCount, parameterLayers, type Activation, type ModelLayout } from '../../src/core/layout';
import { Mlp } from '../../src/core/mlp';
import { applyUpdate, layerLearningRates, parameterLearningRates, type Hyper } from '../../src/core/optimizer';
import { filterNormalizedDirection } from '../../src/core/plane';
import { makeRegressionDataset, taskOutputs, taskTolerance, type Task } from '../../src/core/task';
import { parseTaskCsv, parseTaskJson } from '../../src/core/taskFile';
import { expectAllClose, expectClose, seededRandom, testSeed, uniform } from './helpers';

/**
 * The engine's variants beyond the default model: mean squared error on real targets, layers
 * without biases, per-layer learning rates. The GPU side of each is pinned in
 * tests/gpu/variants.test.ts.
 */

function oneLine(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(UserError);
    const message = (e as UserError).message;
    expect(message.includes('\n'), `one line: ${message}`).toBe(false);
    return message;
  }
  return expect.fail('no error thrown');
}

function regressionProblem(rand: () => number, layout: ModelLayout, rows: number) {
  const { widths } = layout;
  const outputs = widths[widths.length - 1];
  const params = Float64Array.from({ length: paramCount(layout) }, () => uniform(rand, -1.2, 1.2));
  const xs = Array.from({ length: rows }, () => Array.from({ length: widths[0] }, () => uniform(rand, -2, 2)));
  const ts = Array.from({ length: rows }, () => Array.from({ length: outputs }, () => uniform(rand, -1.5, 1.5)));
  return { params, data: makeRegressionDataset(xs, ts) };
}

describe('mean squared error: Mlp gradient against central finite differences (float64)', () => {
  // as tests/core/mlp.test.ts: h = 1e-5 on parameters ~1 leaves ~1e-11 of truncation and rounding error
  const H = 1e-5;
  const REL = 1e-6;
  const ABS = 1e-8;
  const cases: [number[], Activation, boolean][] = [
    [[3, 1], 'tanh', true],
    [[3, 5, 1], 'tanh', true],
    [[4, 6, 5, 3], 'gelu', true],
    [[3, 5, 2], 'tanh', false],
    [[4, 6, 5, 3], 'gelu', false],
  ];
  for (const [widths, activation, bias] of cases) {
    it(`${activation} ${widths.join('-')}${bias ? '' : ' without biases'}`, () => {
      const seed = testSeed(`mse gradient ${widths.join('-')} ${activation} ${bias}`);
      const layout: ModelLayout = { widths, activation, bias };
      const { params, data } = regressionProblem(seededRandom(seed), layout, 3);
      const mlp = new Mlp(layout, 'mse');
      for (let r = 0; r < data.rows; r++) {
        const grad = new Float64Array(params.length);
        mlp.example(params, data, r, grad);
        const numeric = Array.from(params, (saved, k) => {
          params[k] = saved + H;
          const plus = mlp.example(params, data, r)[0];
          params[k] = saved - H;
          const minus = mlp.example(params, data, r)[0];
          params[k] = saved;
          return (plus - minus) / (2 * H);
        });
        expectAllClose(grad, numeric, { rel: REL, abs: ABS }, `gradient of row ${r} (seed ${seed})`);
      }
    });
  }

  it('the loss is the mean over outputs of (output − target)², torch.nn.MSELoss; a row is correct when every output is within the tolerance', () => {
    // 2-2 without biases and with identity weights: the outputs are the inputs (after the last layer, no activation)
    const layout: ModelLayout = { widths: [2, 2], activation: 'tanh', bias: false };
    const mlp = new Mlp(layout, 'mse');
    const identity = Float64Array.of(1, 0, 0, 1);
    const data = makeRegressionDataset(
      [
        [0.5, -1],
        [2, 3],
      ],
      [
        [0.45, -1.05],
        [2, 3.5],
      ],
    );
    const [loss0, ok0] = mlp.example(identity, data, 0, undefined, 0.1);
    expectClose(loss0, (0.05 ** 2 + 0.05 ** 2) / 2, { rel: 1e-6 }, 'row 0 loss');
    expect(ok0).toBe(1);
    const [loss1, ok1] = mlp.example(identity, data, 1, undefined, 0.1);
    expectClose(loss1, 0.5 ** 2 / 2, { rel: 1e-12 }, 'row 1 loss');
    expect(ok1).toBe(0);
    expect(mlp.evaluate(identity, data, 0.6)).toEqual([(loss0 + loss1) / 2, 1]);
    // a classification dataset handed to an MSE model is refused, not read as zeros
    expect(() => mlp.example(identity, { x: data.x, y: Int32Array.of(0, 1), rows: 2 }, 0)).toThrow(/targets/);
  });
});

describe('layers without biases', () => {
  it('layout: weights only, layer after layer, in nn.Linear(bias=False) order', () => {
    expect(layerSpans({ widths: [2, 3, 1], bias: false })).toEqual([
      { fanIn: 2, fanOut: 3, w: 0, b: -1 },
      { fanIn: 3, fanOut: 1, w: 6, b: -1 },
    ]);
    expect(paramCount({ widths: [2, 3, 1], bias: false })).toBe(9);
    expect(paramCount({ widths: [2, 3, 1], bias: true })).toBe(paramCount([2, 3, 1]));
    expect(Array.from(parameterLayers({ widths: [2, 3, 1], bias: false }))).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(parameterLayers([2, 1, 1]))).toEqual([0, 0, 0, 1, 1]);
  });

  it("the forward pass is the with-bias network's with every bias 0, and so is the gradient of the weights", () => {
    const seed = testSeed('no-bias forward');
    const rand = seededRandom(seed);
    const widths = [4, 6, 5, 3];
    const noBias: ModelLayout = { widths, activation: 'gelu', bias: false };
    const withBias: ModelLayout = { widths, activation: 'gelu' };
    const w = Float64Array.from({ length: paramCount(noBias) }, () => uniform(rand, -1, 1));
    // the same weights in the with-bias layout, biases 0
    const full = new Float64Array(paramCount(withBias));
    layerSpans(withBias).forEach((s, l) =>
      full.set(w.subarray(layerSpans(noBias)[l].w, layerSpans(noBias)[l].w + s.fanIn * s.fanOut), s.w),
    );
    const xs = Array.from({ length: 5 }, () => Array.from({ length: 4 }, () => uniform(rand, -2, 2)));
    const ts = Array.from({ length: 5 }, () => Array.from({ length: 3 }, () => uniform(rand, -1, 1)));
    const data = makeRegressionDataset(xs, ts);
    const a = new Mlp(noBias, 'mse');
    const b = new Mlp(withBias, 'mse');
    for (let r = 0; r < data.rows; r++) {
      const ga = new Float64Array(w.length);
      const gb = new Float64Array(full.length);
      expect(a.example(w, data, r, ga)[0], `row ${r} (seed ${seed})`).toBe(b.example(full, data, r, gb)[0]);
      const gbWeights = layerSpans(withBias).flatMap((s) => Array.from(gb.subarray(s.w, s.w + s.fanIn * s.fanOut)));
      expect(Array.from(ga), `row ${r} (seed ${seed})`).toEqual(gbWeights);
    }
  });

  it('init: every weight is the one the with-bias model draws (the bias draws are skipped)', () => {
    const seed = testSeed('no-bias init');
    const widths = [5, 7, 4, 3];
    for (const particle of [0, 3, 1000]) {
      const withBias = initParticle(widths, seed, particle, 1.5);
      const noBias = initParticle({ widths, bias: false }, seed, particle, 1.5);
      const expected = layerSpans(widths).flatMap((s) => Array.from(withBias.subarray(s.w, s.w + s.fanIn * s.fanOut)));
      expect(Array.from(noBias), `particle ${particle} (seed ${seed})`).toEqual(expected);
    }
    // and an ensemble is its particles, as with biases
    const all = initEnsemble({ widths, bias: false }, seed, 4, 3, 1);
    const p = paramCount({ widths, bias: false });
    expect(Array.from(all.subarray(p, 2 * p))).toEqual(Array.from(initParticle({ widths, bias: false }, seed, 5, 1)));
    // a with-bias layout spelled as a layout draws exactly what the widths draw
    expect(Array.from(initParticle({ widths, activation: 'tanh' } as ModelLayout, seed, 2, 1))).toEqual(
      Array.from(initParticle(widths, seed, 2, 1)),
    );
  });

  it("filter-normalised directions: each neuron's incoming weights alone get the centre's norm", () => {
    const seed = testSeed('no-bias filter normalisation');
    const shape = { widths: [3, 6, 2], bias: false };
    const center = initParticle(shape, seed, 0, 1);
    const d = filterNormalizedDirection(shape, center, seed, 0);
    expect(d.length).toBe(paramCount(shape));
    for (const s of layerSpans(shape)) {
      for (let o = 0; o < s.fanOut; o++) {
        const row = (v: Float32Array) => Array.from(v.subarray(s.w + o * s.fanIn, s.w + (o + 1) * s.fanIn));
        const norm = (xs: number[]) => Math.sqrt(xs.reduce((n, x) => n + x * x, 0));
        expectClose(norm(row(d)), norm(row(center)), { rel: 1e-5 }, `neuron ${o} of layer at ${s.w} (seed ${seed})`);
      }
    }
  });
});

describe('per-layer learning rates', () => {
  const hyper = (optimizer: Hyper['optimizer'], lrScale?: number[]): Hyper => ({
    optimizer,
    lr: 0.1,
    momentum: 0.9,
    weightDecay: 0.01,
    batch: 'full',
    ...(lrScale ? { lrScale } : {}),
  });

  it('layerLearningRates: lr × each multiplier, 1 past the end of the list; none given → no per-parameter rates', () => {
    expect(layerLearningRates(hyper('sgd', [2, 0.5]), 3)).toEqual([0.2, 0.05, 0.1]);
    expect(parameterLearningRates(hyper('sgd'), [2, 3, 1])).toBeUndefined();
    expect(parameterLearningRates(hyper('sgd', [1, 1]), [2, 3, 1])).toBeUndefined();
    expect(Array.from(parameterLearningRates(hyper('sgd', [0, 3]), { widths: [2, 2, 1], bias: false })!)).toEqual([
      0,
      0,
      0,
      0,
      0.1 * 3,
      0.1 * 3,
    ]);
  });

  for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
    it(`${optimizer}: each layer steps as the whole model would at that layer's rate`, () => {
      const seed = testSeed(`per-layer lr ${optimizer}`);
      const rand = seededRandom(seed);
      const shape = [3, 4, 2];
      const n = paramCount(shape);
      const scales = [0.25, 3];
      const rates = parameterLearningRates(hyper(optimizer, scales), shape)!;
      const p0 = Float64Array.from({ length: n }, () => uniform(rand, -1, 1));
      const gs = [0, 1].map(() => Float64Array.from({ length: n }, () => uniform(rand, -1, 1)));
      const run = (h: Hyper, r?: Float64Array) => {
        const p = p0.slice();
        const m = new Float64Array(n);
        const v = new Float64Array(n);
        gs.forEach((g, t) => applyUpdate(h, p, g, m, v, t + 1, r));
        return p;
      };
      const scaled = run(hyper(optimizer, scales), rates);
      const layers = parameterLayers(shape);
      for (let l = 0; l < 2; l++) {
        const whole = run({ ...hyper(optimizer), lr: 0.1 * scales[l] });
        for (let k = 0; k < n; k++) if (layers[k] === l) expect(scaled[k], `parameter ${k} (seed ${seed})`).toBe(whole[k]);
      }
    });
  }

  it('--lr-layer K=MULT: one multiplier per layer, 1 where none is given; clear one-line errors', () => {
    expect(parseLrScales([], 3)).toEqual([1, 1, 1]);
    expect(parseLrScales(['2=0.5', '0=0'], 3)).toEqual([0, 1, 0.5]);
    expect(oneLine(() => parseLrScales(['3=1'], 3))).toBe(
      '--lr-layer: the layer must be an integer from 0 to 2 (the network has 3 layers), got "3"',
    );
    expect(oneLine(() => parseLrScales(['x=1'], 1))).toBe(
      '--lr-layer: the layer must be an integer from 0 to 0 (the network has 1 layer), got "x"',
    );
    expect(oneLine(() => parseLrScales(['1'], 2))).toBe('--lr-layer must look like K=MULT (K a layer from 0), got "1"');
    expect(oneLine(() => parseLrScales(['0=1', '0=2'], 2))).toBe('--lr-layer: layer 0 is given twice');
    expect(oneLine(() => parseLrScales(['1=-2'], 2))).toBe('--lr-layer 1= must be a number from 0 to 1000000, got "-2"');
    expect(oneLine(() => parseLrScales(['1=2000000'], 2))).toBe('--lr-layer 1= must be a number from 0 to 1000000, got "2000000"');
    expect(parseLrScaleList('', 2)).toEqual([]);
    expect(parseLrScaleList('2, 0.5', 2)).toEqual([2, 0.5]);
    expect(oneLine(() => parseLrScaleList('1,1,1', 2))).toBe(
      'layer learning-rate multipliers: the network has 2 layers, got 3 multipliers in "1,1,1"',
    );
  });
});

describe('regression task files', () => {
  const task = {
    name: 'reg',
    inputs: 2,
    loss: 'mse',
    outputs: 2,
    tolerance: 0.05,
    train: {
      x: [
        [0, 1],
        [2, -1],
      ],
      y: [
        [0.5, 1],
        [-2, 3.25],
      ],
    },
    probes: { smooth: { x: [[1, 1]], y: [[0, 0]] } },
  };
  const json = (over: Record<string, unknown> = {}) => JSON.stringify({ ...task, ...over });

  it('JSON: "loss": "mse" with outputs and tolerance; y holds the real targets', () => {
    const t: Task = parseTaskJson(json(), 'reg.json');
    expect([t.loss, t.outputs, t.tolerance, t.classes, taskOutputs(t), taskTolerance(t)]).toEqual(['mse', 2, 0.05, 0, 2, 0.05]);
    expect(Array.from(t.train.targets!)).toEqual([0.5, 1, -2, 3.25]);
    expect(Array.from(t.train.x)).toEqual([0, 1, 2, -1]);
    expect(Array.from(t.probes[0].data.targets!)).toEqual([0, 0]);
    // one output: a number per row; the tolerance has a default
    const one = parseTaskJson(
      json({ outputs: undefined, tolerance: undefined, train: { x: [[0, 1]], y: [2.5] }, probes: { p: { x: [[1, 1]], y: [1] } } }),
      'r.json',
    );
    expect([one.outputs, one.tolerance, Array.from(one.train.targets!)]).toEqual([1, 0.1, [2.5]]);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown loss', { loss: 'l1' }, 'task file r.json: loss must be "cross-entropy" or "mse", got "l1"'],
    [
      'classes with mse',
      { classes: 2 },
      'task file r.json: classes applies to classification; a regression task ("loss": "mse") gives "outputs"',
    ],
    ['outputs 0', { outputs: 0 }, 'task file r.json: outputs must be an integer from 1 to 64, got 0'],
    ['a negative tolerance', { tolerance: -1 }, 'task file r.json: tolerance must be a positive number, got -1'],
    [
      'a row of the wrong width',
      { train: { x: [[0, 1]], y: [[1, 2, 3]] } },
      'task file r.json: train.y[0] has 3 targets, expected 2 (the task\'s "outputs")',
    ],
    ['a non-number target', { train: { x: [[0, 1]], y: [[1, 'a']] } }, 'task file r.json: train.y[0][1] must be a finite number, got "a"'],
    [
      'fewer targets than rows',
      {
        train: {
          x: [
            [0, 1],
            [1, 1],
          ],
          y: [[1, 2]],
        },
      },
      'task file r.json: train.y has 1 rows of targets but train.x has 2 rows',
    ],
  ];
  for (const [what, over, message] of bad) {
    it(`JSON refuses ${what} in one line`, () => expect(oneLine(() => parseTaskJson(json(over), 'r.json'))).toBe(message));
  }
  it('JSON: outputs or tolerance on a classification task are refused', () => {
    const cls = { name: 'c', inputs: 1, classes: 2, train: { x: [[0]], y: [1] }, probes: { a: { x: [[0]], y: [0] } } };
    expect(oneLine(() => parseTaskJson(JSON.stringify({ ...cls, tolerance: 0.1 }), 'c.json'))).toBe(
      'task file c.json: tolerance applies to regression tasks ("loss": "mse") only',
    );
  });

  it('CSV: a header ending in t0,...,t{k-1} is a regression task, every file alike', () => {
    const t = parseTaskCsv('x0,x1,t0,t1\n1,2,0.5,-1\n3,4,2,2\n', { p: 'x0,x1,t0,t1\n0,0,1,1\n' }, 'dir/reg.csv');
    expect([t.name, t.loss, t.outputs, t.tolerance, t.inputs, t.classes]).toEqual(['reg', 'mse', 2, 0.1, 2, 0]);
    expect(Array.from(t.train.targets!)).toEqual([0.5, -1, 2, 2]);
    expect(Array.from(t.train.x)).toEqual([1, 2, 3, 4]);
    expect(Array.from(t.probes[0].data.targets!)).toEqual([1, 1]);
    expect(oneLine(() => parseTaskCsv('x0,x1,t0,t2\n1,2,3,4\n', { p: 'x0,x1,t0,t1\n0,0,1,1\n' }, 'r.csv'))).toBe(
      'task file r.csv: header column 4 must be "t1", got "t2" (expected x0,...,x1,t0,...,t1)',
    );
    expect(oneLine(() => parseTaskCsv('x0,x1,t0\n1,2,3\n', { p: 'x0,x1,y\n0,0,1\n' }, 'r.csv', { p: 'p.csv' }))).toBe(
      'task file p.csv (probe p): has a label column y but the training set has 1 target column (t0,...)',
    );
    expect(oneLine(() => parseTaskCsv('x0,t0\n1,x\n', { p: 'x0,t0\n0,1\n' }, 'r.csv'))).toBe(
      'task file r.csv: line 2, column t0: "x" is not a decimal number',
    );
  });
});
