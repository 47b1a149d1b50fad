import { describe, expect, it } from 'vitest';
import { measureSharpness } from '../../../../src/core/instruments/sharpness/sharpness';
import { DEFAULT_SHARPNESS, parseSharpnessSettings } from '../../../../src/core/instruments/sharpness/sharpnessSettings';
import { CpuEngine } from '../../../../src/core/cpuEngine';
import type { Engine, GradientsSpec, RunOptions } from '../../../../src/core/engine';
import { paramCount } from '../../../../src/core/layout';
import { checkAgainstDenseHessian, TINY_MODELS } from '../../../helpers/sharpnessCases';
import { randomParams, randomTask, seeded, testSeed } from '../../../helpers/random';

describe('sharpness on the CPU engine against float64 dense Hessians', () => {
  for (const [widths, activation, classes] of TINY_MODELS) {
    it(`top eigenvalue and Hutchinson trace (${widths.join('-')} ${activation})`, () =>
      checkAgainstDenseHessian(new CpuEngine(), widths, activation, classes));
  }
});

/** The CPU engine, counting the gradients it is asked for. */
function counting(): { engine: Engine; gradients: () => number } {
  const cpu = new CpuEngine();
  let n = 0;
  const engine = Object.assign(Object.create(cpu) as Engine, {
    evaluateGradients(spec: GradientsSpec, options?: RunOptions) {
      n += spec.vectors.length / paramCount(spec.layout.widths);
      return cpu.evaluateGradients(spec, options);
    },
  });
  return { engine, gradients: () => n };
}

describe('power iteration bookkeeping', () => {
  const rand = seeded(testSeed('sharpness bookkeeping'));
  const task = randomTask(rand, 3, 2, 20);
  const layout = { widths: [3, 6, 1], activation: 'tanh' as const };
  const p = paramCount(layout.widths);
  const settings = { ...DEFAULT_SHARPNESS, trace: false, seed: 5 };

  it('iterates only particles not yet converged: two gradients per particle and iteration, each with its own count', async () => {
    const params = randomParams(rand, layout.widths, 10, 1.5);
    params[3 * p + 1] = NaN;
    const { engine, gradients } = counting();
    const r = await measureSharpness(engine, { layout, task, params, firstParticle: 0 }, settings);
    expect(gradients()).toBe(2 * r.iterations.reduce((a, b) => a + b, 0));
    expect(new Set(r.iterations).size, `iterations ${r.iterations}`).toBeGreaterThan(1);
    // the non-finite particle is not measured, and says so
    expect([r.iterations[3], r.converged[3], r.topEigenvalue[3]]).toEqual([0, 0, NaN]);
  });

  it('reports an unconverged particle as such: no eigenvalue, the last estimate kept', async () => {
    const params = randomParams(rand, layout.widths, 4, 1.5);
    const r = await measureSharpness(new CpuEngine(), { layout, task, params, firstParticle: 0 }, { ...settings, maxIter: 2, tol: 1e-12 });
    expect(Array.from(r.converged)).toEqual([0, 0, 0, 0]);
    expect(Array.from(r.iterations)).toEqual([2, 2, 2, 2]);
    expect(r.topEigenvalue.every(Number.isNaN)).toBe(true);
    expect(r.lastEstimate.every(Number.isFinite)).toBe(true);
  });

  it('is reproducible, and a split sweep (firstParticle) measures each particle as the whole sweep does', async () => {
    const params = randomParams(rand, layout.widths, 6, 1.5);
    const cpu = new CpuEngine();
    const tracing = { ...settings, trace: true, traceSamples: 5 };
    const whole = await measureSharpness(cpu, { layout, task, params, firstParticle: 0 }, tracing);
    const again = await measureSharpness(cpu, { layout, task, params, firstParticle: 0 }, tracing);
    expect(again).toEqual(whole);
    const tail = await measureSharpness(cpu, { layout, task, params: params.slice(4 * p), firstParticle: 4 }, tracing);
    expect(Array.from(tail.topEigenvalue)).toEqual(Array.from(whole.topEigenvalue.subarray(4)));
    expect(Array.from(tail.trace!.estimate)).toEqual(Array.from(whole.trace!.estimate.subarray(4)));
    // another seed starts elsewhere: other iteration counts or other last digits
    const other = await measureSharpness(cpu, { layout, task, params, firstParticle: 0 }, { ...tracing, seed: 6 });
    expect(Array.from(other.trace!.estimate)).not.toEqual(Array.from(whole.trace!.estimate));
  });
});

describe('sharpness settings', () => {
  it("default to PyHessian's (tol 1e-3, 100 iterations), no trace", () => {
    expect(parseSharpnessSettings({}, 9)).toEqual({ maxIter: 100, tol: 1e-3, trace: false, traceSamples: 100, seed: 9 });
    expect(parseSharpnessSettings({ trace: true, traceSamples: '20', maxIter: '5', tol: '0.01' }, 1)).toMatchObject({
      maxIter: 5,
      tol: 0.01,
      trace: true,
      traceSamples: 20,
    });
  });

  it('refuse a bad value naming the flag and its range', () => {
    expect(() => parseSharpnessSettings({ maxIter: '0' }, 1)).toThrow('--max-iter must be an integer from 1 to 10000, got "0"');
    expect(() => parseSharpnessSettings({ tol: '0' }, 1)).toThrow('--tol must be a positive number up to 1, got "0"');
    expect(() => parseSharpnessSettings({ trace: true, traceSamples: '1' }, 1)).toThrow(
      '--trace-samples must be an integer from 2 to 100000',
    );
    expect(() => parseSharpnessSettings({ traceSamples: '10' }, 1)).toThrow('--trace-samples applies with --trace');
  });
});
