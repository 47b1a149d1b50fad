import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../src/core/maths/adjustedRand';
import { averageLinkage, chooseClusterCount, cutTree } from '../../../src/core/maths/clustering';
import { seeded, testSeed } from '../../helpers/random';

/** The textbook O(M³) average linkage: merge the closest pair of clusters, recompute by averaging all item pairs. */
function naiveAverageLinkage(d: Float64Array, m: number): number[] {
  let clusters = Array.from({ length: m }, (_, i) => [i]);
  const heights: number[] = [];
  while (clusters.length > 1) {
    let best = [0, 1, Infinity];
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        let sum = 0;
        for (const i of clusters[a]) for (const j of clusters[b]) sum += d[i * m + j];
        const avg = sum / (clusters[a].length * clusters[b].length);
        if (avg < best[2]) best = [a, b, avg];
      }
    }
    heights.push(best[2]);
    const merged = [...clusters[best[0]], ...clusters[best[1]]];
    clusters = clusters.filter((_, k) => k !== best[0] && k !== best[1]);
    clusters.push(merged);
  }
  return heights.sort((x, y) => x - y);
}

function randomDistances(rand: () => number, m: number): Float64Array {
  const d = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) d[i * m + j] = d[j * m + i] = rand();
  return d;
}

describe('average-linkage clustering', () => {
  it('finds the merge heights of the naive algorithm on random distances', () => {
    const rand = seeded(testSeed('average linkage'));
    for (const m of [2, 3, 7, 20]) {
      const d = randomDistances(rand, m);
      const heights = averageLinkage(d, m).map((x) => x.height);
      const naive = naiveAverageLinkage(d, m);
      heights.forEach((h, k) => expect(h, `m=${m}, merge ${k}`).toBeCloseTo(naive[k], 10));
    }
  });

  it('recovers planted groups, and the data chooses their number', () => {
    const rand = seeded(testSeed('planted clusters'));
    const m = 30;
    const truth = Array.from({ length: m }, (_, i) => i % 3);
    const d = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) d[i * m + j] = d[j * m + i] = truth[i] === truth[j] ? 0.01 * rand() : 0.5 + 0.2 * rand();
    }
    const merges = averageLinkage(d, m);
    expect(chooseClusterCount(merges, m, 0.02)).toBe(3);
    const labels = cutTree(merges, m, 3);
    expect(adjustedRandIndex(labels, truth)).toBeCloseTo(1, 12);
    // cut at every k gives k clusters
    for (const k of [1, 2, 5, m]) expect(new Set(cutTree(merges, m, k)).size).toBe(k);
  });

  it('calls everything one cluster when no barrier rises above the floor', () => {
    const rand = seeded(testSeed('one cluster'));
    const m = 12;
    const d = randomDistances(() => 0.005 * rand(), m);
    expect(chooseClusterCount(averageLinkage(d, m), m, 0.02)).toBe(1);
  });

  it('copes with infinite distances (a pair whose line left float32)', () => {
    const m = 4;
    const d = new Float64Array(m * m);
    d[0 * m + 1] = d[1 * m + 0] = 0.1;
    d[2 * m + 3] = d[3 * m + 2] = 0.1;
    for (const [i, j] of [
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
    ])
      d[i * m + j] = d[j * m + i] = Infinity;
    const merges = averageLinkage(d, m);
    expect(merges.map((x) => x.height)).toEqual([0.1, 0.1, Infinity]);
    expect(adjustedRandIndex(cutTree(merges, m, 2), [0, 0, 1, 1])).toBe(1);
  });
});

describe('adjusted Rand index', () => {
  it('matches published values', () => {
    // scikit-learn's documentation examples
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714, 9);
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.2424242424, 9);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });

  it('leaves out items labelled −1 and is NaN when undefined', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, -1], [1, 1, 0, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 0], [0, 0, 0])).toBeNaN();
  });
});
