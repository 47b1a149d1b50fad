import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/core/cpuEngine';
import type { Engine, TrainSpec } from '../../src/core/engine';
import { OPTIMIZERS, paramCount, type Activation, type ModelLayout, type OptimizerName } from '../../src/core/layout';
import type { Hyper } from '../../src/core/optimizer';
import { taskOutputs, type Dataset, type Task } from '../../src/core/task';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { randomParams, randomTask, seeded, worstMismatch } from '../helpers/random';

/**
 * GPU = CPU for the engine's variants: mean squared error on real targets, layers without biases,
 * per-layer learning rates; and the unrolled kernels bit-identical to the looped ones for each.
 * Tolerances are tests/gpu/engine.test.ts's for the same sizes.
 */

const cpu = new CpuEngine();

/** A regression task: inputs in [-1, 1], `outputs` targets in [-1, 1] per row, two probe sets. */
function randomRegressionTask(rand: () => number, inputs: number, outputs: number, rows: number, tolerance = 0.25): Task {
  const set = (n: number): Dataset => ({
    x: new Float32Array(n * inputs).map(() => 2 * rand() - 1),
    y: new Int32Array(0),
    rows: n,
    targets: new Float32Array(n * outputs).map(() => 2 * rand() - 1),
  });
  return {
    name: 'random regression',
    description: 'random test data',
    inputs,
    classes: 0,
    train: set(rows),
    probes: [
      { name: 'a', data: set(rows) },
      { name: 'b', data: set(Math.max(1, rows >> 1)) },
    ],
    params: {},
    loss: 'mse',
    outputs,
    tolerance,
  };
}

interface Variant {
  readonly name: string;
  readonly task: (rand: () => number) => Task;
  readonly bias: boolean;
  readonly lrScale?: number[];
}

const VARIANTS: Variant[] = [
  { name: 'mse, one output', task: (r) => randomRegressionTask(r, 3, 1, 32), bias: true },
  { name: 'mse, three outputs', task: (r) => randomRegressionTask(r, 4, 3, 32), bias: true },
  { name: 'no bias, two classes', task: (r) => randomTask(r, 3, 2, 32), bias: false },
  { name: 'no bias, three classes', task: (r) => randomTask(r, 4, 3, 32), bias: false },
  { name: 'mse without biases', task: (r) => randomRegressionTask(r, 3, 2, 32), bias: false },
  { name: 'per-layer lr', task: (r) => randomTask(r, 3, 3, 32), bias: true, lrScale: [0.5, 2, 0.25] },
  { name: 'per-layer lr, mse, no bias, a frozen layer', task: (r) => randomRegressionTask(r, 3, 2, 32), bias: false, lrScale: [0, 1.5] },
];

function layoutOf(task: Task, hidden: number[], activation: Activation, bias: boolean): ModelLayout {
  const widths = [task.inputs, ...hidden, taskOutputs(task)];
  return bias ? { widths, activation } : { widths, activation, bias: false };
}

function hyperOf(optimizer: OptimizerName, batch: Hyper['batch'], lrScale?: number[]): Hyper {
  return {
    optimizer,
    lr: optimizer === 'adam' ? 0.01 : 0.05,
    momentum: 0.9,
    weightDecay: 1e-3,
    batch,
    ...(lrScale ? { lrScale } : {}),
  };
}

async function train(engine: Engine, spec: TrainSpec, steps: number) {
  const session = await engine.startTraining(spec);
  await session.advance(steps);
  const out = { params: await session.params(), metrics: await session.metrics(), diverged: await session.diverged() };
  session.dispose();
  return out;
}

// adamw with no bias and per-layer learning rates: tests/gpu/adamw.test.ts
const VARIANT_OPTIMIZERS = OPTIMIZERS.filter((o) => o !== 'adamw');

const losses = (m: Float32Array) => m.filter((_, k) => k % 2 === 0);
const hiddenFor = (v: Variant) => (v.lrScale?.length === 2 ? [6] : [6, 5]);

describe('GPU engine against the CPU engine: mse, no bias, per-layer learning rates', () => {
  for (const v of VARIANTS) {
    it(`${v.name}: loss and accuracy of random vectors match`, async () => {
      const rand = seeded(testSeed(`variant eval ${v.name}`));
      const task = v.task(rand);
      const layout = layoutOf(task, hiddenFor(v), 'gelu', v.bias);
      const n = 48;
      // parameters of size ~1: outputs of size ~1, so some rows fall within the tolerance and some not
      const init = randomParams(rand, layout.widths as number[], n).subarray(0, n * paramCount(layout));
      const spec: TrainSpec = { layout, task, hyper: hyperOf('sgd', 'full'), init, particles: n, noiseSeed: 1, firstParticle: 0 };
      const [g, c] = [await train(await gpuEngine(), spec, 0), await train(cpu, spec, 0)];
      const w = worstMismatch(losses(g.metrics), losses(c.metrics), 1e-5, 1e-4);
      expect(w.ratio, `loss ${w.a} (gpu) vs ${w.b} (cpu) at ${w.at}`).toBeLessThanOrEqual(1);
      // accuracy may differ where an output sits within float32 rounding of the boundary: one row per set
      const rows = [task.train.rows, task.probes[0].data.rows, task.probes[1].data.rows];
      for (let k = 1; k < g.metrics.length; k += 2) {
        expect(Math.abs(g.metrics[k] - c.metrics[k]) * rows[((k - 1) / 2) % 3], `accuracy at ${k}`).toBeLessThanOrEqual(1.0001);
      }
    });
  }

  // engine.test.ts's bound for 200 full-batch steps: parameters within 1e-3 of the largest, losses within 1e-3 relative
  for (const v of VARIANTS) {
    for (const optimizer of VARIANT_OPTIMIZERS) {
      it(`${v.name}, ${optimizer}: 100 full-batch steps from the same init match to 1e-3 relative`, async () => {
        const rand = seeded(testSeed(`variant train ${v.name} ${optimizer}`));
        const task = v.task(rand);
        const layout = layoutOf(task, hiddenFor(v), 'tanh', v.bias);
        const n = 24;
        const p = paramCount(layout);
        const init = new Float32Array(n * p).map(() => 2 * rand() - 1);
        const spec: TrainSpec = {
          layout,
          task,
          hyper: hyperOf(optimizer, 'full', v.lrScale),
          init,
          particles: n,
          noiseSeed: 7,
          firstParticle: 0,
        };
        const [g, c] = [await train(await gpuEngine(), spec, 100), await train(cpu, spec, 100)];
        expect(Array.from(g.diverged)).toEqual(Array.from(c.diverged));
        const sets = 3;
        for (let i = 0; i < n; i++) {
          let diff = 0;
          let norm = 0;
          let moved = 0;
          for (let k = i * p; k < (i + 1) * p; k++) {
            diff = Math.max(diff, Math.abs(g.params[k] - c.params[k]));
            norm = Math.max(norm, Math.abs(c.params[k]));
            moved = Math.max(moved, Math.abs(c.params[k] - init[k]));
          }
          expect(diff / norm, `particle ${i}: max |Δparam| ${diff} over max |param| ${norm}`).toBeLessThanOrEqual(1e-3);
          // the test means something only if training moved the parameters
          expect(moved, `particle ${i}: training moved no parameter`).toBeGreaterThan(1e-3);
          const [lg, lc] = [g.metrics[i * sets * 2], c.metrics[i * sets * 2]];
          expect(Math.abs(lg - lc), `particle ${i}: train loss ${lg} (gpu) vs ${lc} (cpu)`).toBeLessThanOrEqual(1e-3 * lc + 1e-6);
        }
        if (v.lrScale?.[0] === 0) {
          // a multiplier of 0 freezes its layer exactly, on both engines
          const frozen = layout.widths[0] * layout.widths[1];
          for (let i = 0; i < n; i++) {
            for (let k = i * p; k < i * p + frozen; k++) {
              expect(g.params[k]).toBe(init[k]);
              expect(c.params[k]).toBe(init[k]);
            }
          }
        }
      });
    }
  }

  for (const v of VARIANTS.filter((x) => !x.lrScale)) {
    it(`${v.name}: full-training-set gradients match the CPU engine's`, async () => {
      const rand = seeded(testSeed(`variant gradients ${v.name}`));
      const task = v.task(rand);
      const layout = layoutOf(task, [5], 'tanh', v.bias);
      const p = paramCount(layout);
      const vectors = new Float32Array(8 * p).map(() => 2 * rand() - 1);
      const spec = { layout, task, vectors };
      const [g, c] = [await (await gpuEngine()).evaluateGradients(spec), await cpu.evaluateGradients(spec)];
      // tests/gpu/gradients.test.ts's tolerance
      const w = worstMismatch(g, c, 1e-5, 1e-4);
      expect(w.ratio, `${w.a} (gpu) vs ${w.b} (cpu) at vector ${Math.floor(w.at / p)}, parameter ${w.at % p}`).toBeLessThanOrEqual(1);
    });
  }

  it('mse without biases: SGLD chains match the CPU engine (centre loss and mean draw loss)', async () => {
    const rand = seeded(testSeed('variant sgld'));
    const task = randomRegressionTask(rand, 3, 2, 24);
    const layout = layoutOf(task, [4], 'tanh', false);
    const p = paramCount(layout);
    const particles = 4;
    const centers = new Float32Array(particles * p).map(() => 2 * rand() - 1);
    const spec = {
      layout,
      task,
      centers,
      particles,
      noiseSeed: 5,
      firstParticle: 0,
      sgld: { eps: 1e-4, gamma: 100, nbeta: 10, chains: 2, burnin: 5, draws: 20, batch: 6 as const },
    };
    const [g, c] = [await (await gpuEngine()).sampleSgld(spec), await cpu.sampleSgld(spec)];
    const centre = worstMismatch(g.centerLoss, c.centerLoss, 1e-5, 1e-5);
    expect(centre.ratio, `L(w*) ${centre.a} (gpu) vs ${centre.b} (cpu) at particle ${centre.at}`).toBeLessThanOrEqual(1);
    // tests/gpu/sgld.test.ts's tolerance for the mean draw loss
    const mean = worstMismatch(g.meanLoss, c.meanLoss, 2e-5, 1e-4);
    expect(mean.ratio, `mean draw loss ${mean.a} (gpu) vs ${mean.b} (cpu) at chain ${mean.at}`).toBeLessThanOrEqual(1);
  });
});

describe('the looped kernels against the unrolled ones: mse, no bias, per-layer learning rates', () => {
  // statement by statement the same: training bit-identical, evaluation within rounding of the summation order
  for (const v of VARIANTS) {
    for (const optimizer of VARIANT_OPTIMIZERS) {
      it(`${v.name}, ${optimizer}: same parameters after minibatch training, same metrics`, async () => {
        const unrolled = await gpuEngine();
        const looped = new GpuEngine(unrolled.gpu, nodeShaderLibrary(), unrolled.device, { unroll: false });
        const rand = seeded(testSeed(`variant looped ${v.name} ${optimizer}`));
        const task = v.task(rand);
        const layout = layoutOf(task, hiddenFor(v), 'relu', v.bias);
        const loss = task.loss ?? 'cross-entropy';
        // or this would compare the looped kernel with itself when the unrolled one fails to build
        expect(await unrolled.prepare(layout, optimizer, loss)).toBe('unrolled');
        expect(await looped.prepare(layout, optimizer, loss)).toBe('looped');
        const n = 64;
        const p = paramCount(layout);
        const spec: TrainSpec = {
          layout,
          task,
          hyper: hyperOf(optimizer, 8, v.lrScale),
          init: new Float32Array(n * p).map(() => 2 * rand() - 1),
          particles: n,
          noiseSeed: 3,
          firstParticle: 0,
        };
        const [a, b] = [await train(looped, spec, 20), await train(unrolled, spec, 20)];
        expect(Array.from(a.params)).toEqual(Array.from(b.params));
        const w = worstMismatch(losses(a.metrics), losses(b.metrics), 1e-5, 1e-4);
        expect(w.ratio, `loss ${w.a} (looped) vs ${w.b} (unrolled) at ${w.at}`).toBeLessThanOrEqual(1);
        // accuracy may flip for one row within rounding of the boundary (sets of ≥ 16 rows)
        for (let k = 1; k < a.metrics.length; k += 2)
          expect(Math.abs(a.metrics[k] - b.metrics[k]), `accuracy at ${k}`).toBeLessThanOrEqual(1 / 16 + 1e-6);
        looped.dispose();
      });
    }
  }
});
