import { describe, expect, it } from 'vitest';
import { resolvedFraction, stepProblem } from '../../../src/core/maths/float32Resolution';
import { seeded, testSeed } from '../../helpers/random';

describe('float32 resolution of an instrument’s steps', () => {
  it('parameters of ordinary size resolve a step of 3e-3/√P everywhere; parameters of 1e30 resolve none', () => {
    const rand = seeded(testSeed('float32 resolution'));
    const ordinary = Float32Array.from({ length: 81 }, () => 4 * rand() - 2);
    expect(resolvedFraction(ordinary, 3e-3 / 9)).toBe(1);
    expect(stepProblem(ordinary, 3e-3 / 9, 'central-difference steps')).toBeUndefined();
    const blown = ordinary.map((w) => w * 1e30);
    expect(resolvedFraction(blown, 3e-3 / 9)).toBe(0);
    expect(stepProblem(blown, 3e-3 / 9, 'central-difference steps')).toMatch(
      /^the parameters are too large for float32 to take central-difference steps of 0\.00033 \(\|w\| up to [\d.]+e\+30; the step survives rounding at 0% of them\)/,
    );
  });

  it('the boundary is where the step is half an ulp: |w| = 2^24·step resolves it, 2^26·step does not', () => {
    const step = 1e-3;
    expect(resolvedFraction([2 ** 22 * step], step)).toBe(1);
    expect(resolvedFraction([2 ** 26 * step], step)).toBe(0);
    // half the vector blown up: exactly the threshold, still measured
    expect(stepProblem([0.5, 1e30], step, 'steps')).toBeUndefined();
    expect(stepProblem([0.5, 1e30, 1e30], step, 'steps')).toBeDefined();
  });
});
