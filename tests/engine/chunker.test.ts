import { describe, expect, it } from 'vitest';
import { Chunker } from '../../src/engine/chunker';
import { seeded, testSeed } from '../helpers/random';

describe('Chunker', () => {
  it('sizes chunks to the target from the last timing, growing at most 4× per chunk', () => {
    const rand = seeded(testSeed('chunker'));
    const msPerUnit = 0.001 + rand() * 0.1;
    const c = new Chunker(50, 16);
    expect(c.next(1e9)).toBe(16);
    let units = 16;
    for (let i = 0; i < 20; i++) {
      c.record(units, units * msPerUnit);
      const next = c.next(1e9);
      expect(next).toBeLessThanOrEqual(4 * units);
      units = next;
    }
    // (units · m) / units may round m by an ulp, and floor() turn that into one unit
    expect(Math.abs(units - Math.floor(50 / msPerUnit))).toBeLessThanOrEqual(1);
    expect(c.next(7)).toBe(7);
  });

  it('predicts from the fastest chunk per unit, so one slow chunk does not lengthen the next sleep', () => {
    const c = new Chunker(50, 100);
    expect(c.predictMs(100)).toBe(0);
    c.record(100, 500); // the first chunk, with pipeline compilation
    c.record(100, 20);
    c.record(100, 80); // a load spike
    expect(c.predictMs(1000)).toBeCloseTo(200, 9);
    // sizing still follows the last chunk: a slower device gets smaller chunks at once
    expect(c.next(1e9)).toBe(Math.floor(50 / 0.8));
  });
});
