import { describe, expect, it } from 'vitest';
import { linearAssignment } from '../../../src/core/maths/assignment';
import { seeded, testSeed } from '../../helpers/random';

/** Every permutation's cost, by brute force: the oracle for small n. */
function bestByBruteForce(cost: number[], n: number): number {
  let best = Infinity;
  const perm = Array.from({ length: n }, (_, i) => i);
  const visit = (k: number) => {
    if (k === n) {
      best = Math.min(
        best,
        perm.reduce((s, j, i) => s + cost[i * n + j], 0),
      );
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      visit(k + 1);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  visit(0);
  return best;
}

describe('linear assignment (Hungarian method)', () => {
  it('finds the least-cost permutation of random matrices, as brute force does', () => {
    const rand = seeded(testSeed('assignment'));
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 7);
      // integer costs with ties, and real ones
      const cost = Array.from({ length: n * n }, () => (trial % 2 ? Math.floor(rand() * 5) : rand() * 10 - 5));
      const sigma = linearAssignment(cost, n);
      expect([...sigma].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      const total = Array.from(sigma).reduce((s, j, i) => s + cost[i * n + j], 0);
      expect(total).toBeCloseTo(bestByBruteForce(cost, n), 9);
    }
  });

  it('recovers a hidden permutation from a similarity matrix', () => {
    const n = 64;
    const rand = seeded(testSeed('assignment hidden'));
    const hidden = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5);
    // cost −1 on the hidden permutation, small noise elsewhere
    const cost = Array.from({ length: n * n }, (_, k) => (hidden[Math.floor(k / n)] === k % n ? -1 : 0.1 * rand()));
    expect(Array.from(linearAssignment(cost, n))).toEqual(hidden);
  });
});
