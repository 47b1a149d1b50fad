import { describe, expect, it } from 'vitest';
import { domainRows, functionWords } from '../../src/core/analysis/priorSampler';
import { CpuEngine } from '../../src/core/cpuEngine';
import type { PriorResult, PriorSpec } from '../../src/core/engine';
import type { InitDist } from '../../src/core/init';
import type { Activation } from '../../src/core/layout';
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
 * GPU (float32 draws and forward pass) against CPU (float64): the same samples accepted and the
 * same bits, except where a logit lies within float32 rounding of 0 (~1e-6 relative to the draws,
 * so of the order of 1e-5 of the samples). Allowed: 2 samples accepted on one side only, and 2
 * differing bits over every sample both accept.
 */
function expectSame(gpu: PriorResult, ref: PriorResult, words: number) {
  const g = new Map(Array.from(gpu.accepted, (s, i) => [s, i]));
  const c = new Map(Array.from(ref.accepted, (s, i) => [s, i]));
  const oneSided = [...g.keys()].filter((s) => !c.has(s)).length + [...c.keys()].filter((s) => !g.has(s)).length;
  expect(oneSided, `accepted on one side only (gpu ${gpu.accepted.length}, cpu ${ref.accepted.length})`).toBeLessThanOrEqual(2);
  let differing = 0;
  for (const [s, i] of c) {
    const j = g.get(s);
    if (j === undefined) continue;
    for (let w = 0; w < words; w++) {
      let x = ref.bits[i * words + w] ^ gpu.bits[j * words + w];
      for (; x; x &= x - 1) differing++;
    }
  }
  expect(differing, 'bits differing over the samples both accept').toBeLessThanOrEqual(2);
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
      expectSame(gpu, ref, functionWords(domainRows(spec.task)));
    });
  }

  it('accept every sample when the training set is empty, with the same bits', async () => {
    const base = randomSpec(testSeed('prior empty'), [5], 'relu', 'gaussian', true, 12);
    const spec = { ...base, task: { ...base.task, train: { x: new Float32Array(0), y: new Int32Array(0), rows: 0 } }, samples: 700 };
    const gpu = await (await gpuEngine()).samplePrior(spec);
    expect(Array.from(gpu.accepted)).toEqual(Array.from({ length: 700 }, (_, i) => spec.firstSample + i));
    expectSame(gpu, await cpu.samplePrior(spec), 1);
  });

  it('match when chunked into the smallest dispatches, with progress between them', async () => {
    const engine = await gpuEngine();
    const tiny = new GpuEngine(engine.gpu, nodeShaderLibrary(), engine.device, { targetDispatchMs: 1e-6 });
    const spec = { ...randomSpec(testSeed('prior chunked'), [4], 'relu', 'gaussian', true, 5), samples: 300 };
    let reports = 0;
    const gpu = await tiny.samplePrior(spec, { onProgress: () => reports++ });
    expect(reports).toBeGreaterThanOrEqual(10);
    expectSame(gpu, await cpu.samplePrior(spec), 1);
    expect(tiny.liveBuffers).toBe(engine.liveBuffers);
    tiny.dispose();
  });
});
