import { describe, expect, it } from 'vitest';
import { domainRows, functionWords } from '../../src/core/instruments/prior/priorSampler';
import { priorSpec } from '../../src/core/instruments/prior/priorRun';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { makeRun } from '../../src/core/runs';
import { findPreset } from '../../src/core/tasks';
import type { PriorResult, PriorSpec } from '../../src/core/engine';
import { drawInit, type InitDist } from '../../src/core/init';
import { Mlp } from '../../src/core/mlp';
import { PURPOSE_PRIOR } from '../../src/core/rng';
import { paramCount, type Activation } from '../../src/core/layout';
import type { Task } from '../../src/core/task';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { seeded } from '../helpers/random';

const cpu = new CpuEngine();

/**
 * A binary task of `train` rows and one probe of `probe` rows, inputs uniform in [−1, 1]. The
 * training rows share one label: networks at init are biased towards constant functions, so
 * random training labels would be fitted by too few samples to compare much.
 */
function randomBinaryTask(rand: () => number, inputs: number, train: number, probe: number): Task {
  const shared = rand() < 0.5 ? 1 : 0;
  const set = (n: number, label: () => number) => ({
    x: new Float32Array(n * inputs).map(() => 2 * rand() - 1),
    y: Int32Array.from({ length: n }, label),
    rows: n,
  });
  return {
    name: 'random',
    description: 'random test data',
    inputs,
    classes: 2,
    train: set(train, () => shared),
    probes: [{ name: 'p', data: set(probe, () => (rand() < 0.5 ? 1 : 0)) }],
    params: {},
  };
}

function randomSpec(seed: number, hidden: number[], activation: Activation, dist: InitDist, bias: boolean, probeRows: number): PriorSpec {
  const rand = seeded(seed);
  const task = randomBinaryTask(rand, 3, 2, probeRows);
  return {
    layout: { widths: [3, ...hidden, 1], activation, ...(bias ? {} : { bias: false }) },
    task,
    dist,
    scale: 0.5 + rand(),
    seed: Math.floor(rand() * 1e6),
    firstSample: Math.floor(rand() * 1e6),
    samples: 1500,
  };
}

/**
 * Where float32 and float64 may disagree on a sign: the float64 logit within this of 0. The GPU's
 * draws differ from the CPU's by ~1e-6 relative (float32 log and cos; SwiftShader's are no better),
 * and the boolean net sums 2,000 of them into a logit of order 1: flips were seen up to 4e-4.
 */
const NEAR = 2e-3;

/** |logit| of sample s on domain row r, in float64 (from the reference network's cross-entropy: margin = −log(expm1(loss))). */
function margin(spec: PriorSpec, s: number, r: number): number {
  const params = new Float64Array(paramCount(spec.layout));
  drawInit(spec.layout, spec.dist, spec.scale, spec.seed, s, PURPOSE_PRIOR, params);
  const [set, row] = r < spec.task.train.rows ? [spec.task.train, r] : [spec.task.probes[0].data, r - spec.task.train.rows];
  return Math.abs(Math.log(Math.expm1(new Mlp(spec.layout).example(params, set, row)[0])));
}

/**
 * GPU (float32 draws and forward pass) against CPU (float64): the same samples accepted and the
 * same bits, except where the float64 logit lies within NEAR of 0 (float32 rounding may flip its
 * sign there). Every disagreement is checked to be such a point.
 */
function expectSame(spec: PriorSpec, gpu: PriorResult, ref: PriorResult) {
  const words = functionWords(domainRows(spec.task));
  const g = new Map(Array.from(gpu.accepted, (s, i) => [s, i]));
  const c = new Map(Array.from(ref.accepted, (s, i) => [s, i]));
  const oneSided = [...[...g.keys()].filter((s) => !c.has(s)), ...[...c.keys()].filter((s) => !g.has(s))];
  for (const s of oneSided) {
    const closest = Math.min(...Array.from({ length: spec.task.train.rows }, (_, r) => margin(spec, s, r)));
    expect(closest, `sample ${s} accepted on one side only: its smallest training |logit|`).toBeLessThan(NEAR);
  }
  expect(oneSided.length, `accepted on one side only (gpu ${gpu.accepted.length}, cpu ${ref.accepted.length})`).toBeLessThanOrEqual(2);
  for (const [s, i] of c) {
    const j = g.get(s);
    if (j === undefined) continue;
    for (let w = 0; w < words; w++) {
      const x = ref.bits[i * words + w] ^ gpu.bits[j * words + w];
      for (let b = 0; b < 32; b++) {
        if (((x >>> b) & 1) === 0) continue;
        expect(margin(spec, s, 32 * w + b), `sample ${s}, row ${32 * w + b}: bits differ; |logit|`).toBeLessThan(NEAR);
      }
    }
  }
  expect(Array.from(gpu.accepted)).toEqual(Array.from(gpu.accepted).sort((a, b) => a - b));
}

describe('prior sampler: GPU against the CPU reference', () => {
  const cases: [string, number[], Activation, InitDist, boolean, number][] = [
    ['relu, gaussian, two hidden layers, 2 words of bits', [6, 5], 'relu', 'gaussian', true, 40],
    ['tanh, default uniform init, no bias', [5], 'tanh', 'default', false, 9],
  ];
  for (const [name, hidden, activation, dist, bias, probe] of cases) {
    it(`match on fresh random inputs: ${name}`, async () => {
      const spec = randomSpec(testSeed(`prior ${name}`), hidden, activation, dist, bias, probe);
      const gpu = await (await gpuEngine()).samplePrior(spec);
      const ref = await cpu.samplePrior(spec);
      // 2 training rows of one label: some but not all samples fit them
      expect(ref.accepted.length).toBeGreaterThan(20);
      expect(ref.accepted.length).toBeLessThan(spec.samples);
      expectSame(spec, gpu, ref);
    });
  }

  it('match on the boolean preset (7-40-40-1 ReLU, Gaussian init), where float32 flips a few signs near 0', async () => {
    const seed = testSeed('prior boolean');
    const preset = findPreset('boolean')!;
    const task = preset.build({ target: 1, m: 1, dataSeed: seed % 1000 });
    const run = makeRun({ ...DEFAULT_CONFIG, ...preset.defaults, seed }, task);
    const spec = { ...priorSpec(run, 1200), firstSample: seed % 100000 };
    const [gpu, ref] = [await (await gpuEngine()).samplePrior(spec), await cpu.samplePrior(spec)];
    expect(ref.accepted.length).toBeGreaterThan(400);
    expectSame(spec, gpu, ref);
  });

  it('accept every sample when the training set is empty, with the same bits', async () => {
    const base = randomSpec(testSeed('prior empty'), [5], 'relu', 'gaussian', true, 12);
    const spec = { ...base, task: { ...base.task, train: { x: new Float32Array(0), y: new Int32Array(0), rows: 0 } }, samples: 700 };
    const gpu = await (await gpuEngine()).samplePrior(spec);
    expect(Array.from(gpu.accepted)).toEqual(Array.from({ length: 700 }, (_, i) => spec.firstSample + i));
    expectSame(spec, gpu, await cpu.samplePrior(spec));
  });

  it('match when chunked into the smallest dispatches, with progress between them', async () => {
    const engine = await gpuEngine();
    const tiny = new GpuEngine(engine.gpu, nodeShaderLibrary(), engine.device, { targetDispatchMs: 1e-6 });
    const spec = { ...randomSpec(testSeed('prior chunked'), [4], 'relu', 'gaussian', true, 5), samples: 300 };
    let reports = 0;
    const gpu = await tiny.samplePrior(spec, { onProgress: () => reports++ });
    expect(reports).toBeGreaterThanOrEqual(10);
    expectSame(spec, gpu, await cpu.samplePrior(spec));
    expect(tiny.liveBuffers).toBe(engine.liveBuffers);
    tiny.dispose();
  });
});
