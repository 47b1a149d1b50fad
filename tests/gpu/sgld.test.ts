import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/core/cpuEngine';
import type { SgldResult, SgldSettings, SgldSpec } from '../../src/core/engine';
import type { Activation } from '../../src/core/layout';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { seeded, worstMismatch } from '../helpers/random';
import { randomSgldSpec } from '../helpers/sgldSpec';

const cpu = new CpuEngine();

const randomSpec = (seed: number, hidden: number[], activation: Activation, classes: number, sgld: Partial<SgldSettings>): SgldSpec =>
  randomSgldSpec(
    seed,
    { hidden, activation, classes },
    { rows: 24, particles: 5 },
    { chains: 3, burnin: 20, draws: 60, batch: 8, ...sgld },
  );

/** GPU (float32) against CPU (float64) chain by chain: the same rows and noise, so the same trajectories up to rounding. */
function expectSame(gpu: SgldResult, cpu: SgldResult, draws: number) {
  // L(w*) over 24 rows in float32 vs float64
  const centre = worstMismatch(gpu.centerLoss, cpu.centerLoss, 1e-5, 1e-5);
  expect(centre.ratio, `L(w*) ${centre.a} (gpu) vs ${centre.b} (cpu) at particle ${centre.at}`).toBeLessThanOrEqual(1);
  expect(Array.from(gpu.diverged)).toEqual(Array.from(cpu.diverged));
  // 80 float32 steps of size ~√ε: positions drift apart by ~1e-6 relative; mean losses follow
  const mean = worstMismatch(gpu.meanLoss, cpu.meanLoss, 2e-5, 1e-4);
  expect(mean.ratio, `mean draw loss ${mean.a} (gpu) vs ${mean.b} (cpu) at chain ${mean.at}`).toBeLessThanOrEqual(1);
  // a batch loss within rounding of L(w*) may count on one side only: allow one draw per chain
  for (let j = 0; j < cpu.below.length; j++) {
    if (cpu.diverged[j]) continue;
    expect(Math.abs(gpu.below[j] - cpu.below[j]) * draws, `draws below L(w*), chain ${j}`).toBeLessThanOrEqual(1.0001);
  }
}

describe('SGLD chains: GPU against the CPU reference', () => {
  const cases: [string, number[], Activation, number, Partial<SgldSettings>][] = [
    ['tanh, one logit, minibatch', [5], 'tanh', 2, {}],
    ['relu, 3 classes, full batch', [4], 'relu', 3, { batch: 'full' }],
    ['gelu, two hidden layers, γ = 0', [4, 3], 'gelu', 2, { gamma: 0, nbeta: 20 }],
    ['no hidden layer (logistic regression)', [], 'tanh', 2, { eps: 3e-3 }],
    ['identity (a linear network, as reduced-rank regression), 3 classes, full batch', [4], 'identity', 3, { batch: 'full' }],
  ];
  for (const [name, hidden, activation, classes, sgld] of cases) {
    it(`match on fresh random inputs: ${name}`, async () => {
      const spec = randomSpec(testSeed(`sgld ${name}`), hidden, activation, classes, sgld);
      const gpu = await (await gpuEngine()).sampleSgld(spec);
      const ref = await cpu.sampleSgld(spec);
      expectSame(gpu, ref, spec.sgld.draws);
      // and the chains moved: a chain standing still would match too
      expect(ref.meanLoss.some((l, j) => Math.abs(l - ref.centerLoss[Math.floor(j / spec.sgld.chains)]) > 1e-4)).toBe(true);
    });
  }

  it("match with a step size per particle (the LLC's automatic ε), on fresh random inputs", async () => {
    const seed = testSeed('sgld eps by particle');
    const spec = randomSpec(seed, [4], 'tanh', 2, {});
    const rand = seeded(seed + 1);
    const epsByParticle = Float64Array.from({ length: spec.particles }, () => 10 ** (-4 + 1.5 * rand()));
    const withEps = { ...spec, epsByParticle };
    const gpu = await (await gpuEngine()).sampleSgld(withEps);
    const ref = await cpu.sampleSgld(withEps);
    expectSame(gpu, ref, spec.sgld.draws);
    // and the per-particle ε was used: the shared one gives other chains
    const shared = await cpu.sampleSgld(spec);
    expect(Array.from(ref.meanLoss)).not.toEqual(Array.from(shared.meanLoss));
  });

  it('match when chunked into the smallest dispatches (one step each), on fresh random inputs', async () => {
    const engine = await gpuEngine();
    const tiny = new GpuEngine(engine.gpu, nodeShaderLibrary(), engine.device, { targetDispatchMs: 1e-6 });
    const spec = randomSpec(testSeed('sgld chunked'), [4], 'tanh', 2, { burnin: 5, draws: 15 });
    let reports = 0;
    const gpu = await tiny.sampleSgld(spec, { onProgress: () => reports++ });
    expect(reports).toBeGreaterThanOrEqual(20);
    expectSame(gpu, await cpu.sampleSgld(spec), spec.sgld.draws);
    tiny.dispose();
  });

  it('groups of fewer chains than a workgroup (the chain_end bound) give the same bytes as whole dispatches', async () => {
    const engine = await gpuEngine();
    const tiny = new GpuEngine(engine.gpu, nodeShaderLibrary(), engine.device, { targetDispatchMs: 1e-6 });
    // 2 × 35 = 70 chains, more than a workgroup (64): the tiny budget makes groups of one chain
    const base = randomSpec(testSeed('sgld chain end'), [4], 'tanh', 2, { chains: 35, burnin: 1, draws: 2 });
    const spec = { ...base, particles: 2, centers: base.centers.subarray(0, (2 * base.centers.length) / base.particles) };
    const queue = engine.gpu.queue;
    const write = queue.writeBuffer.bind(queue);
    let dispatches = 0;
    queue.writeBuffer = ((buffer: GPUBuffer, ...rest: unknown[]) => {
      if (buffer.label === 'sgld uniforms') dispatches++;
      return (write as (...a: unknown[]) => void)(buffer, ...rest);
    }) as typeof queue.writeBuffer;
    let sliced;
    try {
      sliced = await tiny.sampleSgld(spec);
    } finally {
      queue.writeBuffer = write;
    }
    // whole workgroups would be at most 2 dispatches a step (6); after the untimed first chunk the
    // tiny budget gives one chain a dispatch: 70 for each of the two later steps
    expect(dispatches).toBeGreaterThanOrEqual(2 * 70);
    const whole = await engine.sampleSgld(spec);
    for (const key of ['meanLoss', 'below', 'diverged', 'centerLoss'] as const)
      expect(Array.from(sliced[key])).toEqual(Array.from(whole[key]));
    tiny.dispose();
  });

  it('flag the same chains diverged when ε is far too large', async () => {
    // ε·γ/2 = 4.5: the localisation overshoots, each step multiplies w − w* by −3.5 until it overflows
    const spec = randomSpec(testSeed('sgld diverging'), [5], 'tanh', 2, { eps: 0.9, gamma: 10, burnin: 0, draws: 150 });
    const gpu = await (await gpuEngine()).sampleSgld(spec);
    const ref = await cpu.sampleSgld(spec);
    expect(ref.diverged.every((d) => d === 1)).toBe(true);
    expect(Array.from(gpu.diverged)).toEqual(Array.from(ref.diverged));
    expect(Array.from(gpu.meanLoss).every((l, j) => Number.isNaN(l) === (gpu.diverged[j] === 1))).toBe(true);
  });
});
