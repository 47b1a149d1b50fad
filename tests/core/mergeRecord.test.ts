import { describe, expect, it } from 'vitest';
import { mergeRecord } from '../../src/core/mergeRecord';
import { mergeFourier } from '../../src/core/instruments/grokking-fourier/instrument';
import { RECORD_CURVES_MAX } from '../../src/core/results';
import { seededRandom, testSeed } from './helpers';

const settings = { every: 10, steps: [0, 10, 20], reachedAt: 0.9 };

/** A recorded particle whose curves are random, as a shard writes it. */
function particle(rand: () => number, index: number) {
  const curve = () => ({ loss: [rand(), rand(), rand()], acc: [rand(), rand(), rand()] });
  return { index, record: { train: curve(), probes: { generalised: curve() } } };
}

describe('merging recorded train results', () => {
  it('recomputes the quantiles from every particle’s curves: the median of 3 values is the middle one', () => {
    const rand = seededRandom(testSeed('merge record'));
    const particles = [0, 1, 2].map((i) => particle(rand, i));
    const { record } = mergeRecord({ ...settings, quantiles: 'the shard’s own, ignored' }, particles);
    const q = record.quantiles as { q: number[]; train: { acc: number[][] } };
    const median = q.q.indexOf(0.5);
    for (let t = 0; t < 3; t++) {
      const sorted = particles.map((p) => p.record.train.acc[t]).sort((a, b) => a - b);
      expect(q.train.acc[t][median]).toBeCloseTo(sorted[1], 12);
    }
    expect(record).toMatchObject({ ...settings, curves: 'per particle' });
  });

  it(`beyond ${RECORD_CURVES_MAX} particles the per-particle curves are left out, as one run leaves them`, () => {
    const rand = seededRandom(testSeed('merge record many'));
    const particles = Array.from({ length: RECORD_CURVES_MAX + 1 }, (_, i) => particle(rand, i));
    const merged = mergeRecord(settings, particles);
    expect(merged.record.curves).toBe('quantiles only');
    expect(merged.particles.every((p) => !('record' in (p as object)))).toBe(true);
  });

  it('says so when a shard wrote no curves, instead of merging quantiles it cannot', () => {
    const merged = mergeRecord(settings, [{ index: 0 }, particle(Math.random, 1)]);
    expect(merged.record.quantiles).toBeUndefined();
    expect(merged.record.note).toMatch(/cannot be merged/);
  });

  it('counts the frequency sets of every shard’s measured particles afresh', () => {
    const shard = (sets: number[][], first: number) => ({
      of: 'generalised particles',
      particles: sets.map((frequencies, i) => ({ index: first + i, frequencies, concentration: 0.9 })),
    });
    const merged = mergeFourier([shard([[1, 2], [3]], 0), shard([[1, 2]], 2), shard([], 3)]);
    expect(merged).toMatchObject({
      measured: 3,
      distinctSets: 2,
      sets: [
        { frequencies: [1, 2], count: 2 },
        { frequencies: [3], count: 1 },
      ],
    });
    expect(mergeFourier([shard([], 0)]).distinctSets).toBeNull();
  });
});
