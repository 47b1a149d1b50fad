import { describe, expect, it } from 'vitest';
import { metricSets, MetricsView } from '../../src/core/metricsView';
import { seededRandom, testSeed } from './helpers';

/** Random metrics [count][sets][2] with a few non-finite entries, as engines can return. */
function randomMetrics(rand: () => number, count: number, sets: number): Float32Array {
  return Float32Array.from({ length: count * sets * 2 }, () =>
    rand() < 0.05 ? [NaN, Infinity, -Infinity][Math.floor(rand() * 3)] : 10 * rand() - 5,
  );
}

describe('MetricsView', () => {
  it('reads loss and accuracy of item i on set s at (i·sets + s)·2 and +1, on random shapes', () => {
    const seed = testSeed('MetricsView read');
    const rand = seededRandom(seed);
    for (let t = 0; t < 20; t++) {
      const count = 1 + Math.floor(rand() * 50);
      const sets = 1 + Math.floor(rand() * 4);
      const data = randomMetrics(rand, count, sets);
      const m = new MetricsView(data, sets);
      expect([m.count, m.sets, m.width], `seed ${seed}`).toEqual([count, sets, 2 * sets]);
      expect(MetricsView.rowWidth(sets)).toBe(2 * sets);
      for (let i = 0; i < count; i++) {
        for (let s = 0; s < sets; s++) {
          const at = (i * sets + s) * 2;
          expect(m.offset(i, s)).toBe(at);
          expect([m.loss(i, s), m.acc(i, s)], `item ${i}, set ${s}, seed ${seed}`).toEqual([data[at], data[at + 1]]);
        }
        expect(Array.from(m.row(i)), `row ${i}, seed ${seed}`).toEqual(Array.from(data.slice(i * 2 * sets, (i + 1) * 2 * sets)));
        expect(m.finite(i), `finite(${i}), seed ${seed}`).toBe(Array.from(m.row(i)).every(Number.isFinite));
      }
      for (let s = 0; s < sets; s++) {
        expect(Array.from(m.column(s, 0)), `losses of set ${s}, seed ${seed}`).toEqual(
          Array.from({ length: count }, (_, i) => data[(i * sets + s) * 2]),
        );
        expect(Array.from(m.column(s, 1)), `accuracies of set ${s}, seed ${seed}`).toEqual(
          Array.from({ length: count }, (_, i) => data[(i * sets + s) * 2 + 1]),
        );
      }
    }
  });

  it('set writes one pair in place; row shares memory with the data, pick copies', () => {
    const m = MetricsView.zeros(3, 2);
    expect(m.data.length).toBe(12);
    m.set(1, 1, 0.25, 0.75);
    expect(Array.from(m.data)).toEqual([0, 0, 0, 0, 0, 0, 0.25, 0.75, 0, 0, 0, 0]);
    m.row(2)[0] = 9;
    expect(m.loss(2, 0)).toBe(9);
    const picked = m.pick([2, 1, 2]);
    expect([picked.count, picked.sets]).toEqual([3, 2]);
    expect(Array.from(picked.data)).toEqual([9, 0, 0, 0, 0, 0, 0.25, 0.75, 9, 0, 0, 0]);
    picked.set(0, 0, 1, 1);
    expect(m.loss(2, 0)).toBe(9);
  });

  it('refuses data that does not split into whole items; no items is fine', () => {
    expect(() => new MetricsView(new Float32Array(7), 2)).toThrow(/7 values .* 2 sets/);
    expect(new MetricsView(new Float32Array(0), 3).count).toBe(0);
  });

  it('metricSets: the training set, then one per probe', () => {
    expect(metricSets({ probes: [] })).toBe(1);
    expect(metricSets({ probes: ['colour', 'shape'] })).toBe(3);
  });
});
