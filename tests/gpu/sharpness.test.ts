import { describe, expect, it } from 'vitest';
import { measureSharpness } from '../../src/core/instruments/sharpness/sharpness';
import { DEFAULT_SHARPNESS } from '../../src/core/instruments/sharpness/sharpnessSettings';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { checkAgainstDenseHessian, TINY_MODELS } from '../helpers/sharpnessCases';

describe('sharpness on the GPU engine against float64 dense Hessians', () => {
  for (const [widths, activation, classes] of TINY_MODELS) {
    it(`top eigenvalue and Hutchinson trace (${widths.join('-')} ${activation})`, async () =>
      checkAgainstDenseHessian(await gpuEngine(), widths, activation, classes));
  }

  it('trained thneeb nets: the GPU engine agrees with the CPU engine', async () => {
    const seed = testSeed('sharpness thneeb');
    const preset = findPreset('thneeb')!;
    const run = makeRun({ ...DEFAULT_CONFIG, particles: 16, steps: 300, seed: 1 + (seed % 1000) }, preset.build(defaultKnobs(preset)));
    const gpu = await gpuEngine();
    const ensemble = await trainEnsemble(gpu, run);
    const problem = { layout: run.layout, task: run.task, params: ensemble.params, firstParticle: 0 };
    const settings = { ...DEFAULT_SHARPNESS, tol: 1e-4, maxIter: 300, trace: false, seed };
    const [a, b] = [await measureSharpness(gpu, problem, settings), await measureSharpness(new CpuEngine(), problem, settings)];
    for (let i = 0; i < 16; i++) {
      if (!a.converged[i] || !b.converged[i]) continue;
      // the GPU's float32 gradients move the fixed point by ≲ 1e-3 relative (src/bench/experiments/sharpnessStep.ts)
      const err = Math.abs(a.topEigenvalue[i] - b.topEigenvalue[i]) / Math.abs(b.topEigenvalue[i]);
      expect(err, `particle ${i}: ${a.topEigenvalue[i]} (gpu) vs ${b.topEigenvalue[i]} (cpu)`).toBeLessThanOrEqual(5e-3);
    }
    expect(Array.from(a.converged).filter(Boolean).length, 'converged on the GPU').toBeGreaterThanOrEqual(12);
  });
});
