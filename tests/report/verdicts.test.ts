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
