import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors';
import { coverage, parseShard, rangeText, shardRange, shardRecord } from '../../src/core/shards';

describe('shardRange: slice i of n is [⌊i·total/n⌋, ⌊(i+1)·total/n⌋)', () => {
  it('the n slices tile 0 … total − 1 in order, and their sizes differ by at most one', () => {
    for (let total = 1; total <= 60; total++) {
      for (let n = 1; n <= total; n++) {
        let next = 0;
        const sizes: number[] = [];
        for (let i = 0; i < n; i++) {
          const { first, size } = shardRange(total, i, n);
          expect(first, `total ${total}, shard ${i}/${n}`).toBe(next);
          next = first + size;
          sizes.push(size);
        }
        expect(next, `total ${total}, n ${n}`).toBe(total);
        expect(Math.min(...sizes), `total ${total}, n ${n}: ${sizes}`).toBeGreaterThanOrEqual(Math.floor(total / n));
        expect(Math.max(...sizes), `total ${total}, n ${n}: ${sizes}`).toBeLessThanOrEqual(Math.ceil(total / n));
      }
    }
  });

  it('30 particles in 3 and in 4 shards', () => {
    expect([0, 1, 2].map((i) => shardRange(30, i, 3))).toEqual([
      { first: 0, size: 10 },
      { first: 10, size: 10 },
      { first: 20, size: 10 },
    ]);
    expect([0, 1, 2, 3].map((i) => shardRange(30, i, 4))).toEqual([
      { first: 0, size: 7 },
      { first: 7, size: 8 },
      { first: 15, size: 7 },
      { first: 22, size: 8 },
    ]);
  });

  it('agrees with exact integer arithmetic up to its bound, total · count ≤ 2^53', () => {
    for (const [total, n] of [
      [2 ** 32 - 1, 2 ** 21 - 1],
      [2 ** 33 + 7, 2 ** 20 - 3],
      [2 ** 20, 2 ** 20],
    ]) {
      for (const i of [0, 1, 12_345, Math.floor(n / 3), n - 2, n - 1]) {
        const first = Number((BigInt(i) * BigInt(total)) / BigInt(n));
        const end = Number((BigInt(i + 1) * BigInt(total)) / BigInt(n));
        expect(shardRange(total, i, n), `shard ${i}/${n} of ${total}`).toEqual({ first, size: end - first });
      }
    }
    expect(() => shardRange(2 ** 33, 0, 2 ** 21)).toThrow(RangeError);
  });

  it('refuses a shard that does not exist', () => {
    expect(() => shardRange(10, 3, 3)).toThrow(RangeError);
    expect(() => shardRange(10, -1, 3)).toThrow(RangeError);
    expect(() => shardRange(10, 0, 0)).toThrow(RangeError);
    expect(() => shardRange(10, 0.5, 3)).toThrow(RangeError);
  });

  it('shardRecord carries index, count, first, size and total', () => {
    expect(shardRecord(30, { index: 3, count: 4 })).toEqual({ index: 3, count: 4, first: 22, size: 8, total: 30 });
  });
});

describe('parseShard', () => {
  const what = "the run's 30 particles (--particles)";
  it('reads i/n', () => {
    expect(parseShard('--shard', '2/3', 30, what)).toEqual({ index: 2, count: 3 });
    expect(parseShard('--shard', ' 0 / 30 ', 30, what)).toEqual({ index: 0, count: 30 });
  });

  const bad: [string, RegExp][] = [
    ['3/3', /^--shard 3\/3: i must be below n; shards are counted from 0 \(0\/3 … 2\/3\)$/],
    ['1/1', /^--shard 1\/1: i must be below n; shards are counted from 0 \(0\/1\)$/],
    ['0/0', /^--shard 0\/0: n must be at least 1$/],
    ['0/31', /^--shard 0\/31: n must be at most the run's 30 particles \(--particles\), or some shards would be empty$/],
    ['-1/3', /^--shard must be i\/n, shard i of n counted from 0 \(e\.g\. 0\/4 … 3\/4\), got "-1\/3"$/],
    ['1.5/3', /got "1\.5\/3"$/],
    ['0x1/3', /got "0x1\/3"$/],
    ['1', /got "1"$/],
    ['', /got ""$/],
    ['1/3/4', /got "1\/3\/4"$/],
  ];
  for (const [text, message] of bad) {
    it(`refuses "${text}" in one line naming the flag`, () => {
      let error: unknown;
      try {
        parseShard('--shard', text, 30, what);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(message);
    });
  }
});

describe('coverage', () => {
  const piece = (name: string, first: number, size: number) => ({ name, first, size });
  it('an exact tiling, in any order, has no overlap and nothing missing', () => {
    expect(coverage([piece('b', 10, 20), piece('a', 0, 10)], 30)).toEqual({ missing: [] });
  });
  it('names every gap, at the start, between and at the end', () => {
    expect(coverage([piece('a', 5, 5), piece('b', 15, 5)], 30).missing).toEqual([
      [0, 5],
      [10, 15],
      [20, 30],
    ]);
  });
  it('names the first overlap: both pieces and the items they share', () => {
    const { overlap } = coverage([piece('a', 0, 10), piece('b', 5, 10), piece('c', 15, 15)], 30);
    expect(overlap).toMatchObject({ a: { name: 'a' }, b: { name: 'b' }, first: 5, end: 10 });
  });
  it('the same piece twice overlaps in all of it', () => {
    expect(coverage([piece('a', 0, 10), piece('a', 0, 10)], 10).overlap).toMatchObject({ first: 0, end: 10 });
  });
  it('rangeText: "5–9", or one index alone', () => {
    expect(rangeText(5, 10)).toBe('5–9');
    expect(rangeText(5, 6)).toBe('5');
  });
});
