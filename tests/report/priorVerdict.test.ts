import { describe, expect, it } from 'vitest';
import { priorSgdVerdict } from '../../src/core/verdicts/priorSgd';

describe('priorSgdVerdict', () => {
  it('agrees with a strong correlation over enough shared functions', () => {
    const v = priorSgdVerdict({ both: 40, priorOnly: 100, sgdOnly: 3, r: { value: 0.8, low: 0.65, high: 0.9 } });
    expect(v.agrees).toBe(true);
    expect(v.text).toMatch(/^Agrees: r = 0.80 \[0.65, 0.90\] over 40 functions found by both/);
  });

  it('differs when the interval reaches below 0.5, and cannot tell with fewer than 20 shared', () => {
    const weak = priorSgdVerdict({ both: 40, priorOnly: 100, sgdOnly: 3, r: { value: 0.6, low: 0.3, high: 0.8 } });
    expect([weak.agrees, weak.text.startsWith('Differs: r = 0.60 [0.30, 0.80]')]).toEqual([false, true]);
    const none = priorSgdVerdict({ both: 15, priorOnly: 212, sgdOnly: 1, r: { value: 0.9, low: 0.7, high: 0.95 } });
    expect([none.agrees, none.text.startsWith('Cannot tell: 15 functions found by both')]).toEqual([false, true]);
  });
});
