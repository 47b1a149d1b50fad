import { expect } from 'vitest';

export { seeded as seededRandom, testSeed } from '../helpers/random';

/** Uniform in [lo, hi) from a seeded generator. */
export function uniform(rand: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

/**
 * Fails unless |actual - expected| <= abs + rel·max(|actual|, |expected|) everywhere; the message
 * lists the first differing entries with both numbers and their difference.
 */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: { rel?: number; abs?: number },
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const rel = tol.rel ?? 0;
  const abs = tol.abs ?? 0;
  const bad: string[] = [];
  let count = 0;
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k];
    const e = expected[k];
    const ok = (Number.isNaN(a) && Number.isNaN(e)) || Math.abs(a - e) <= abs + rel * Math.max(Math.abs(a), Math.abs(e));
    if (!ok) {
      count++;
      if (bad.length < 10) bad.push(`[${k}] got ${a}, expected ${e}, diff ${a - e}`);
    }
  }
  expect(bad, `${what}: ${count} of ${expected.length} entries differ beyond rel ${rel} + abs ${abs}`).toEqual([]);
}

/** Scalar form of expectAllClose. */
export function expectClose(actual: number, expected: number, tol: { rel?: number; abs?: number }, what: string): void {
  expectAllClose([actual], [expected], tol, what);
}
