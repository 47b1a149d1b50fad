import { describe, expect, test } from 'vitest';
import { grokCurve, grokkingCurveVerdict, grokkingVerdict, showsPlateau } from '../../../src/core/verdicts/grokking';

describe("grokking's one rule (the report's and the story's)", () => {
  test('reads fit, leaving chance and reaching 0.9 from recorded accuracies', () => {
    const steps = [0, 100, 200, 1100, 1200, 1500];
    const train = [0.1, 0.95, 1, 1, 1, 1];
    const held = [0.05, 0.05, 0.05, 0.2, 0.5, 0.92];
    expect(grokCurve(steps, train, held, 1 / 23)).toEqual({ fit: 100, leaves: 1100, reach: 1500 });
    expect(
      grokCurve(
        steps,
        train.map(() => 0.5),
        held,
        1 / 23,
      ),
    ).toBeUndefined();
    expect(
      grokCurve(
        steps,
        train,
        held.map(() => 0.05),
        1 / 23,
      ),
    ).toEqual({ fit: 100, leaves: undefined, reach: undefined });
  });

  test('a plateau of exactly 10× the fitting time agrees, one step short does not', () => {
    expect(showsPlateau({ fit: 100, leaves: 1100, reach: 1500 })).toBe(true);
    expect(showsPlateau({ fit: 100, leaves: 1099, reach: 1500 })).toBe(false);
    expect(showsPlateau({ fit: 100, leaves: 1100 })).toBe(false);
    // the same curve gets the same answer from the report's many-particle verdict and the story's one-curve verdict
    for (const c of [
      { fit: 100, leaves: 1100, reach: 1500 },
      { fit: 100, leaves: 1099, reach: 1500 },
      { fit: 90, leaves: 130, reach: 500 },
    ]) {
      expect(grokkingVerdict([c]).agrees).toBe(grokkingCurveVerdict(c).agrees);
      expect(grokkingVerdict([c]).agrees).toBe(showsPlateau(c));
    }
  });
});
