import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../src/core/maths/adjustedRand';
import { ariBootstrap } from '../../../../src/core/instruments/barriers/ariInterval';
import { seeded, testSeed } from '../../../helpers/random';

/** Barriers between n particles of `classes` classes: `within` inside a class, `between` across, plus noise. */
function barriers(labels: number[], within: number, between: number, noise: number, rand: () => number): Float64Array {
  const n = labels.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = (labels[i] === labels[j] ? within : between) + noise * rand();
  return d;
}

describe("the adjusted Rand index's bootstrap interval over particles", () => {
  const rand = seeded(testSeed('ari bootstrap'));
  const labels = Array.from({ length: 30 }, (_, i) => i % 2);

  it('is [1, 1] when the barriers separate the classes cleanly', () => {
    const a = ariBootstrap(barriers(labels, 0.01, 1, 0.01, rand), labels, 2, 3, 200);
    expect(a.defined).toBe(200);
    expect(a.lo).toBe(1);
    expect(a.hi).toBe(1);
  });

  it('holds 0, and not 1, when barriers carry nothing about the classes', () => {
    const a = ariBootstrap(barriers(labels, 0.5, 0.5, 0.5, rand), labels, 2, 3, 200);
    expect(a.lo).toBeLessThan(0.05);
    expect(a.hi).toBeGreaterThan(-0.05);
    expect(a.hi).toBeLessThan(0.5);
  });

  it('brackets a partial match, and is the same for the same seed', () => {
    // half the particles of class 1 sit with class 0: clusters match the classes in part
    const near = labels.map((c, i) => (c === 1 && i % 4 === 1 ? 0 : c));
    const d = barriers(near, 0.01, 1, 0.05, rand);
    const a = ariBootstrap(d, labels, 2, 5, 300);
    const b = ariBootstrap(d, labels, 2, 5, 300);
    expect(b).toEqual(a);
    const point = adjustedRandIndex(near, labels);
    expect(a.lo).toBeLessThanOrEqual(point);
    expect(a.hi).toBeGreaterThanOrEqual(point);
    expect(a.hi - a.lo).toBeGreaterThan(0.05);
  });

  it('is undefined (NaN) with one class in one cluster, or fewer than two particles', () => {
    const one = [0, 0, 0, 0];
    const a = ariBootstrap(barriers(one, 0.1, 0.1, 0.1, rand), one, 1, 1, 50);
    expect(a.lo).toBeNaN();
    expect(a.defined).toBe(0);
    expect(ariBootstrap(new Float64Array(1), [0], 1, 1, 10).lo).toBeNaN();
  });
});
