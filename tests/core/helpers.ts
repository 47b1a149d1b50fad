import { expect } from 'vitest';

/**
 * A seed for random test inputs, printed so a failure can be replayed with TEST_SEED=...
 * (the same convention as tests/helpers/gpu.ts, without loading the WebGPU module).
 */
export function testSeed(name: string): number {
  const seed = process.env.TEST_SEED ? Number(process.env.TEST_SEED) >>> 0 : (Math.random() * 0xffffffff) >>> 0;
  console.log(`${name}: TEST_SEED=${seed}`);
  return seed;
}

/** mulberry32: a small seeded generator of test inputs in [0, 1), independent of src/core/rng.ts. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [lo, hi) from a seeded generator. */
export function uniform(rand: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

/**
 * Fails unless |actual - expected| <= abs + rel·max(|actual|, |expected|) everywhere; the message
 * lists the first differing entries with both numbers and their difference.
 */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: { rel?: number; abs?: number }, what: string): void {
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
