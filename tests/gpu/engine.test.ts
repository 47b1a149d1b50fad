import { describe, expect, it } from 'vitest';
import { classify, DEFAULT_THRESHOLDS, outcomeClasses } from '../../src/core/classify';
import { CpuEngine } from '../../src/core/cpuEngine';
import type { Engine, TrainSpec } from '../../src/core/engine';
import { CancelledError, DeviceFailure, UserError } from '../../src/core/errors';
import { ACTIVATIONS, isAdam, OPTIMIZERS, outputsFor, paramCount, type Activation, type OptimizerName } from '../../src/core/layout';
import { metricSets, MetricsView } from '../../src/core/metricsView';
import { Mlp } from '../../src/core/mlp';
import type { Hyper } from '../../src/core/optimizer';
import { randomPlane } from '../../src/core/plane';
import { planeCoordinates } from '../../src/core/runs';
import type { Task } from '../../src/core/task';
import { requestNodeGpu } from '../../src/node/nodeGpu';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { randomParams, randomTask, seeded, worstMismatch } from '../helpers/random';

const cpu = new CpuEngine();

function spec(
  task: Task,
  hidden: number[],
  activation: Activation,
  hyper: Hyper,
  init: Float32Array,
  particles: number,
  extra: Partial<TrainSpec> = {},
): TrainSpec {
  return {
    layout: { widths: [task.inputs, ...hidden, outputsFor(task.classes)], activation },
    task,
    hyper,
    init,
    particles,
    noiseSeed: 7,
    firstParticle: 0,
    ...extra,
  };
}

async function trainBoth(s: TrainSpec, steps: number) {
  const run = async (engine: Engine) => {
    const session = await engine.startTraining(s);
    await session.advance(steps);
    const out = { params: await session.params(), metrics: await session.metrics(), diverged: await session.diverged() };
    session.dispose();
    return out;
  };
  return { gpu: await run(await gpuEngine()), cpu: await run(cpu) };
}

/**
 * The settings the optimizer tests train with: AdamW with betas other than the defaults and a decay
 * large enough to matter (lr·wd = 5e-3 a step), so a β or the decoupled decay read wrong shows.
 */
function optimizerHyper(optimizer: OptimizerName): Hyper {
  const common = { optimizer, momentum: 0.9, weightDecay: 1e-3, batch: 'full' as const };
  if (optimizer === 'adamw') return { ...common, lr: 0.01, weightDecay: 0.5, beta1: 0.8, beta2: 0.98 };
  return { ...common, lr: optimizer === 'adam' ? 0.01 : 0.1 };
}

const sgd = (lr: number, batch: Hyper['batch'] = 'full'): Hyper => ({ optimizer: 'sgd', lr, momentum: 0, weightDecay: 0, batch });

describe('GPU engine against the CPU reference engine', () => {
  // float32 forward passes of small nets over ≤ 64 rows: sums of ~100 terms of size ~1
  const LOSS_ATOL = 1e-5;
  const LOSS_RTOL = 1e-4;

  for (const activation of ACTIVATIONS) {
    for (const classes of [2, 4]) {
      it(`loss and accuracy match (${activation}, ${classes} classes) on fresh random inputs`, async () => {
        const rand = seeded(testSeed(`eval ${activation} ${classes}`));
        const task = randomTask(rand, 5, classes, 48);
        const hidden = [7, 6];
        const n = 64;
        const init = randomParams(rand, [5, ...hidden, outputsFor(classes)], n);
        const { gpu, cpu } = await trainBoth(spec(task, hidden, activation, sgd(0.1), init, n), 0);
        const sets = 3;
        const losses = (m: Float32Array) => m.filter((_, k) => k % 2 === 0);
        const w = worstMismatch(losses(gpu.metrics), losses(cpu.metrics), LOSS_ATOL, LOSS_RTOL);
        expect(w.ratio, `loss ${w.a} (gpu) vs ${w.b} (cpu) at ${w.at}`).toBeLessThanOrEqual(1);
        // accuracy can differ only where a logit sits within float32 rounding of a decision boundary:
        // allow one example per set
        for (let k = 1; k < gpu.metrics.length; k += 2) {
          const rows = [task.train.rows, task.probes[0].data.rows, task.probes[1].data.rows][((k - 1) / 2) % sets];
          expect(Math.abs(gpu.metrics[k] - cpu.metrics[k]) * rows, `accuracy at ${k}`).toBeLessThanOrEqual(1.0001);
        }
      });
    }
  }

  for (const activation of ACTIVATIONS) {
    it(`gradient matches (${activation}): one full-batch SGD step with lr 1 moves params by −∇L`, async () => {
      const rand = seeded(testSeed(`grad ${activation}`));
      const task = randomTask(rand, 4, 3, 32);
      const widths = [4, 8, 5, 3];
      const n = 16;
      const init = randomParams(rand, widths, n);
      const { gpu } = await trainBoth(spec(task, [8, 5], activation, sgd(1), init, n), 1);
      const p = paramCount(widths);
      const mlp = new Mlp({ widths, activation });
      for (let i = 0; i < n; i++) {
        const params = Float64Array.from(init.subarray(i * p, (i + 1) * p));
        const grad = new Float64Array(p);
        for (let r = 0; r < task.train.rows; r++) mlp.example(params, task.train, r, grad);
        const gpuGrad = Array.from({ length: p }, (_, k) => init[i * p + k] - gpu.params[i * p + k]);
        const cpuGrad = Array.from(grad, (g) => g / task.train.rows);
        // params ~1 minus a gradient ~0.1: the difference of two float32s carries ~1e-7 absolute error.
        // A component is a float32 sum over rows of terms as large as the particle's largest
        // component, so its error scales with that, not with itself: on an x² net a component of
        // 3e-3 was off by 7.6e-6 (TEST_SEED=2940855635, particle 4). Measured over 40
        // seeds × 16 particles per activation: |error| / max|∇L| at most 1.9e-6 (tanh, relu, gelu)
        // and 4.1e-6 (square); the bound is 5e-5 of it.
        const largest = Math.max(...cpuGrad.map(Math.abs));
        const w = worstMismatch(gpuGrad, cpuGrad, 2e-6 + 5e-5 * largest, 1e-3);
        expect(w.ratio, `particle ${i}: gradient ${w.a} (gpu) vs ${w.b} (cpu) at parameter ${w.at}`).toBeLessThanOrEqual(1);
      }
    });
  }

  for (const optimizer of OPTIMIZERS) {
    // The Adam family divides each step by √v: once the loss has flattened, a parameter whose
    // gradient is down at float32 round-off takes steps of order lr in whatever direction that
    // round-off points. Measured (TEST_SEED=1506236601, particle 18): GPU and float64 agree to
    // 1.3e-6 through step 140, then the output bias wanders by ~lr while the loss stays put. So
    // for Adam the 200-step check is the function the network computes (every set's loss); the
    // parameters are compared where they are well defined, after 50 steps below and over 100 in
    // adamw.test.ts. SGD and momentum take steps in proportion to the gradient: parameters too.
    const adamFamily = isAdam(optimizer);
    const tolerance = adamFamily ? 5e-3 : 1e-3;
    it(`200 full-batch ${optimizer} steps from the same init match to ${tolerance} relative (${adamFamily ? 'losses' : 'parameters and losses'})`, async () => {
      const rand = seeded(testSeed(`200 steps ${optimizer}`));
      const task = randomTask(rand, 3, 2, 32);
      const widths = [3, 8, 1];
      const n = 32;
      const init = randomParams(rand, widths, n);
      const hyper = optimizerHyper(optimizer);
      const { gpu, cpu } = await trainBoth(spec(task, [8], 'tanh', hyper, init, n), 200);
      const p = paramCount(widths);
      const sets = metricSets(task);
      const [gpuMetrics, cpuMetrics] = [new MetricsView(gpu.metrics, sets), new MetricsView(cpu.metrics, sets)];
      for (let i = 0; i < n; i++) {
        if (!adamFamily) {
          const g = gpu.params.subarray(i * p, (i + 1) * p);
          const c = cpu.params.subarray(i * p, (i + 1) * p);
          let diff = 0;
          let norm = 0;
          for (let k = 0; k < p; k++) {
            diff = Math.max(diff, Math.abs(g[k] - c[k]));
            norm = Math.max(norm, Math.abs(c[k]));
          }
          expect(diff / norm, `particle ${i}: max |Δparam| ${diff} over max |param| ${norm}`).toBeLessThanOrEqual(tolerance);
        }
        for (let s = 0; s < sets; s++) {
          const loss = [gpuMetrics.loss(i, s), cpuMetrics.loss(i, s)];
          expect(Math.abs(loss[0] - loss[1]), `particle ${i}, set ${s}: loss ${loss}`).toBeLessThanOrEqual(tolerance * loss[1] + 1e-6);
        }
      }
    });
  }

  // Relative L2 distance of the parameters from the float64 CPU engine after 50 full-batch steps.
  // Adam's bias corrections come from the host in float64 (WGSL's pow was off by up to 14 ulp on
  // SwiftShader): measured 8.1e-6 to 1.0e-5 with pow on the GPU, 3.5e-6 to 4.0e-6 with the host's
  // corrections (TEST_SEED 11-16). SGD and momentum: 2e-7 to 3.3e-7.
  // Adam, TEST_SEED 1-10 again: 3.1e-6 to 3.8e-6. AdamW (betas 0.8, 0.98, wd 0.5), TEST_SEED 1-11:
  // 5.0e-7 to 2.1e-6, and 4.3e-6 at 4179455956 (its decay keeps weights small, where the √v division
  // magnifies round-off most): the old bound of 2e-6 failed about one seed in seven.
  const L2_AFTER_50: Record<OptimizerName, number> = { sgd: 2e-6, momentum: 2e-6, adam: 6e-6, adamw: 1e-5 };
  for (const optimizer of OPTIMIZERS) {
    it(`after 50 ${optimizer} steps the parameters sit within ${L2_AFTER_50[optimizer]} (relative L2) of the float64 engine`, async () => {
      const rand = seeded(testSeed(`l2 ${optimizer}`));
      const task = randomTask(rand, 3, 2, 32);
      const widths = [3, 8, 1];
      const n = 32;
      const init = randomParams(rand, widths, n);
      const hyper = optimizerHyper(optimizer);
      const { gpu, cpu } = await trainBoth(spec(task, [8], 'tanh', hyper, init, n), 50);
      const p = paramCount(widths);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        let diff = 0;
        let norm = 0;
        for (let k = i * p; k < (i + 1) * p; k++) {
          diff += (gpu.params[k] - cpu.params[k]) ** 2;
          norm += cpu.params[k] ** 2;
        }
        worst = Math.max(worst, Math.sqrt(diff / norm));
      }
      console.log(`${optimizer}: worst relative L2 after 50 steps ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(L2_AFTER_50[optimizer]);
    });
  }

  it('draws the same minibatches as the CPU engine (bit-identical generator)', async () => {
    const rand = seeded(testSeed('minibatch'));
    const task = randomTask(rand, 3, 2, 40);
    const widths = [3, 6, 1];
    const n = 32;
    const init = randomParams(rand, widths, n);
    const { gpu, cpu } = await trainBoth(spec(task, [6], 'tanh', sgd(0.2, 4), init, n), 50);
    // with a different minibatch per step, a wrong index would move params by ~lr·|g| ~ 1e-2
    const w = worstMismatch(gpu.params, cpu.params, 1e-4, 1e-3);
    expect(w.ratio, `param ${w.a} (gpu) vs ${w.b} (cpu) at ${w.at}`).toBeLessThanOrEqual(1);
  });

  it('particle K of a run equals particle 0 of a run started at K (--first-particle)', async () => {
    const engine = await gpuEngine();
    const rand = seeded(testSeed('first particle'));
    const task = randomTask(rand, 3, 2, 40);
    const widths = [3, 6, 1];
    const p = paramCount(widths);
    const init = randomParams(rand, widths, 8);
    const big = await engine.startTraining(spec(task, [6], 'tanh', sgd(0.2, 4), init, 8));
    await big.advance(20);
    const K = 5;
    const small = await engine.startTraining(spec(task, [6], 'tanh', sgd(0.2, 4), init.slice(K * p, (K + 1) * p), 1, { firstParticle: K }));
    await small.advance(20);
    expect(Array.from(await small.params())).toEqual(Array.from((await big.params()).subarray(K * p, (K + 1) * p)));
  });

  it('loss maps match the CPU engine', async () => {
    const rand = seeded(testSeed('loss map'));
    const task = randomTask(rand, 4, 2, 24);
    const widths = [4, 6, 1];
    const center = randomParams(rand, widths, 1);
    const plane = randomPlane(widths, center, 3);
    const grid = planeCoordinates(9, 2);
    const planeSpec = { layout: { widths, activation: 'gelu' as const }, task, plane, ...grid };
    const gpu = await (await gpuEngine()).evaluatePlane(planeSpec);
    const ref = await cpu.evaluatePlane(planeSpec);
    const losses = (m: Float32Array) => m.filter((_, k) => k % 2 === 0);
    const w = worstMismatch(losses(gpu), losses(ref), 1e-5, 1e-4);
    expect(w.ratio, `loss ${w.a} (gpu) vs ${w.b} (cpu) at ${w.at}`).toBeLessThanOrEqual(1);
  });

  it('points on lines between vectors match the CPU engine', async () => {
    const rand = seeded(testSeed('lines'));
    const task = randomTask(rand, 4, 3, 24);
    const widths = [4, 6, 5, 3];
    const count = 7;
    const vectors = randomParams(rand, widths, count);
    // every pair once, both orders of one pair, and a vector with itself
    const pairs: number[] = [];
    for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) pairs.push(a, b);
    pairs.push(3, 1, 2, 2);
    const spec = {
      layout: { widths, activation: 'tanh' as const },
      task,
      vectors,
      pairs: Uint32Array.from(pairs),
      ts: Float32Array.from([0, 0.25, 0.5, 0.75, 1]),
    };
    const gpu = await (await gpuEngine()).evaluateLines(spec);
    const ref = await cpu.evaluateLines(spec);
    expect(gpu.length).toBe((pairs.length / 2) * 5 * 3 * 2);
    const losses = (m: Float32Array) => m.filter((_, k) => k % 2 === 0);
    const w = worstMismatch(losses(gpu), losses(ref), 1e-5, 1e-4);
    expect(w.ratio, `loss ${w.a} (gpu) vs ${w.b} (cpu) at ${w.at}`).toBeLessThanOrEqual(1);
    // t = 0 and t = 1 are the end points themselves
    const ends = await cpu.evaluateLines({ ...spec, pairs: Uint32Array.from([0, 1]), ts: Float32Array.from([1]) });
    const direct = await cpu.evaluateLines({ ...spec, pairs: Uint32Array.from([1, 1]), ts: Float32Array.from([0]) });
    expect(Array.from(ends)).toEqual(Array.from(direct));
  });

  it('marks diverging particles instead of failing, and classifies them diverged', async () => {
    const rand = seeded(testSeed('diverge'));
    const task = randomTask(rand, 3, 2, 16);
    const widths = [3, 8, 1];
    const init = randomParams(rand, widths, 8);
    // weight decay 1000 at lr 1 multiplies every parameter by about −999 per step: float32
    // overflows within ~13 steps, on both engines (the CPU engine checks the float32 range)
    const hyper: Hyper = { optimizer: 'sgd', lr: 1, momentum: 0, weightDecay: 1000, batch: 'full' };
    const { gpu, cpu } = await trainBoth(spec(task, [8], 'tanh', hyper, init, 8), 40);
    expect(Array.from(gpu.diverged)).toEqual(new Array(8).fill(1));
    expect(Array.from(cpu.diverged)).toEqual(new Array(8).fill(1));
    const outcomes = classify(task, gpu.metrics, gpu.diverged, DEFAULT_THRESHOLDS);
    expect(Array.from(outcomes, (o) => outcomeClasses(task)[o])).toEqual(new Array(8).fill('diverged'));
  });

  it('splits work into groups of particles, one step or many per dispatch, with identical results', async () => {
    const engine = await gpuEngine();
    const shaders = nodeShaderLibrary();
    // groups of 64 particles, one step each (no dispatch may take any time at all) ...
    const tiny = new GpuEngine(engine.gpu, shaders, engine.device, { targetDispatchMs: 1e-6, maxDispatchParticles: 64 });
    // ... and groups of 64 taking as many steps per dispatch as the target allows
    const grouped = new GpuEngine(engine.gpu, shaders, engine.device, { maxDispatchParticles: 64 });
    const rand = seeded(testSeed('tiny chunks'));
    const task = randomTask(rand, 3, 2, 24);
    const n = 200; // not a multiple of the workgroup size
    const hyper: Hyper = { optimizer: 'adam', lr: 0.01, momentum: 0, weightDecay: 0, batch: 5 };
    const s = spec(task, [6], 'tanh', hyper, randomParams(rand, [3, 6, 1], n), n);
    const run = async (e: GpuEngine) => {
      const session = await e.startTraining(s);
      // the first chunk is a guess; from the second on, the chunker has measured the device
      await session.advance(4);
      let chunks = 0;
      await session.advance(6, { onProgress: () => chunks++ });
      const out = { params: await session.params(), metrics: await session.metrics(), chunks };
      session.dispose();
      return out;
    };
    const normal = await run(engine);
    for (const [name, e] of [
      ['tiny', tiny],
      ['grouped', grouped],
    ] as const) {
      const split = await run(e);
      // one progress call per group per step, one per round
      if (name === 'tiny') expect(split.chunks).toBeGreaterThanOrEqual(6 * Math.ceil(n / 64));
      expect(Array.from(split.params), name).toEqual(Array.from(normal.params));
      expect(Array.from(split.metrics), name).toEqual(Array.from(normal.metrics));
      e.dispose();
    }
  });

  it('slices a slow device finer than a workgroup, down to one particle-step and one vector per dispatch, with identical results', async () => {
    // a big net on SwiftShader: one step of 64 particles once held the device for seconds, and a
    // dispatch cannot be stopped once submitted (issue 25)
    const engine = await gpuEngine();
    const single = new GpuEngine(engine.gpu, nodeShaderLibrary(), engine.device, { targetDispatchMs: 1e-6 });
    const rand = seeded(testSeed('single particle dispatches'));
    const task = randomTask(rand, 3, 2, 20);
    const n = 70; // a workgroup and a few more
    const hyper: Hyper = { optimizer: 'adamw', lr: 0.01, momentum: 0, weightDecay: 0.1, batch: 4 };
    const s = spec(task, [5], 'tanh', hyper, randomParams(rand, [3, 5, 1], n), n);
    const run = async (e: GpuEngine) => {
      const session = await e.startTraining(s);
      // the first chunk is sized by its work, untimed; from the second on, the chunker has measured the device
      await session.advance(2);
      let chunks = 0;
      await session.advance(3, { onProgress: () => chunks++ });
      const out = { params: await session.params(), metrics: await session.metrics(), chunks };
      session.dispose();
      return out;
    };
    const normal = await run(engine);
    const split = await run(single);
    // a progress call per particle per step: every dispatch held one particle-step
    expect(split.chunks).toBeGreaterThanOrEqual(3 * n);
    expect(Array.from(split.params)).toEqual(Array.from(normal.params));
    expect(Array.from(split.metrics)).toEqual(Array.from(normal.metrics));
    single.dispose();
  });

  it('stops between chunks when its AbortSignal fires', async () => {
    const engine = await gpuEngine();
    const task = randomTask(seeded(1), 3, 2, 16);
    const session = await engine.startTraining(spec(task, [8], 'tanh', sgd(0.1), randomParams(seeded(2), [3, 8, 1], 64), 64));
    const controller = new AbortController();
    let chunks = 0;
    const run = session.advance(1_000_000, {
      signal: controller.signal,
      onProgress: () => {
        if (++chunks === 2) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(chunks).toBe(2);
    session.dispose();
  });

  it('refuses an ensemble larger than the device allows, with a clear message', async () => {
    const engine = await gpuEngine();
    const task = randomTask(seeded(1), 3, 2, 16);
    const perBuffer = Math.min(engine.gpu.limits.maxStorageBufferBindingSize, engine.gpu.limits.maxBufferSize);
    const p = paramCount([3, 8, 1]);
    const particles = Math.ceil(perBuffer / (p * 4)) + 1;
    // a view claiming that many particles; the engine must refuse before touching the data
    const fake = { length: particles * p, byteLength: particles * p * 4 } as unknown as Float32Array;
    await expect(engine.startTraining(spec(task, [8], 'tanh', sgd(0.1), fake, particles))).rejects.toThrow(UserError);
  });
});

describe('the looped kernels (models too large to unroll) against the unrolled ones', () => {
  // the unrolled kernels follow the looped ones statement by statement: training is bit-identical,
  // evaluation within float32 rounding of a different summation order.
  // Each optimizer and each activation once (adamw and square, the grokking preset's, are pinned
  // together in tests/gpu/adamw.test.ts): the kernel generator writes an activation's code and an
  // optimizer's update independently of each other, and each case costs two kernel compiles (seconds
  // on SwiftShader), so the cross product would test the same lines four times over.
  const cases: [OptimizerName, Activation][] = [
    ['sgd', 'relu'],
    ['momentum', 'gelu'],
    ['momentum', 'identity'],
    ['adam', 'tanh'],
  ];
  it('the cases take every optimizer and every activation', () => {
    expect(new Set(cases.map(([o]) => o))).toEqual(new Set(OPTIMIZERS.filter((o) => o !== 'adamw')));
    expect(new Set(cases.map(([, a]) => a))).toEqual(new Set(ACTIVATIONS.filter((a) => a !== 'square')));
  });
  for (const [optimizer, activation] of cases) {
    it(`${optimizer}, ${activation}: same parameters after minibatch training, same metrics`, async () => {
      const unrolled = await gpuEngine();
      const looped = new GpuEngine(unrolled.gpu, nodeShaderLibrary(), unrolled.device, { unroll: false });
      const rand = seeded(testSeed(`looped ${optimizer} ${activation}`));
      const task = randomTask(rand, 4, 3, 32);
      const widths = [4, 7, 5, 3];
      // or this would compare the looped kernel with itself when the unrolled one fails to build
      expect(await unrolled.prepare({ widths, activation }, optimizer)).toBe('unrolled');
      expect(await looped.prepare({ widths, activation }, optimizer)).toBe('looped');
      const n = 96;
      const hyper: Hyper = { optimizer, lr: optimizer === 'adam' ? 0.01 : 0.1, momentum: 0.9, weightDecay: 1e-3, batch: 8 };
      const s = spec(task, [7, 5], activation, hyper, randomParams(rand, widths, n), n);
      const run = async (engine: GpuEngine) => {
        const session = await engine.startTraining(s);
        await session.advance(30);
        const out = { params: await session.params(), metrics: await session.metrics() };
        session.dispose();
        return out;
      };
      const [a, b] = [await run(looped), await run(unrolled)];
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
      const losses = (m: Float32Array) => m.filter((_, k) => k % 2 === 0);
      const w = worstMismatch(losses(a.metrics), losses(b.metrics), 1e-5, 1e-4);
      expect(w.ratio, `loss ${w.a} (looped) vs ${w.b} (unrolled) at ${w.at}`).toBeLessThanOrEqual(1);
      // accuracy may flip for one example whose logit sits within rounding of the boundary (sets of ≥ 16 rows)
      for (let k = 1; k < a.metrics.length; k += 2)
        expect(Math.abs(a.metrics[k] - b.metrics[k]), `accuracy at ${k}`).toBeLessThanOrEqual(1 / 16 + 1e-6);
      looped.dispose();
    });
  }
});

describe('device buffers', () => {
  it('parameter-major and particle-major layouts give bit-identical training and metrics', async () => {
    const engine = await gpuEngine();
    const particleMajor = new GpuEngine(engine.gpu, nodeShaderLibrary(), engine.device, { paramLayout: 'particle-major' });
    const rand = seeded(testSeed('layouts'));
    const task = randomTask(rand, 4, 3, 24);
    const n = 70; // not a multiple of the workgroup size
    for (const optimizer of OPTIMIZERS) {
      const s = spec(
        task,
        [6, 5],
        'gelu',
        { optimizer, lr: 0.05, momentum: 0.9, weightDecay: 1e-3, batch: 6 },
        randomParams(rand, [4, 6, 5, 3], n),
        n,
      );
      const run = async (e: Engine) => {
        const session = await e.startTraining(s);
        await session.advance(25);
        const out = { params: await session.params(), metrics: await session.metrics() };
        session.dispose();
        return out;
      };
      const [a, b] = [await run(engine), await run(particleMajor)];
      expect(Array.from(a.params), optimizer).toEqual(Array.from(b.params));
      expect(Array.from(a.metrics), optimizer).toEqual(Array.from(b.metrics));
    }
    particleMajor.dispose();
  });

  it('many sessions and loss maps on fresh Task objects leave the live-buffer count where it started', async () => {
    const engine = new GpuEngine((await gpuEngine()).gpu, nodeShaderLibrary(), 'test');
    const rand = seeded(testSeed('leaks'));
    const widths = [3, 5, 2];
    const sameTask = () => randomTask(seeded(99), 3, 2, 16);
    const round = async (task: Task) => {
      const session = await engine.startTraining(spec(task, [5], 'tanh', sgd(0.1, 4), randomParams(rand, widths, 8), 8));
      await session.advance(3);
      await session.metrics();
      session.dispose();
    };
    await round(sameTask());
    const start = engine.liveBuffers;
    for (let k = 0; k < 12; k++) {
      // the sandbox builds its preset's Task anew each run: same content, a new object
      await round(k % 3 === 0 ? randomTask(rand, 3, 2, 16) : sameTask());
      const center = randomParams(rand, widths, 1);
      await engine.evaluatePlane({
        layout: { widths, activation: 'tanh' },
        task: sameTask(),
        plane: randomPlane(widths, center, 1),
        ...planeCoordinates(4, 1),
      });
    }
    // a session refused for its size releases the task it had uploaded
    const perBuffer = Math.min(engine.gpu.limits.maxStorageBufferBindingSize, engine.gpu.limits.maxBufferSize);
    const tooMany = Math.floor(perBuffer / (paramCount(widths) * 4)) + 1;
    const fake = { length: tooMany * paramCount(widths), byteLength: tooMany * paramCount(widths) * 4 } as unknown as Float32Array;
    const refused = engine.startTraining(spec(randomTask(rand, 3, 2, 16), [5], 'tanh', sgd(0.1), fake, tooMany));
    await expect(refused).rejects.toThrow(UserError);
    await round(sameTask());
    expect(engine.liveBuffers).toBe(start);
    // and the count does count: a session holds buffers until disposed
    const open = await engine.startTraining(spec(sameTask(), [5], 'tanh', sgd(0.1), randomParams(rand, widths, 8), 8));
    expect(engine.liveBuffers).toBeGreaterThan(start);
    open.dispose();
    expect(engine.liveBuffers).toBe(start);
    engine.dispose();
    expect(engine.liveBuffers).toBe(0);
  });
});

describe('a lost GPU device', () => {
  it('is reported as a DeviceFailure by the next call, not as zeros', async () => {
    const nodeGpu = await requestNodeGpu();
    const engine = new GpuEngine(nodeGpu!.device, nodeShaderLibrary(), nodeGpu!.description);
    const task = randomTask(seeded(3), 3, 2, 16);
    const session = await engine.startTraining(spec(task, [4], 'tanh', sgd(0.1), randomParams(seeded(4), [3, 4, 1], 8), 8));
    await session.advance(2);
    nodeGpu!.device.destroy();
    await nodeGpu!.device.lost;
    await expect(session.advance(2)).rejects.toBeInstanceOf(DeviceFailure);
    await expect(engine.startTraining(spec(task, [4], 'tanh', sgd(0.1), randomParams(seeded(4), [3, 4, 1], 8), 8))).rejects.toThrow(
      /device was lost/,
    );
  });
});
