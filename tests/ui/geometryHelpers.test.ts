import { describe, expect, it } from 'vitest';
import { MAX_BARRIER_PARTICLES } from '../../src/core/instruments/barriers/barrierAnalysis';
import { boxesByClass, quantileSorted } from '../../src/ui/charts/boxStats';
import { parseBarrierForm } from '../../src/ui/state/barrierForm';
import { cellAt, matrixOrder } from '../../src/ui/views/barriers/matrixOrder';
import { matrixPixels, meanBarriers, scaleTop } from '../../src/ui/views/barriers/matrixImage';
import { nextThrough, throughThree } from '../../src/ui/views/barriers/throughPicks';

describe('matrixOrder: rows by cluster (largest first), then class, then index; left-out last', () => {
  it('orders and finds the cluster borders', () => {
    //                 particle: 0  1  2  3   4  5  6
    const clusters = Int32Array.of(1, 0, 1, -1, 1, 0, 1);
    const classes = Uint8Array.of(2, 0, 1, 0, 1, 0, 2);
    const { order, rank, boundaries } = matrixOrder(clusters, classes);
    // cluster 1 has four particles: first; inside it class 1 (2, 4) before class 2 (0, 6); then cluster 0; then the left-out 3
    expect([...order]).toEqual([2, 4, 0, 6, 1, 5, 3]);
    expect(boundaries).toEqual([4, 6]);
    order.forEach((i, r) => expect(rank[i], `rank of particle ${i}`).toBe(r));
  });

  it('breaks ties between equal clusters by their commonest class, then by cluster index', () => {
    expect([...matrixOrder(Int32Array.of(1, 0, 1, 0), Uint8Array.of(0, 0, 0, 0)).order]).toEqual([1, 3, 0, 2]);
    // every particle alone (all barriers high): rows still line up by class
    expect([...matrixOrder(Int32Array.of(0, 1, 2, 3, 4), Uint8Array.of(1, 0, 1, 2, 0)).order]).toEqual([1, 4, 0, 2, 3]);
  });

  it('cellAt maps fractions of the side to a cell, and nothing outside', () => {
    expect(cellAt(0, 0, 10)).toEqual({ row: 0, col: 0 });
    expect(cellAt(0.999, 0.25, 10)).toEqual({ row: 2, col: 9 });
    expect(cellAt(1, 0.5, 10)).toBeUndefined();
    expect(cellAt(-0.01, 0.5, 10)).toBeUndefined();
    expect(cellAt(NaN, 0.5, 10)).toBeUndefined();
  });
});

describe('matrix pixels', () => {
  const m = 3;
  // particles 0 and 2 close, 1 far from both; the 1–2 line not finite
  const barrier = Float64Array.of(0, 2, 0.1, 2, 0, NaN, 0.1, NaN, 0);

  it('scaleTop is the largest finite barrier', () => {
    expect(scaleTop(barrier)).toBe(2);
    expect(scaleTop(new Float64Array(4))).toBeGreaterThan(0);
  });

  it('pixel (r, c) shows the barrier of order[r] and order[c]; not finite gets its own colour', () => {
    const order = Int32Array.of(2, 0, 1);
    const px = matrixPixels(barrier, order, 2);
    const at = (r: number, c: number) => [...px.slice((r * m + c) * 4, (r * m + c) * 4 + 4)];
    expect(px.length).toBe(m * m * 4);
    // the diagonal is zero: the lowest colour, everywhere the same
    expect(at(0, 0)).toEqual(at(2, 2));
    // symmetric
    expect(at(0, 1)).toEqual(at(1, 0));
    // (row 1, col 2) = particles 0 and 1: the top of the scale, unlike zero
    expect(at(1, 2)).not.toEqual(at(0, 0));
    // (row 0, col 2) = particles 2 and 1: not finite, unlike the top of the scale
    expect(at(0, 2)).not.toEqual(at(1, 2));
    expect(at(0, 2)[3]).toBe(255);
  });

  it('meanBarriers averages each particle over the others, skipping non-finite pairs', () => {
    const mean = meanBarriers(barrier, m);
    expect(mean[0]).toBeCloseTo(1.05, 12);
    expect(mean[1]).toBe(2);
    expect(mean[2]).toBeCloseTo(0.1, 12);
  });
});

describe('plane through three particles', () => {
  it('prefers particles with labels none of the chosen has, then the next unused', () => {
    const labels = Int32Array.of(0, 0, 1, 1, 2);
    expect(nextThrough([0], labels)).toBe(2);
    expect(nextThrough([0, 2], labels)).toBe(4);
    expect(throughThree([3, 1], labels)).toEqual([3, 1, 4]);
    // two labels only: the third is the first unused particle
    expect(throughThree([0], Int32Array.of(0, 0, 1))).toEqual([0, 2, 1]);
    // left-out particles (−1) are no "other cluster"
    expect(throughThree([0], Int32Array.of(0, -1, 0, 1))).toEqual([0, 3, 1]);
    expect(throughThree([0], Int32Array.of(0, 1))).toBeUndefined();
  });
});

describe('box plot numbers', () => {
  it('quartiles by linear interpolation, per class, non-finite values and label −1 left out', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    const boxes = boxesByClass([5, 1, 3, NaN, 2, 4, 9], [0, 0, 0, 0, 0, 1, -1], 3);
    expect(boxes[0]).toEqual({ n: 4, min: 1, q1: 1.75, median: 2.5, q3: 3.5, max: 5 });
    expect(boxes[1]).toEqual({ n: 1, min: 4, q1: 4, median: 4, q3: 4, max: 4 });
    expect(boxes[2]).toBeUndefined();
  });
});

describe('the "Measure barriers" form', () => {
  it('defaults to 128 particles, or all of a smaller ensemble', () => {
    expect(parseBarrierForm({}, 1024).request).toEqual({ particles: 128, points: 10, minBarrier: 0.01, align: false, set: 'train' });
    expect(parseBarrierForm({}, 64).request?.particles).toBe(64);
  });

  it('names the field and its range, as the command line does', () => {
    expect(parseBarrierForm({ particles: '65' }, 64).errors.particles).toBe(
      'particles to measure must be an integer from 2 to 64, got "65"',
    );
    expect(parseBarrierForm({ particles: '5000' }, 65536).errors.particles).toBe(
      `particles to measure must be an integer from 2 to ${MAX_BARRIER_PARTICLES}, got "5000"`,
    );
    expect(parseBarrierForm({ points: '1' }, 64).errors.points).toBe('points per line must be an integer from 2 to 100, got "1"');
    expect(parseBarrierForm({ clusters: '9', particles: '8' }, 64).errors.clusters).toBe(
      'clusters must be an integer from 1 to 8, got "9"',
    );
    expect(parseBarrierForm({ minBarrier: '-1' }, 64).errors.minBarrier).toContain('must be a number from 0 to 1000');
    expect(parseBarrierForm({ points: '0x10' }, 64).request).toBeUndefined();
  });

  it('takes clusters when given, and leaves the choice to the data when empty', () => {
    expect(parseBarrierForm({ clusters: '3', particles: '16' }, 64).request).toEqual({
      particles: 16,
      points: 10,
      minBarrier: 0.01,
      clusters: 3,
      align: false,
      set: 'train',
    });
    expect(parseBarrierForm({ clusters: '  ' }, 64).request?.clusters).toBeUndefined();
  });

  it("carries the alignment and the set, the set checked among the run's task's probe sets as --set checks it", () => {
    const probes = ['colour', 'shape'];
    expect(parseBarrierForm({}, 64, { align: true, set: 'shape' }, probes).request).toMatchObject({ align: true, set: 'shape' });
    const bad = parseBarrierForm({}, 64, { align: false, set: 'xor' }, probes);
    expect(bad.request).toBeUndefined();
    expect(bad.errors.set).toBe('the set must be one of train, colour, shape (the training set or a probe set of the task), got "xor"');
    // before a run has named the task's sets, nothing to check against
    expect(parseBarrierForm({}, 64, { align: false, set: 'xor' }).request?.set).toBe('xor');
  });
});
