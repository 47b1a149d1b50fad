import { describe, expect, it } from 'vitest';
import { DEFAULT_LLC_SETTINGS, llcAnalysis } from '../../../../src/core/instruments/llc/llcAnalysis';
import { linearRegression } from '../../../../src/core/instruments/llc/llcModels';
import { measureSharpness } from '../../../../src/core/instruments/sharpness/sharpness';
import { DEFAULT_SHARPNESS } from '../../../../src/core/instruments/sharpness/sharpnessSettings';
import { outcomeClasses } from '../../../../src/core/classify';
import { DEFAULT_CONFIG } from '../../../../src/core/config';
import { CpuEngine } from '../../../../src/core/cpuEngine';
import type { Engine } from '../../../../src/core/engine';
import { initEnsemble } from '../../../../src/core/init';
import { makeRun } from '../../../../src/core/runs';
import { trainToMinimum } from '../../../helpers/llcModels';
import { seeded, testSeed } from '../../../helpers/random';

/** A CPU engine that counts its gradient evaluations (the Hessian–vector products of the power iteration). */
function counting(): { engine: Engine; gradientCalls: () => number } {
  const engine = new CpuEngine();
  let calls = 0;
  const evaluate = engine.evaluateGradients.bind(engine);
  engine.evaluateGradients = (...args: Parameters<Engine['evaluateGradients']>) => {
    calls++;
    return evaluate(...args);
  };
  return { engine, gradientCalls: () => calls };
}

/**
 * geometry measures sharpness, then the LLC: under ε 'auto' the LLC takes the top eigenvalue
 * already measured instead of measuring it again (issue 23), and nothing it reports changes.
 */
describe("the LLC's step sizes from a sharpness already measured", () => {
  it('gives the same ε, eigenvalues and λ̂ as measuring them itself, without a second power iteration', async () => {
    const rand = seeded(testSeed('llc sharpness reuse'));
    const particles = 3;
    const model = linearRegression(4, 200, Math.floor(rand() * 1e6));
    const init = initEnsemble(model.layout, 1 + Math.floor(rand() * 1e6), 0, particles, 1);
    const { params } = await trainToMinimum(new CpuEngine(), model.layout, model.task, particles, init, 1500);
    const config = { ...DEFAULT_CONFIG, hidden: [], particles };
    const run = { ...makeRun(config, model.task), layout: model.layout };
    const ensemble = {
      classes: outcomeClasses(model.task),
      outcomes: new Uint8Array(particles),
      metrics: new Float32Array(0),
      diverged: new Uint8Array(particles),
      params,
    };
    const settings = { ...DEFAULT_LLC_SETTINGS, burnin: 20, draws: 50, chains: 2 };

    const alone = counting();
    const own = await llcAnalysis(alone.engine, run, ensemble, settings);
    expect(alone.gradientCalls(), 'the LLC alone measures the eigenvalue').toBeGreaterThan(0);

    const shared = counting();
    const problem = { layout: run.layout, task: run.task, params, firstParticle: run.config.firstParticle };
    // geometry's sharpness at its defaults (the run's init seed, 1 by default)
    const sharp = await measureSharpness(shared.engine, problem, { ...DEFAULT_SHARPNESS, trace: false, seed: config.seed });
    const before = shared.gradientCalls();
    const reused = await llcAnalysis(shared.engine, run, ensemble, settings, {}, sharp);
    expect(shared.gradientCalls(), 'no second power iteration').toBe(before);

    expect(Array.from(reused.topEigenvalue!)).toEqual(Array.from(sharp.topEigenvalue));
    expect(Array.from(reused.topEigenvalue!)).toEqual(Array.from(own.topEigenvalue!));
    expect(Array.from(reused.epsByParticle)).toEqual(Array.from(own.epsByParticle));
    expect(Array.from(reused.estimate.llc)).toEqual(Array.from(own.estimate.llc));
    expect(Array.from(reused.estimate.llcStd)).toEqual(Array.from(own.estimate.llcStd));
    expect(reused.estimate.problems).toEqual(own.estimate.problems);
  });

  it("refuses a sharpness of other particles (a programming error, not a user's)", async () => {
    const model = linearRegression(3, 50, 1);
    const params = initEnsemble(model.layout, 1, 0, 2, 1);
    const run = { ...makeRun({ ...DEFAULT_CONFIG, hidden: [], particles: 2 }, model.task), layout: model.layout };
    const ensemble = {
      classes: outcomeClasses(model.task),
      outcomes: new Uint8Array(2),
      metrics: new Float32Array(0),
      diverged: new Uint8Array(2),
      params,
    };
    const problem = { layout: run.layout, task: run.task, params: params.subarray(0, 3), firstParticle: 0 };
    const one = await measureSharpness(new CpuEngine(), problem, { ...DEFAULT_SHARPNESS, trace: false, seed: 1 });
    await expect(llcAnalysis(new CpuEngine(), run, ensemble, DEFAULT_LLC_SETTINGS, {}, one)).rejects.toThrow(/not of these particles/);
  });
});
