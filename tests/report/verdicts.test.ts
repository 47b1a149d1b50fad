import { describe, expect, test } from 'vitest';
import { GROKKING_PLATEAU_RATIO, grokkingVerdict } from '../../src/report/verdicts';

describe("the report's verdicts come from stated criteria", () => {
  test('grokking agrees only when held-out accuracy stays at chance ≥ 10× the fitting time, then rises', () => {
    expect(GROKKING_PLATEAU_RATIO).toBe(10);
    // fitted at 100, at chance until 1,100 (10× the fit), 0.9 at 1,500: the plateau
    const grokked = grokkingVerdict([
      { fit: 100, leaves: 1100, reach: 1500 },
      { fit: 100, leaves: 1200, reach: 1600 },
      { fit: 100, leaves: 300, reach: 700 },
    ]);
    expect(grokked.agrees).toBe(true);
    expect(grokked.text).toMatch(/^Agrees: 2 of 3 particles/);
    // the curve: fitted at ~90, above chance from 130, 0.9 by 740: gradual
    const gradual = grokkingVerdict([
      { fit: 90, leaves: 130, reach: 500 },
      { fit: 100, leaves: 1099, reach: 1500 },
    ]);
    expect(gradual.agrees).toBe(false);
    expect(gradual.text).toMatch(/^Differs: gradual\. Only 0 of 2/);
    expect(gradual.text).toContain('left chance 0.4–9.9× the fitting time');
    // a plateau that never ends is not grokking either, nor is a run where nothing fitted
    expect(grokkingVerdict([{ fit: 100 }, { fit: 100 }]).text).toMatch(/^Differs: none of the 2 particles that fitted reached 0.9/);
    expect(grokkingVerdict([]).agrees).toBe(false);
  });
});

import {
  alignedBarrierVerdict,
  allAtLeast,
  bothHold,
  foundMore,
  headlineVerdict,
  risesSteadily,
  side,
  type AlignedBarrierRow,
  type HeadlineRow,
} from '../../src/report/verdicts';

describe("every criterion behind the report's Agrees and Differs, on each side", () => {
  test('a share rising with the knob', () => {
    expect(risesSteadily([0.1, 0.1, 0.4])).toBe(true);
    expect(risesSteadily([0.1, 0.4, 0.3])).toBe(false);
  });

  test('both classes holding 10% somewhere (the seed decides there), and nearly every seed taking one feature', () => {
    expect(bothHold([0.875, 1, 1.125], [0.05, 0.4, 0.9], [0.9, 0.5, 0.05])).toEqual([1]);
    expect(bothHold([0.875, 1], [0.05, 0.95], [0.95, 0.05])).toEqual([]);
    expect(allAtLeast([0.95, 0.91], 0.9)).toBe(true);
    expect(allAtLeast([0.95, 0.89], 0.9)).toBe(false);
  });

  test('the headline question: flatter and wider, each interval excluding 0, at every salience', () => {
    const d = (difference: number, lo: number, hi: number) => ({ difference, lo, hi });
    expect(side(d(-1, -2, -0.5))).toBe('below');
    expect(side(d(1, 0.5, 2))).toBe('above');
    expect(side(d(0.1, -0.2, 0.4))).toBe('unclear');
    expect(side(d(0.1, NaN, NaN))).toBe('unclear');
    const row = (salience: number, sharp: [number, number, number], r50: [number, number, number]): HeadlineRow => ({
      salience,
      more: 'colour',
      less: 'shape',
      sharpness: d(...sharp),
      r50: d(...r50),
      llc: d(-0.1, -0.3, 0.1),
    });
    const flatWide = headlineVerdict([row(0.875, [-0.3, -0.5, -0.1], [0.2, 0.1, 0.3]), row(1, [-0.2, -0.4, -0.05], [0.1, 0.02, 0.2])]);
    expect(flatWide.agrees).toBe(true);
    expect(flatWide.text).toMatch(/^Agrees: at every salience/);
    expect(flatWide.text).toContain('The LLC, more-found minus other, by salience: 0.875: -0.10 [-0.30, 0.10]');
    // one salience where the interval holds 0, one where the more-found class is sharper
    const mixed = headlineVerdict([row(0.875, [-0.3, -0.5, -0.1], [0.2, -0.1, 0.3]), row(1, [0.2, 0.1, 0.3], [0.1, 0.02, 0.2])]);
    expect(mixed.agrees).toBe(false);
    expect(mixed.text).toContain('at 0.875 colour is not measurably wider than shape (r50 0.20 [-0.10, 0.30])');
    expect(mixed.text).toContain('at 1 colour is sharper than shape');
    expect(headlineVerdict([]).agrees).toBe(false);
  });

  test('the headline question judges only saliences where one class is found more (Wilson intervals apart)', () => {
    const d = (difference: number, lo: number, hi: number) => ({ difference, lo, hi });
    const f = (fraction: number, low: number, high: number) => ({ fraction, low, high });
    expect(foundMore({ more: f(0.7, 0.6, 0.8), less: f(0.1, 0.05, 0.2) })).toBe(true);
    expect(foundMore({ more: f(0.36, 0.25, 0.48), less: f(0.33, 0.23, 0.45) })).toBe(false);
    const clear: HeadlineRow = {
      salience: 0.875,
      more: 'shape',
      less: 'colour',
      sharpness: d(-0.02, -0.03, -0.01),
      r50: d(0.1, 0.02, 0.14),
      shares: { more: f(0.77, 0.65, 0.85), less: f(0.13, 0.07, 0.23) },
    };
    // at the balance the "more-found" class is sharper and narrower: not judged, so the verdict still agrees
    const even: HeadlineRow = {
      ...clear,
      salience: 1,
      sharpness: d(0.01, 0.005, 0.02),
      r50: d(-0.1, -0.2, -0.05),
      shares: { more: f(0.36, 0.25, 0.48), less: f(0.33, 0.23, 0.45) },
    };
    const v = headlineVerdict([clear, even]);
    expect(v.agrees).toBe(true);
    expect(v.text).toContain('Not judged: at 1 shape 36.0% [25.0, 48.0] and colour 33.0% [23.0, 45.0] are found about equally often');
    // the same balanced row, its shares apart, is judged and fails
    expect(headlineVerdict([clear, { ...even, shares: clear.shares }]).agrees).toBe(false);
    const none = headlineVerdict([even]);
    expect(none.agrees).toBe(false);
    expect(none.text).toMatch(/^Differs: no salience had one class found more/);
  });

  test('aligned barriers: between ≥ 2× within and clusters matching the classes beyond chance, on every set', () => {
    const row = (between: number, ariLo: number): AlignedBarrierRow => ({
      set: 'colour',
      within: [
        { name: 'colour', median: 0.1 },
        { name: 'shape', median: 0.2 },
      ],
      between,
      ari: ariLo + 0.1,
      ariLo,
      ariHi: ariLo + 0.2,
    });
    expect(alignedBarrierVerdict([row(0.4, 0.2)]).agrees).toBe(true);
    const low = alignedBarrierVerdict([row(0.39, 0.2)]);
    expect(low.agrees).toBe(false);
    expect(low.text).toContain('on colour the between-class barrier is 1.95× the larger within-class one');
    const chance = alignedBarrierVerdict([row(0.4, -0.05)]);
    expect(chance.agrees).toBe(false);
    expect(chance.text).toContain('the clusters do not match the classes beyond chance (ARI interval -0.050 to 0.150)');
    expect(alignedBarrierVerdict([]).agrees).toBe(false);
    const none = alignedBarrierVerdict([{ ...row(0, 0.2), within: [{ name: 'colour', median: 0 }] }]);
    expect(none.agrees).toBe(false);
    expect(none.text).toContain('on colour there is no barrier within the classes or between them (every median 0)');
  });
});
