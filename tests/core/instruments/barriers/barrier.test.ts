import { describe, expect, it } from 'vitest';
import {
  allPairs,
  barrierMatrix,
  barrierSummary,
  interpolationPoints,
  lineBarrier,
} from '../../../../src/core/instruments/barriers/barrier';
import { parseBarrierSettings } from '../../../../src/core/instruments/barriers/barrierAnalysis';

describe('loss barriers', () => {
  it('spaces points evenly with both ends', () => {
    expect(Array.from(interpolationPoints(5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => interpolationPoints(1)).toThrow(/points/);
  });

  it('is the largest rise above the straight line between the end losses, clipped at 0', () => {
    const ts = interpolationPoints(5);
    // ends 1 and 3: the chord is 1, 1.5, 2, 2.5, 3
    expect(lineBarrier([1, 2, 2.5, 2.5, 3], ts)).toBeCloseTo(0.5, 12);
    expect(lineBarrier([1, 1.2, 1.4, 2, 3], ts)).toBe(0);
    expect(lineBarrier([1, 1, NaN, 1, 1], ts)).toBeNaN();
  });

  it('fills a symmetric matrix with a zero diagonal, pair by pair in allPairs order', () => {
    const m = 4;
    const pairs = allPairs(m);
    expect(Array.from(pairs)).toEqual([0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 3]);
    const ts = interpolationPoints(3);
    // line l has its middle loss l + 1 above flat ends of 0
    const matrix = barrierMatrix(m, ts, (line, k) => (k === 1 ? line + 1 : 0));
    for (let l = 0; l < pairs.length / 2; l++) {
      const [i, j] = [pairs[2 * l], pairs[2 * l + 1]];
      expect(matrix[i * m + j]).toBe(l + 1);
      expect(matrix[j * m + i]).toBe(l + 1);
    }
    for (let i = 0; i < m; i++) expect(matrix[i * m + i]).toBe(0);
  });

  it('summarises within and between classes, leaving out items labelled −1', () => {
    // items 0, 1 in class a; 2, 3 in class b; 4 left out
    const m = 5;
    const b = (i: number, j: number) => (i === 4 || j === 4 ? 99 : i < 2 === j < 2 ? 0.1 * (i + j) : 1 + 0.1 * (i + j));
    const matrix = new Float64Array(m * m).map((_, k) => (Math.floor(k / m) === k % m ? 0 : b(Math.floor(k / m), k % m)));
    const s = barrierSummary(matrix, [0, 0, 1, 1, -1], ['a', 'b']);
    expect(Object.keys(s).sort()).toEqual(['a', 'a|b', 'b']);
    expect(s.a).toEqual({ pairs: 1, mean: 0.1, sd: 0, median: 0.1 });
    expect(s.b.mean).toBeCloseTo(0.5, 12);
    // between: (0,2) 1.2, (0,3) 1.3, (1,2) 1.3, (1,3) 1.4
    expect(s['a|b'].pairs).toBe(4);
    expect(s['a|b'].mean).toBeCloseTo(1.3, 12);
    expect(s['a|b'].median).toBeCloseTo(1.3, 12);
    expect(s['a|b'].sd).toBeCloseTo(Math.sqrt(0.02 / 3), 12);
  });
});

describe('barrier settings', () => {
  it('defaults, and takes valid text', () => {
    expect(parseBarrierSettings({}, 64)).toEqual({ points: 10, minBarrier: 0.01 });
    expect(parseBarrierSettings({ points: '5', clusters: '3', minBarrier: '0.2' }, 64)).toEqual({
      points: 5,
      clusters: 3,
      minBarrier: 0.2,
    });
  });

  it('refuses values out of range with one line naming the flag and the range', () => {
    expect(() => parseBarrierSettings({ points: '1' }, 64)).toThrow('--points must be an integer from 2 to 100, got "1"');
    expect(() => parseBarrierSettings({ clusters: '65' }, 64)).toThrow('--clusters must be an integer from 1 to 64, got "65"');
    expect(() => parseBarrierSettings({ minBarrier: '-1' }, 64)).toThrow(/--min-barrier must be a number from 0 to 1000/);
    expect(() => parseBarrierSettings({}, 1025)).toThrow('--particles must be an integer from 1 to 1024, got "1025"');
  });
});
