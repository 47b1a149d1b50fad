import { describe, expect, it } from 'vitest';
import { barrierAnalysis } from '../../src/core/instruments/barriers/barrierAnalysis';
import { llcAnalysis } from '../../src/core/instruments/llc/llcAnalysis';
import { measureSharpness } from '../../src/core/instruments/sharpness/sharpness';
import { DEFAULT_SHARPNESS } from '../../src/core/instruments/sharpness/sharpnessSettings';
import { widthAnalysis } from '../../src/core/instruments/width/width';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';

/**
 * The chunker sizes dispatches from measured time, so a result that depended on where the work was
 * cut would change from run to run. Each GPU instrument runs three times, on engines whose dispatch
 * target forces the smallest chunks (one step or one vector each), the default, and chunks that
 * grow to all the work at once, and the three results must be identical to the bit.
 */
const TARGETS_MS = [1e-6, 50, 1e9];

/** Plain numbers to compare with toEqual (exact, NaN equal to NaN). */
function bits(values: ArrayLike<number>): number[] {
  return Array.from(values);
}

describe('GPU instruments give the same bytes whatever the dispatch sizes', () => {
  it('llc, sharpness, width and barriers on trained thneeb nets', async () => {
    const seed = testSeed('determinism');
    const preset = findPreset('thneeb')!;
    const particles = 8;
    const run = makeRun({ ...DEFAULT_CONFIG, particles, steps: 200, seed: 1 + (seed % 1000) }, preset.build(defaultKnobs(preset)));
    const shared = await gpuEngine();
    const ensemble = await trainEnsemble(shared, run);
    const results = [];
    for (const targetDispatchMs of TARGETS_MS) {
      const engine = new GpuEngine(shared.gpu, nodeShaderLibrary(), shared.device, { targetDispatchMs });
      const llc = await llcAnalysis(engine, run, ensemble, { eps: 1e-3, gamma: 1, chains: 2, burnin: 10, draws: 150, batch: 16 });
      const sharpness = await measureSharpness(
        engine,
        { layout: run.layout, task: run.task, params: ensemble.params, firstParticle: 0 },
        { ...DEFAULT_SHARPNESS, maxIter: 20, trace: false, seed },
      );
      const width = await widthAnalysis(engine, run, ensemble, { directions: 3, radii: 4, rMin: 0.05, rMax: 1, delta: 0.1 }, seed);
      const barriers = await barrierAnalysis(engine, run, ensemble, { points: 5, minBarrier: 0.01 });
      engine.dispose();
      results.push({
        llcMean: bits(llc.result.meanLoss),
        llcBelow: bits(llc.result.below),
        llc: bits(llc.estimate.llc),
        top: bits(sharpness.topEigenvalue),
        widthRise: width.particles.flatMap((p) => (p === undefined ? [] : bits(p.lossRise))),
        widthChanged: width.particles.flatMap((p) => (p === undefined ? [] : bits(p.changed))),
        barrier: bits(barriers.barrier),
      });
    }
    for (const key of Object.keys(results[0]) as (keyof (typeof results)[0])[]) {
      expect(results[1][key], `${key}: default dispatch target vs the smallest chunks`).toEqual(results[0][key]);
      expect(results[2][key], `${key}: the largest chunks vs the smallest`).toEqual(results[0][key]);
    }
    // and the chains moved: identical because nothing happened would pass too
    expect(results[0].llc.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});
