import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../../../src/core/cpuEngine';
import type { ModelLayout } from '../../../../src/core/layout';
import { noisyLogistic } from '../../../../src/core/tasks/noisyLogistic';
import { deadUnitInit, llcAt } from '../../../helpers/llcModels';
import { seeded, testSeed } from '../../../helpers/random';

/**
 * The estimator against theory, at its DEFAULT settings (docs/instruments/llc.md): on a regular
 * model the local learning coefficient is d/2; a degenerate one scores below its parameter count's
 * d/2. On the CPU engine (tests/gpu/llcValidation.test.ts repeats the first on the GPU).
 */
describe('the LLC at its default settings', () => {
  it('is d/2 (within 25%) for logistic regression on labels with noise, a regular model, on fresh data', async () => {
    const rand = seeded(testSeed('llc logistic'));
    const task = noisyLogistic({ inputs: 3, examples: 512, dataSeed: Math.floor(rand() * 1e6) });
    const { a, mean, gradNorm, d } = await llcAt(
      new CpuEngine(),
      task,
      { widths: [3, 1], activation: 'tanh' },
      4,
      Math.floor(rand() * 1e6),
    );
    const per = Array.from(a.estimate.llc, (x) => x.toFixed(3)).join(', ');
    console.log(`logistic regression, d/2 = ${d / 2}: λ̂ = ${mean.toFixed(3)} (particles ${per}), |∇L(w*)| ≤ ${gradNorm.toExponential(1)}`);
    expect(gradNorm, 'w* is a minimum').toBeLessThan(1e-3);
    expect(a.problems).toBe(0);
    expect(Math.abs(mean - d / 2) / (d / 2), `λ̂ ${mean} vs d/2 ${d / 2}`).toBeLessThanOrEqual(0.25);
    // full batch at a true minimum: no draw can be below L(w*)
    expect(Math.max(...a.estimate.below)).toBe(0);
  });

  it('is below d/2 for a 2-3-1 relu network with a dead hidden unit (4 flat directions), on fresh data', async () => {
    const rand = seeded(testSeed('llc dead unit'));
    const task = noisyLogistic({ inputs: 2, examples: 512, dataSeed: Math.floor(rand() * 1e6) });
    const layout: ModelLayout = { widths: [2, 3, 1], activation: 'relu' };
    const init = deadUnitInit(3, 4, 1 + Math.floor(rand() * 1e6));
    const { a, mean, d } = await llcAt(new CpuEngine(), task, layout, 4, Math.floor(rand() * 1e6), init);
    const per = Array.from(a.estimate.llc, (x) => x.toFixed(3)).join(', ');
    console.log(`dead-unit relu net, d/2 = ${d / 2}: λ̂ = ${mean.toFixed(3)} (particles ${per})`);
    expect(a.problems).toBe(0);
    // the dead unit's 4 parameters are flat: at most (d − 4)/2 = 4.5 remain, less for the relu units' scale symmetry
    expect(mean, `λ̂ ${mean} vs d/2 ${d / 2}`).toBeLessThan(0.75 * (d / 2));
  });
});
