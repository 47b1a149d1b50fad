import { describe, expect, it } from 'vitest';
import { noisyLogistic } from '../../src/core/tasks/noisyLogistic';
import { llcAt } from '../helpers/llcModels';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { seeded } from '../helpers/random';

describe('the LLC on the GPU engine, at its default settings', () => {
  it('is d/2 (within 25%) for logistic regression on labels with noise, on fresh data', async () => {
    const rand = seeded(testSeed('gpu llc logistic'));
    const task = noisyLogistic({ inputs: 3, examples: 512, dataSeed: Math.floor(rand() * 1e6) });
    const { a, mean, gradNorm, d } = await llcAt(
      await gpuEngine(),
      task,
      { widths: [3, 1], activation: 'tanh' },
      4,
      Math.floor(rand() * 1e6),
    );
    console.log(`GPU, logistic regression, d/2 = ${d / 2}: λ̂ = ${mean.toFixed(3)}, |∇L(w*)| ≤ ${gradNorm.toExponential(1)}`);
    expect(gradNorm, 'w* is a minimum').toBeLessThan(1e-3);
    expect(a.problems).toBe(0);
    expect(Math.abs(mean - d / 2) / (d / 2), `λ̂ ${mean} vs d/2 ${d / 2}`).toBeLessThanOrEqual(0.25);
  });
});
