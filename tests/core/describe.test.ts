import { describe, expect, it } from 'vitest';
import { clip, describeValue, float32Problem, quote, writtenAs } from '../../src/core/describe';

describe('values in messages', () => {
  it('scalars as themselves, strings quoted', () => {
    expect([describeValue(2), describeValue(-0.5), describeValue(null), describeValue(true), describeValue(undefined)]).toEqual([
      '2',
      '-0.5',
      'null',
      'true',
      'nothing',
    ]);
    expect(describeValue('x')).toBe('"x"');
  });

  it('containers by type, length and a shallow prefix', () => {
    expect(describeValue([])).toBe('an empty list');
    expect(describeValue([1])).toBe('a list of 1 value [1]');
    expect(describeValue([1, 'ab', [2], { a: 1 }])).toBe('a list of 4 values [1, "ab", […], …]');
    expect(describeValue({})).toBe('an empty object');
    expect(describeValue({ x: 1, y: 2 })).toBe('an object with keys "x", "y"');
    expect(describeValue({ a: 1, b: 2, c: 3, d: 4 })).toBe('an object with keys "a", "b", "c", … (4 keys)');
  });

  it('a list nested 100,000 deep or holding millions of numbers takes one short line', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(describeValue(deep)).toBe('a list of 1 value [[…]]');
    const big = new Array(3_000_000).fill(7);
    expect(describeValue(big)).toBe('a list of 3000000 values [7, 7, 7, …]');
  });

  it('long texts by their start and length; control characters visible, so a message stays one line', () => {
    expect(quote('y'.repeat(41))).toBe(`"${'y'.repeat(40)}…" (41 characters)`);
    expect(quote('y'.repeat(40))).toBe(`"${'y'.repeat(40)}"`);
    expect(quote('a\nb\u0000c\u001b')).toBe('"a\\nb\\u0000c\\u001b"');
    expect(clip('z'.repeat(200), 10)).toBe(`${'z'.repeat(10)}…`);
    expect(clip('one\ntwo')).toBe('one\\ntwo');
  });
});

describe('numbers in vectors: one rule', () => {
  it('finite in float32, or a message with the value as the user wrote it', () => {
    expect(float32Problem(3.4e38)).toBeUndefined();
    expect(float32Problem(-1)).toBeUndefined();
    const text = '{"note": "1e999", "v": [1, 1E309, -1e39]}';
    const v = JSON.parse(text).v;
    expect(float32Problem(v[1], text)).toBe("is 1E309, beyond float32's range (±3.4e38)");
    expect(float32Problem(v[2], text)).toBe("is -1e39, beyond float32's range (±3.4e38)");
    // without the text, the value itself
    expect(float32Problem(Infinity)).toBe("is Infinity, beyond float32's range (±3.4e38)");
    expect(float32Problem('1')).toBe('must be a finite number, got "1"');
    expect(float32Problem(null)).toBe('must be a finite number, got null');
    expect(float32Problem(NaN)).toBe('must be a finite number, got NaN');
  });

  it('writtenAs skips numbers inside strings and cuts a long literal', () => {
    expect(writtenAs(Infinity, '["1e999", 2e400]')).toBe('2e400');
    expect(writtenAs(Infinity, `[1${'0'.repeat(400)}]`)).toBe(`1${'0'.repeat(39)}…`);
    expect(writtenAs(5, '[1, 2]')).toBe('5');
  });
});
