import { describe, expect, it } from 'vitest';
import { csvTable, CsvTableReader, MAX_ROWS } from '../../src/core/csvTable';
import { VectorListReader } from '../../src/core/vectorList';
import { seededRandom as seeded, testSeed } from './helpers';

/** `text` in pieces of random sizes (1 to 9 characters): every boundary a file's chunks could fall on. */
function pieces(text: string, rand: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(rand() * 9);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** What reading `text` in `parts` gives: the result, or the problem's message. */
function outcome<T>(read: (parts: string[]) => T, parts: string[]): T | string {
  try {
    return read(parts);
  } catch (e) {
    return (e as Error).message;
  }
}

const csv = (parts: string[]) => {
  const reader = new CsvTableReader('t.csv');
  parts.forEach((p) => reader.push(p));
  return reader.end();
};
const vectors =
  (length: number, max: number, single = false) =>
  (parts: string[]) => {
    const reader = new VectorListReader(length, max, single);
    parts.forEach((p) => reader.push(p));
    return reader.end();
  };

describe('reading a file as it arrives gives what reading it whole gives, wherever its chunks end', () => {
  const rand = seeded(testSeed('stream readers'));

  it.each([
    ['x0,x1,y\n0.5,-1,1\r\n\n  \n2,3e-2,0\n', 'rows, CRLF and blank lines'],
    ['x0,t0,t1\n1,2,3\n4,5,6', 'regression, no final newline'],
    ['x0;x1;y\n1;2;3\n', 'another delimiter'],
    ['x0,y\n1,0\nabc,1\n', 'a bad value'],
    ['x0,y\n1,0\n1,1.5\n', 'a label that is no class'],
    ['x0,y\n1,0\n1,0,3\n', 'a row too long'],
    ['x0,x1\n1,0\n', 'no label column'],
    ['\n\n', 'nothing'],
    ['x0,y\n', 'a header alone'],
    ['x0,y\n"1,0\n', 'an open quote'],
  ])('a CSV: %j (%s)', (text) => {
    const whole = outcome(csv, [text]);
    expect(whole).toEqual(outcome((parts) => csvTable(parts.join(''), 't.csv'), [text]));
    for (let k = 0; k < 20; k++) expect(outcome(csv, pieces(text, rand))).toEqual(whole);
  });

  it('a CSV of one row more than the limit is refused, its values never all parsed', () => {
    const reader = new CsvTableReader('t.csv');
    reader.push('x0,y\n');
    expect(() => reader.push('1,0\n'.repeat(MAX_ROWS + 1))).toThrow(
      `task file t.csv: has more than ${MAX_ROWS} rows, at most ${MAX_ROWS} are supported`,
    );
  });

  it.each([
    ['[1, 2.5, -3e-2]', 3, 5, false],
    ['[[1,2],[3,4],[5,6]]', 2, 5, false],
    ['[[1,2],[3,4],[5,6]]', 2, 2, false],
    ['[[1,2],[3,"a,]\\"["],[5,6]]', 2, 5, false],
    ['[[1,2],[3,4],]', 2, 5, false],
    ['[1,2,,3]', 3, 5, false],
    ['[1,2,3,4,5,,6]', 2, 5, false],
    ['[1,2] x', 2, 5, false],
    ['{"a": 1}', 2, 5, false],
    ['[[1,2],[3,4]', 2, 5, false],
    ['[1, null, 1e39, 4]', 4, 5, false],
    ['[1, null, 1e39]', 4, 5, false],
    ['[[1,2]]', 2, 1, true],
    ['[]', 2, 5, false],
    ['  ', 2, 5, false],
  ])('vectors: %j (length %i, at most %i)', (text, length, max, single) => {
    const read = vectors(length, max, single);
    const whole = outcome(read, [text]);
    for (let k = 0; k < 20; k++) expect(outcome(read, pieces(text, rand))).toEqual(whole);
  });

  it('vectors: says what each file holds', () => {
    const says = (text: string, length: number, max: number) => outcome(vectors(length, max), [text]);
    expect(says('[[1,2],[3,4],[5,6]]', 2, 2)).toBe('holds 3 vectors; at most 2 are supported');
    expect(says('[1,2,3,4,5,6]', 2, 5)).toBe("the vector has 6 values, expected 2 (the model's parameter count)");
    expect(says('[1,2,3,4,5,,6]', 2, 5)).toBe('not valid JSON (an empty element at position 5 of the list)');
    expect(says('[1, null, 1e39]', 3, 5)).toBe('the vector[1] must be a finite number, got null');
    expect(says('[1, 2, 1e39]', 3, 5)).toBe("the vector[2] is 1e39, beyond float32's range (±3.4e38)");
    expect(says('[[1,2],[3]]', 2, 5)).toBe("vector 1 has 1 values, expected 2 (the model's parameter count)");
    expect(says('[[1,2]', 2, 5)).toBe('not valid JSON (the list is not closed)');
    expect(outcome(vectors(2, 5), ['[[1,2],[3,4]]'])).toEqual([Float32Array.from([1, 2]), Float32Array.from([3, 4])]);
  });
});
