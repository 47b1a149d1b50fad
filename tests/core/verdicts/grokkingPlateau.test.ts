import { describe, expect, it } from 'vitest';
import { grokkingPlateau, type GrokkingCurves } from '../../../src/core/verdicts/grokkingPlateau';

/**
 * Curves recorded every 10 steps to `last`: training accuracy 1 from `fit` on (0.5 before),
 * held-out accuracy at chance (1/p) until `leaves`, then 0.5 until `generalises`, then 1.
 */
function curves(p: number, last: number, fit: number, leaves = Infinity, generalises = Infinity): GrokkingCurves {
  const steps = Array.from({ length: last / 10 + 1 }, (_, k) => 10 * k);
  return {
    steps,
    trainAcc: steps.map((s) => (s >= fit ? 1 : 0.5)),
    heldOutAcc: steps.map((s) => (s >= generalises ? 1 : s >= leaves ? 0.5 : 1 / p)),
    classes: p,
  };
}

describe('grokkingPlateau', () => {
  it('finds grokking: fitted at 100, at chance until 1,200 (11 fitting times), generalised at 1,500', () => {
    const g = grokkingPlateau(curves(23, 3000, 100, 1200, 1500));
    expect(g).toEqual({ fit: 100, leaves: 1200, generalises: 1500, ratio: 11, ratioIsLowerBound: false, grokked: true });
  });

  it('calls a plateau of exactly 10 fitting times grokking, and one of 9 not', () => {
    expect(grokkingPlateau(curves(23, 3000, 100, 1100, 1500)).grokked).toBe(true);
    const short = grokkingPlateau(curves(23, 3000, 100, 1000, 1500));
    expect([short.ratio, short.grokked]).toEqual([9, false]);
  });

  it('is not grokking when held-out accuracy climbs from the fit (the preset today)', () => {
    const g = grokkingPlateau(curves(23, 3000, 100, 110, 700));
    expect([g.ratio, g.grokked]).toEqual([0.1, false]);
  });

  it('gives a lower bound, not grokking, when held-out accuracy never leaves chance', () => {
    const g = grokkingPlateau(curves(23, 3000, 100));
    expect(g).toEqual({ fit: 100, leaves: undefined, generalises: undefined, ratio: 29, ratioIsLowerBound: true, grokked: false });
  });

  it('is not grokking when it leaves chance but never reaches 0.9', () => {
    const g = grokkingPlateau(curves(23, 3000, 100, 1500));
    expect([g.ratio, g.generalises, g.grokked]).toEqual([14, undefined, false]);
  });

  it('has no plateau without a fit, and names bad input', () => {
    expect(grokkingPlateau(curves(23, 300, 1000))).toEqual({ ratioIsLowerBound: false, grokked: false });
    expect(() => grokkingPlateau({ steps: [0, 1], trainAcc: [1], heldOutAcc: [1, 1], classes: 5 })).toThrow(/length/);
  });
});
