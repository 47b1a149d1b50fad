import { describe, expect, it } from 'vitest';
import { countClasses, quantile, quantiles, wilson } from '../../src/core/stats';
import { expectClose, seededRandom, testSeed } from './helpers';

describe('wilson', () => {
  it('known 95% intervals (Newcombe 1998; scipy.stats.binomtest(k, n).proportion_ci("wilson"))', () => {
    const cases: [number, number, number, number][] = [
      [0, 10, 0, 0.27753279986288926],
      [5, 10, 0.236593090512564, 0.7634069094874361],
      [10, 10, 0.7224672001371109, 1],
      [81, 263, 0.2552885198782742, 0.36620957698280004],
      [15, 148, 0.06238639953073629, 0.16048724172330803],
      [0, 20, 0, 0.16112515805281935],
      [1, 29, 0.006113214292762667, 0.17175521879320282],
    ];
    for (const [k, n, low, high] of cases) {
      const f = wilson(k, n);
      expect(f.fraction, `${k}/${n}`).toBe(k / n);
      expectClose(f.low, low, { abs: 1e-12 }, `${k}/${n} low`);
      expectClose(f.high, high, { abs: 1e-12 }, `${k}/${n} high`);
    }
  });

  it('bounds stay in [0, 1] around the fraction, symmetric under k → n − k, for every k ≤ n ≤ 60', () => {
    for (let n = 1; n <= 60; n++) {
      for (let k = 0; k <= n; k++) {
        const f = wilson(k, n);
        const ok = f.low >= 0 && f.high <= 1 && f.low <= f.fraction && f.fraction <= f.high && f.high - f.low > 0;
        if (!ok) expect.fail(`${k}/${n}: ${JSON.stringify(f)}`);
        const mirror = wilson(n - k, n);
        expectClose(f.low, 1 - mirror.high, { abs: 1e-12 }, `${k}/${n} low vs 1 − high of ${n - k}/${n}`);
      }
    }
  });

  it('0 of n has low exactly 0 and n of n high exactly 1 (rounding must not exclude the fraction)', () => {
    for (const n of [3, 6, 7, 10, 12, 1000]) {
      expect(wilson(0, n).low, `0/${n}`).toBe(0);
      expect(wilson(n, n).high, `${n}/${n}`).toBe(1);
    }
  });

  it('narrows as n grows at a fixed fraction', () => {
    const widths = [10, 100, 1000, 10000].map((n) => {
      const f = wilson(n / 5, n);
      return f.high - f.low;
    });
    for (let i = 1; i < widths.length; i++) expect(widths[i], `widths ${widths}`).toBeLessThan(widths[i - 1]);
    // half-width ≈ 1.96·√(p(1−p)/n) for large n
    expectClose(widths[3] / 2, 1.959964 * Math.sqrt(0.16 / 10000), { rel: 1e-3 }, 'half-width at n = 10000');
  });

  it('n = 0: fraction 0, interval [0, 1]', () => {
    expect(wilson(0, 0)).toEqual({ fraction: 0, low: 0, high: 1 });
  });
});

describe('countClasses', () => {
  it('counts each class index, zeros included', () => {
    expect(countClasses(Uint8Array.of(0, 2, 2, 4, 0, 2), 5)).toEqual([2, 0, 3, 0, 1]);
    expect(countClasses(new Uint8Array(0), 3)).toEqual([0, 0, 0]);
  });
});

describe('quantile', () => {
  it('linear interpolation between order statistics, input order irrelevant', () => {
    const v = [4, 1, 3, 2];
    expect([0, 0.5, 1, 1 / 3].map((q) => quantile(v, q))).toEqual([1, 2.5, 4, 2]);
    expect(quantile(Float32Array.of(10, 0, 5), 0.25)).toBe(2.5);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('ignores non-finite values; NaN when none is finite', () => {
    expect(quantile([NaN, 3, Infinity, 1, -Infinity], 0.5)).toBe(2);
    expect(quantile([NaN, Infinity], 0.5)).toBeNaN();
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('quantiles sorts once and agrees with a plain sort-and-interpolate on random data with non-finite entries', () => {
    const seed = testSeed('quantiles');
    const rand = seededRandom(seed);
    for (let t = 0; t < 50; t++) {
      const values = Array.from({ length: Math.floor(rand() * 40) }, () =>
        rand() < 0.1 ? NaN : rand() < 0.05 ? -Infinity : Math.fround(100 * rand() - 50),
      );
      const qs = [0, 0.1, 0.5, 0.9, 1, rand()];
      const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
      const expected = qs.map((q) => {
        if (finite.length === 0) return NaN;
        const pos = q * (finite.length - 1);
        const lo = Math.floor(pos);
        return lo + 1 < finite.length ? finite[lo] + (finite[lo + 1] - finite[lo]) * (pos - lo) : finite[lo];
      });
      expect(quantiles(Float32Array.from(values), qs), `${values.length} values, seed ${seed}`).toEqual(expected);
      expect(
        qs.map((q) => quantile(values, q)),
        `quantile vs quantiles, seed ${seed}`,
      ).toEqual(expected);
    }
  });
});
