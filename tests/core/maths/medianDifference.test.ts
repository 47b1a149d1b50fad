import { describe, expect, it } from 'vitest';
import { medianDifference } from '../../../src/core/maths/medianDifference';
import { seeded, testSeed } from '../../helpers/random';

describe('the difference of two classes’ medians, with a bootstrap interval', () => {
  const rand = seeded(testSeed('median difference'));
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

  it('covers the true difference about 95% of the time (100 draws of two normal samples of 30)', () => {
    let covered = 0;
    for (let k = 0; k < 100; k++) {
      const a = Array.from({ length: 30 }, () => 1 + normal());
      const b = Array.from({ length: 30 }, normal);
      const d = medianDifference(a, b, k, 300);
      if (d.lo <= 1 && 1 <= d.hi) covered++;
    }
    // 95 of 100 expected; percentile intervals for medians of 30 run a little narrow, and 100 draws scatter by ±4
    expect(covered).toBeGreaterThanOrEqual(85);
  });

  it('excludes 0 for separated classes, holds it for the same distribution, and is the same for the same seed', () => {
    const a = Array.from({ length: 20 }, () => 5 + 0.1 * normal());
    const b = Array.from({ length: 20 }, () => 0.1 * normal());
    const d = medianDifference(a, b, 3);
    expect(d.lo).toBeGreaterThan(4);
    expect(medianDifference(a, b, 3)).toEqual(d);
    const same = medianDifference(Array.from({ length: 40 }, normal), Array.from({ length: 40 }, normal), 3);
    expect(same.lo).toBeLessThan(same.hi);
  });

  it('gives no interval under 5 finite values in a class, and leaves non-finite values out', () => {
    const d = medianDifference([1, 2, 3, NaN, Infinity], [0, 0, 0, 0, 0, 0], 1);
    expect(d.n).toEqual([3, 6]);
    expect(d.difference).toBe(2);
    expect(d.lo).toBeNaN();
  });
});
