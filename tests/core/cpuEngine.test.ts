import { describe, expect, it } from 'vitest';
import { classify, DEFAULT_THRESHOLDS, outcomeClasses } from '../../src/core/classify';
import { CpuEngine, evaluateParams } from '../../src/core/cpuEngine';
import type { TrainSpec } from '../../src/core/engine';
import { CancelledError } from '../../src/core/errors';
import { initEnsemble } from '../../src/core/init';
import { paramCount, type ModelLayout } from '../../src/core/layout';
import { Mlp } from '../../src/core/mlp';
import { applyUpdate, type Hyper } from '../../src/core/optimizer';
import { planePoint, planeThrough } from '../../src/core/plane';
import { batchIndex } from '../../src/core/rng';
import { thneeb } from '../../src/core/tasks/thneeb';
import { expectAllClose, testSeed } from './helpers';

const task = thneeb({ salience: 1, examples: 32, dataSeed: 0 });
const layout: ModelLayout = { widths: [3, 8, 1], activation: 'tanh' };
const P = paramCount(layout.widths);
const SETS = 1 + task.probes.length;
const sgd = (lr: number, batch: Hyper['batch']): Hyper => ({ optimizer: 'sgd', lr, momentum: 0, weightDecay: 0, batch });

function spec(hyper: Hyper, init: Float32Array, over: Partial<TrainSpec> = {}): TrainSpec {
  return { layout, task, hyper, init, particles: init.length / P, noiseSeed: 11, firstParticle: 0, ...over };
}

async function train(s: TrainSpec, steps: number) {
  const session = await new CpuEngine().startTraining(s);
  await session.advance(steps);
  return { session, params: await session.params(), metrics: await session.metrics(), diverged: await session.diverged() };
}

/** One optimizer step by hand: the mean example gradient over `rows`, then applyUpdate. */
function manualStep(
  hyper: Hyper,
  p: Float64Array,
  m: Float64Array,
  v: Float64Array,
  rows: number[],
  t: number,
  l: ModelLayout = layout,
): void {
  const mlp = new Mlp(l);
  const grad = new Float64Array(p.length);
  for (const r of rows) mlp.example(p, task.train, r, grad);
  for (let k = 0; k < grad.length; k++) grad[k] /= rows.length;
  applyUpdate(hyper, p, grad, m, v, t);
}

describe('CpuEngine training', () => {
  it('full-batch SGD lowers the training loss of every particle on thneeb', async () => {
    const seed = testSeed('cpu engine loss decreases');
    const init = initEnsemble(layout.widths, seed, 0, 4, 1);
    const before = Array.from({ length: 4 }, (_, i) => evaluateParams(layout, task, init.subarray(i * P, (i + 1) * P))[0]);
    const { metrics, diverged } = await train(spec(sgd(0.5, 'full'), init), 150);
    const after = Array.from({ length: 4 }, (_, i) => metrics[i * SETS * 2]);
    for (let i = 0; i < 4; i++) {
      expect(after[i], `particle ${i}: train loss ${before[i]} → ${after[i]} (seed ${seed})`).toBeLessThan(0.5 * before[i]);
    }
    expect(Array.from(diverged)).toEqual([0, 0, 0, 0]);
  });

  it('a step is the mean gradient over the minibatch rows batchIndex(noiseSeed, firstParticle + i, step, slot), then the update', async () => {
    const seed = testSeed('cpu engine minibatch step');
    const init = initEnsemble(layout.widths, seed, 0, 2, 1);
    const hyper = sgd(0.3, 5);
    const first = 7;
    const { params } = await train(spec(hyper, init, { firstParticle: first, noiseSeed: seed }), 2);
    for (let i = 0; i < 2; i++) {
      const p = Float64Array.from(init.subarray(i * P, (i + 1) * P));
      const m = new Float64Array(P);
      for (let step = 0; step < 2; step++) {
        const rows = [0, 1, 2, 3, 4].map((slot) => batchIndex(seed, first + i, step, slot, task.train.rows));
        manualStep(hyper, p, m, new Float64Array(P), rows, step + 1);
      }
      expectAllClose(params.subarray(i * P, (i + 1) * P), Float32Array.from(p), { rel: 0, abs: 0 }, `particle ${i} after 2 steps`);
    }
  });

  it("batch 'full' uses every training row once per step", async () => {
    const seed = testSeed('cpu engine full batch');
    const init = initEnsemble(layout.widths, seed, 0, 1, 1);
    const hyper = sgd(0.3, 'full');
    const { params } = await train(spec(hyper, init), 1);
    const p = Float64Array.from(init);
    manualStep(hyper, p, new Float64Array(P), new Float64Array(P), [...Array(task.train.rows).keys()], 1);
    expectAllClose(params, Float32Array.from(p), { rel: 1e-12, abs: 1e-15 }, 'params after one full-batch step');
  });

  it('advance(3) then advance(2) equals advance(5) (Adam, minibatches: the step counter carries over)', async () => {
    const seed = testSeed('cpu engine advance in parts');
    const init = initEnsemble(layout.widths, seed, 0, 3, 1);
    const hyper: Hyper = { optimizer: 'adam', lr: 0.05, momentum: 0, weightDecay: 0.01, batch: 4 };
    const whole = await train(spec(hyper, init), 5);
    const parts = await new CpuEngine().startTraining(spec(hyper, init));
    await parts.advance(3);
    await parts.advance(2);
    expect(parts.stepsDone).toBe(5);
    expect(Array.from(await parts.params())).toEqual(Array.from(whole.params));
  });

  it('firstParticle: particle K of a run equals particle 0 of a run that starts at K (same init, same noise)', async () => {
    const seed = testSeed('cpu engine firstParticle');
    const hyper: Hyper = { optimizer: 'momentum', lr: 0.1, momentum: 0.9, weightDecay: 0, batch: 3 };
    const big = await train(spec(hyper, initEnsemble(layout.widths, seed, 0, 6, 1), { noiseSeed: seed ^ 1 }), 20);
    for (const K of [3, 5]) {
      const small = await train(spec(hyper, initEnsemble(layout.widths, seed, K, 1, 1), { noiseSeed: seed ^ 1, firstParticle: K }), 20);
      expect(Array.from(small.params), `particle ${K}`).toEqual(Array.from(big.params.subarray(K * P, (K + 1) * P)));
    }
    // and the noise really matters: particles 3 and 5 from one init would still differ
    const sameInit = await train(spec(hyper, initEnsemble(layout.widths, seed, 3, 1, 1), { noiseSeed: seed ^ 1, firstParticle: 5 }), 20);
    expect(Array.from(sameInit.params)).not.toEqual(Array.from(big.params.subarray(3 * P, 4 * P)));
  });

  it('metrics are [particle][train, probes...][loss, acc], as evaluateParams gives for each final vector', async () => {
    const seed = testSeed('cpu engine metrics layout');
    const { params, metrics } = await train(spec(sgd(0.5, 8), initEnsemble(layout.widths, seed, 0, 3, 1)), 10);
    expect(metrics.length).toBe(3 * SETS * 2);
    for (let i = 0; i < 3; i++) {
      const expected = evaluateParams(layout, task, params.subarray(i * P, (i + 1) * P));
      // the session evaluates its float64 parameters, evaluateParams their float32 copy
      expectAllClose(metrics.subarray(i * SETS * 2, (i + 1) * SETS * 2), expected, { rel: 1e-5, abs: 1e-6 }, `particle ${i}`);
    }
  });
});

describe('CpuEngine divergence', () => {
  it('lr 1e3 with init scale 50: diverged outcomes, no exception; every diverged particle has a non-finite parameter or metric', async () => {
    // fixed seeds: this configuration is known to blow up (relu, two hidden layers of 16)
    const l: ModelLayout = { widths: [3, 16, 16, 1], activation: 'relu' };
    const p = paramCount(l.widths);
    const n = 8;
    const init = initEnsemble(l.widths, 1, 0, n, 50);
    const { params, metrics, diverged } = await train(
      { layout: l, task, hyper: sgd(1e3, 'full'), init, particles: n, noiseSeed: 2, firstParticle: 0 },
      20,
    );
    const outcomes = classify(task, metrics, diverged, DEFAULT_THRESHOLDS);
    const DIVERGED = outcomeClasses(task).indexOf('diverged');
    const divergedCount = outcomes.filter((o) => o === DIVERGED).length;
    expect(divergedCount, `outcomes ${Array.from(outcomes)}`).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      const nonFiniteParam = params.subarray(i * p, (i + 1) * p).some((v) => !Number.isFinite(v));
      const nonFiniteMetric = metrics.subarray(i * SETS * 2, (i + 1) * SETS * 2).some((v) => !Number.isFinite(v));
      // diverged exactly when a loss or a parameter is non-finite (docs/architecture.md: outcome classes)
      expect(
        outcomes[i] === DIVERGED,
        `particle ${i}: outcome ${outcomes[i]}, flag ${diverged[i]}, non-finite param ${nonFiniteParam}, metric ${nonFiniteMetric}`,
      ).toBe(diverged[i] === 1 || nonFiniteParam || nonFiniteMetric);
      // a parameter that does not fit in float32 (where the GPU engine computes) is divergence
      if (nonFiniteParam) expect(diverged[i], `particle ${i} has a non-float32 parameter`).toBe(1);
    }
  });

  it('a particle with a non-finite initial parameter is flagged and frozen; the others train on', async () => {
    const seed = testSeed('cpu engine NaN particle');
    const init = initEnsemble(layout.widths, seed, 0, 2, 1);
    init[P + 3] = NaN;
    const hyper = sgd(0.5, 'full');
    const { params, metrics, diverged, session } = await train(spec(hyper, init), 5);
    expect(Array.from(diverged)).toEqual([0, 1]);
    expect(Array.from(params.subarray(P, 2 * P))).toEqual(Array.from(init.subarray(P, 2 * P)));
    expect(Array.from(params.subarray(0, P))).not.toEqual(Array.from(init.subarray(0, P)));
    for (let s = 0; s < SETS; s++) {
      expect(metrics[SETS * 2 + 2 * s], `set ${s} loss of the NaN particle`).toBeNaN();
      expect(metrics[SETS * 2 + 2 * s + 1], `set ${s} accuracy of the NaN particle`).toBe(0);
    }
    expect(Array.from(classify(task, metrics, diverged, DEFAULT_THRESHOLDS))[1]).toBe(outcomeClasses(task).indexOf('diverged'));
    // later steps leave it alone
    await session.advance(3);
    expect(Array.from((await session.params()).subarray(P, 2 * P))).toEqual(Array.from(init.subarray(P, 2 * P)));
  });
});

describe('CpuEngine progress and cancellation', () => {
  it('reports progress ending at 1', async () => {
    const seen: number[] = [];
    const session = await new CpuEngine().startTraining(spec(sgd(0.1, 4), initEnsemble(layout.widths, 1, 0, 2, 1)));
    await session.advance(3, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f) => f >= 0 && f <= 1)).toBe(true);
  });

  it('an aborted signal stops training with CancelledError', async () => {
    // enough particles that the engine yields (it checks the signal between 40 ms slices)
    const session = await new CpuEngine().startTraining(spec(sgd(0.1, 'full'), initEnsemble(layout.widths, 1, 0, 4000, 1)));
    await expect(session.advance(20, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('CpuEngine.evaluatePlane', () => {
  it('row-major with α fastest: entry (j, i) is the metrics of planePoint(α_i, β_j)', async () => {
    const seed = testSeed('cpu engine evaluatePlane');
    const [a, b, c] = [0, 1, 2].map((k) => initEnsemble(layout.widths, seed, k, 1, 1));
    const plane = planeThrough(a, b, c);
    const alphas = Float32Array.of(-1, 0, 0.5, 2);
    const betas = Float32Array.of(-0.5, 1, 3);
    const out = await new CpuEngine().evaluatePlane({ layout, task, plane, alphas, betas });
    expect(out.length).toBe(4 * 3 * SETS * 2);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 4; i++) {
        const at = (j * 4 + i) * SETS * 2;
        const expected = evaluateParams(layout, task, planePoint(plane, alphas[i], betas[j]));
        expectAllClose(out.subarray(at, at + SETS * 2), expected, { rel: 0, abs: 0 }, `α ${alphas[i]}, β ${betas[j]}`);
      }
    }
    // (0, 0), (1, 0), (0, 1) are the three vectors themselves
    const grid = await new CpuEngine().evaluatePlane({ layout, task, plane, alphas: Float32Array.of(0, 1), betas: Float32Array.of(0, 1) });
    for (const [k, v] of [
      [0, a],
      [1, b],
      [2, c],
    ] as const) {
      expectAllClose(
        grid.subarray(k * SETS * 2, (k + 1) * SETS * 2),
        evaluateParams(layout, task, v),
        { rel: 1e-5, abs: 1e-6 },
        `grid point ${k}`,
      );
    }
  });
});
