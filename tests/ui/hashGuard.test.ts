import { describe, expect, test } from 'vitest';
import { defaultValues } from '../../src/ui/state/form';
import { decodeHash, encodeHash, MAX_HASH_CHARS, MAX_HASH_PARAMS, MAX_HASH_VALUE_CHARS } from '../../src/ui/state/hashCodec';
import { SAMPLE } from './helpers/formSample';

/** A link of junk is refused whole, in one message, before any of it is parsed: the defaults, and one line. */
function expectRefused(hash: string, why: RegExp): void {
  const decoded = decodeHash(hash, 'gpu');
  expect(decoded.values).toEqual(defaultValues('gpu'));
  expect(decoded.problems).toHaveLength(1);
  expect(decoded.problems[0]).toMatch(why);
  expect(decoded.problems[0]).toMatch(/^the link's settings were not read \(.*\): showing the defaults$/);
  expect(decoded.problems[0].length).toBeLessThan(200);
}

describe('URL hash: size and shape guard', () => {
  test('a real link, every field given, is well inside the bounds and reads without complaint', () => {
    const hash = encodeHash(SAMPLE);
    expect(hash.length).toBeLessThan(MAX_HASH_CHARS / 4);
    expect(decodeHash(hash, 'gpu')).toEqual({ values: SAMPLE, problems: [] });
  });

  test('a 1 MB hash', () => {
    const text = `v=1&task=thneeb&lr=${'1'.repeat(2 ** 20)}`;
    expectRefused(`#${text}`, new RegExp(`^[^(]*\\(${text.length} characters; at most ${MAX_HASH_CHARS}\\)`));
  });

  test('thousands of parameters (each would have been its own "ignored unknown setting" message)', () => {
    const junk = Array.from({ length: 500 }, (_, i) => `x${i}=1`).join('&');
    expect(junk.length).toBeLessThan(MAX_HASH_CHARS);
    expectRefused(`#v=1&${junk}`, new RegExp(`501 parameters; at most ${MAX_HASH_PARAMS}`));
  });

  test('one parameter of nested junk', () => {
    const nested = `${'%5B'.repeat(200)}${'%5D'.repeat(200)}`;
    expectRefused(
      `#v=1&hidden=${nested}`,
      new RegExp(`a parameter of ${'hidden='.length + nested.length} characters; at most ${MAX_HASH_VALUE_CHARS}`),
    );
  });

  test('just inside the bounds, a hash is read as before: unknown settings named one by one', () => {
    const junk = Array.from({ length: 3 }, (_, i) => `x${i}=${'y'.repeat(100)}`).join('&');
    const decoded = decodeHash(`#v=1&task=thneeb&${junk}`, 'gpu');
    expect(decoded.problems).toEqual(['ignored unknown setting "x0"', 'ignored unknown setting "x1"', 'ignored unknown setting "x2"']);
  });
});
