import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors';
import { checkFileSize, MAX_CLASSES, MAX_FILE_BYTES, MAX_INPUTS, MAX_ROWS, parseTaskCsv, parseTaskJson } from '../../src/core/taskFile';

function userError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(UserError);
    const message = (e as UserError).message;
    expect(message.includes('\n'), `one line: ${message}`).toBe(false);
    return message;
  }
  return expect.fail('no error thrown');
}

const good = {
  name: 'tiny',
  inputs: 2,
  classes: 3,
  train: {
    x: [
      [0, 1],
      [2.5, -3],
      [1, 1],
    ],
    y: [0, 2, 1],
  },
  probes: {
    a: { x: [[1, 2]], y: [1] },
    'b-2': {
      x: [
        [0, 0],
        [1e-3, 4],
      ],
      y: [0, 2],
    },
  },
};
const json = (over: Record<string, unknown> = {}) => JSON.stringify({ ...good, ...over });

describe('task files: JSON', () => {
  it('reads name, inputs, classes, train and every probe set', () => {
    const task = parseTaskJson(json({ description: 'three classes' }), 'tiny.json');
    expect([task.name, task.description, task.inputs, task.classes]).toEqual(['tiny', 'three classes', 2, 3]);
    expect(Array.from(task.train.x)).toEqual([0, 1, 2.5, -3, 1, 1]);
    expect(Array.from(task.train.y)).toEqual([0, 2, 1]);
    expect(task.train.rows).toBe(3);
    expect(task.probes.map((p) => [p.name, p.data.rows, Array.from(p.data.y)])).toEqual([
      ['a', 1, [1]],
      ['b-2', 2, [0, 2]],
    ]);
    expect(Array.from(task.probes[1].data.x)).toEqual([0, 0, Math.fround(1e-3), 4]);
    // the name defaults to the file; the description says where the task came from
    const unnamed = parseTaskJson(json({ name: undefined }), 'dir/t.json');
    expect([unnamed.name, unnamed.description]).toEqual(['dir/t.json', 'task loaded from dir/t.json']);
  });

  const cases: [string, string, RegExp | string][] = [
    ['not JSON', '{"name": ', /^task file f\.json: not valid JSON/],
    ['an array', '[1, 2]', 'task file f.json: must hold one JSON object'],
    ['inputs 0', json({ inputs: 0 }), `task file f.json: inputs must be an integer from 1 to ${MAX_INPUTS}, got 0`],
    ['inputs "2"', json({ inputs: '2' }), `task file f.json: inputs must be an integer from 1 to ${MAX_INPUTS}, got "2"`],
    ['inputs 1025', json({ inputs: 1025 }), 'task file f.json: inputs must be an integer from 1 to 1024, got 1025'],
    ['classes 1', json({ classes: 1 }), `task file f.json: classes must be an integer from 2 to ${MAX_CLASSES}, got 1`],
    ['no train', json({ train: undefined }), /^task file f\.json: train must be an object/],
    ['no probes', json({ probes: {} }), /^task file f\.json: probes must be an object with at least one probe set/],
    ['a short row', json({ train: { x: [[0, 1], [2]], y: [0, 1] } }), 'task file f.json: train.x[1] has 1 values, expected 2'],
    ['a string value', json({ train: { x: [[0, 'a']], y: [0] } }), 'task file f.json: train.x[0][1] must be a finite number, got "a"'],
    ['a null value', json({ train: { x: [[null, 1]], y: [0] } }), 'task file f.json: train.x[0][0] must be a finite number, got null'],
    [
      'a label too large',
      json({ train: { x: [[0, 1]], y: [3] } }),
      'task file f.json: train.y[0] must be an integer class from 0 to 2, got 3',
    ],
    [
      'a fractional label',
      json({ probes: { a: { x: [[0, 1]], y: [0.5] } } }),
      'task file f.json: probes.a.y[0] must be an integer class from 0 to 2, got 0.5',
    ],
    [
      'labels and rows disagree',
      json({ train: { x: [[0, 1]], y: [0, 1] } }),
      'task file f.json: train.y has 2 labels but train.x has 1 rows',
    ],
    ['an empty set', json({ probes: { a: { x: [], y: [] } } }), 'task file f.json: probes.a.x is empty'],
    [
      'a reserved probe name',
      json({ probes: { mixed: good.probes.a } }),
      'task file f.json: probe name "mixed" is reserved for an outcome class',
    ],
    ['a bad probe name', json({ probes: { 'a b': good.probes.a } }), /^task file f\.json: probe name "a b" must be 1-40 letters/],
  ];
  for (const [what, text, expected] of cases) {
    it(`refuses ${what} with one line naming the file and the field`, () => {
      const message = userError(() => parseTaskJson(text, 'f.json'));
      if (typeof expected === 'string') expect(message).toBe(expected);
      else expect(message).toMatch(expected);
    });
  }

  it('accepts a byte-order mark before the JSON, as CSVs do', () => {
    expect(parseTaskJson(`\uFEFF${json({})}`, 'f.json').name).toBe('tiny');
  });

  it('a huge or deeply nested value is described by its type, length and a short prefix, never echoed', () => {
    const huge = Array.from({ length: 3_000_000 }, (_, i) => i % 2);
    const m1 = userError(() => parseTaskJson(json({ train: { x: [[0, 1]], y: [huge] } }), 'f.json'));
    expect(m1).toBe(`task file f.json: train.y[0] must be an integer class from 0 to 2, got a list of 3000000 values [0, 1, 0, …]`);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const m2 = userError(() =>
      parseTaskJson(
        `{"name":"t","inputs":2,"classes":2,"train":{"x":[[0,${deep}]],"y":[0]},"probes":{"a":{"x":[[0,0]],"y":[0]}}}`,
        'f.json',
      ),
    );
    expect(m2).toBe('task file f.json: train.x[0][1] must be a finite number, got a list of 1 value [[…]]');
    const m3 = userError(() => parseTaskJson(json({ inputs: 'x'.repeat(1_000_000) }), 'f.json'));
    expect(m3).toBe(`task file f.json: inputs must be an integer from 1 to ${MAX_INPUTS}, got "${'x'.repeat(40)}…" (1000000 characters)`);
    expect(userError(() => parseTaskJson(json({ probes: { ['p'.repeat(5000)]: good.probes.a } }), 'f.json')).length).toBeLessThan(200);
  });

  it('a text over the size limit is refused before it is parsed, naming the limit', () => {
    // 65,536 rows of 256 inputs and a label at 16 characters a number: 257 MiB
    expect(MAX_FILE_BYTES).toBe(MAX_ROWS * (256 + 1) * 16);
    expect(MAX_FILE_BYTES).toBe(257 * 2 ** 20);
    const big = ' '.repeat(MAX_FILE_BYTES + 1);
    const limit = 'input files may hold up to 257 MiB (65536 rows of 256 inputs)';
    expect(userError(() => parseTaskJson(big, 'f.json'))).toBe(`task file f.json: holds 257 MiB; ${limit}`);
    expect(userError(() => parseTaskCsv(big, { p: 'x0,y\n1,0' }, 't.csv'))).toBe(`task file t.csv: holds 257 MiB; ${limit}`);
    // by size alone, for a dropped file before it is read
    expect(() => checkFileSize('f.json', MAX_FILE_BYTES)).not.toThrow();
    expect(userError(() => checkFileSize('f.json', 2 * 2 ** 30))).toBe(`task file f.json: holds 2048 MiB; ${limit}`);
  });

  it('refuses a value that does not fit in float32 (it would become Infinity in the dataset)', () => {
    expect(userError(() => parseTaskJson(json({ train: { x: [[0, 1e39]], y: [0] } }), 'f.json'))).toBe(
      `task file f.json: train.x[0][1] is 1e+39, beyond float32's range (±3.4e38)`,
    );
    expect(userError(() => parseTaskCsv('x0,y\n-1e39,0', { p: 'x0,y\n1,1' }, 't.csv'))).toBe(
      `task file t.csv: line 2, column x0: "-1e39" is beyond float32's range (±3.4e38)`,
    );
    // said as written, not as JSON's null or JavaScript's Infinity
    expect(userError(() => parseTaskJson(json({}).replace('2.5', '1e309'), 'f.json'))).toBe(
      `task file f.json: train.x[1][0] is 1e309, beyond float32's range (±3.4e38)`,
    );
    // the largest float32 still fits
    expect(parseTaskJson(json({ train: { x: [[0, 3.4e38]], y: [0] } }), 'f.json').train.x[1]).toBe(Math.fround(3.4e38));
  });
});

describe('task files: CSV', () => {
  const train = 'x0,x1,y\n0,1,0\n2.5,-3,1\n1,1,0\n';
  const probe = 'x0,x1,y\n1,2,1\n';

  it('reads the header x0..x{d-1},y; classes = largest label + 1 (at least 2)', () => {
    const task = parseTaskCsv(train, { p: probe, q: 'x0,x1,y\n0,0,0' }, 'data/train.csv');
    expect([task.name, task.inputs, task.classes]).toEqual(['train', 2, 2]);
    expect(Array.from(task.train.x)).toEqual([0, 1, 2.5, -3, 1, 1]);
    expect(Array.from(task.train.y)).toEqual([0, 1, 0]);
    expect(task.probes.map((p) => [p.name, p.data.rows])).toEqual([
      ['p', 1],
      ['q', 1],
    ]);
    // a label 4 in a probe makes 5 classes
    expect(parseTaskCsv(train, { p: 'x0,x1,y\n0,0,4' }, 't.csv').classes).toBe(5);
    // spaces and Windows line ends are tolerated
    expect(parseTaskCsv(' x0 , x1 ,y\r\n1, 2 ,0\r\n', { p: probe }, 't.csv').train.rows).toBe(1);
  });

  it('refuses bad headers, values, row lengths and labels with one line naming the file', () => {
    expect(userError(() => parseTaskCsv('a,b,y\n1,2,0', { p: probe }, 't.csv'))).toBe(
      'task file t.csv: header column 1 must be "x0", got "a" (expected x0,x1,y)',
    );
    expect(userError(() => parseTaskCsv('x0,x1,y\n', { p: probe }, 't.csv'))).toBe('task file t.csv: has a header but no rows');
    expect(userError(() => parseTaskCsv('x0,x1,y\n1,abc,0', { p: probe }, 't.csv'))).toBe(
      'task file t.csv: line 2, column x1: "abc" is not a decimal number',
    );
    // one rule for numbers a user types: decimal notation, as for flags (Number() alone takes hex and "Infinity")
    for (const cell of ['0x10', '0b1', 'Infinity', '1_0'])
      expect(userError(() => parseTaskCsv(`x0,x1,y\n1,${cell},0`, { p: probe }, 't.csv'))).toBe(
        `task file t.csv: line 2, column x1: "${cell}" is not a decimal number`,
      );
    // without this, Papa's answer to an empty file is that it cannot guess the delimiter
    for (const empty of ['', ' \n\n'])
      expect(userError(() => parseTaskCsv(empty, { p: probe }, 't.csv'))).toBe(
        'task file t.csv: is empty; expected a header x0,x1,...,y and one row per example',
      );
    expect(userError(() => parseTaskCsv('x0,x1,y\n1,2,0\n1,2', { p: probe }, 't.csv'))).toMatch(/^task file t\.csv: /);
    expect(userError(() => parseTaskCsv('x0,x1,y\n1,2,0.5', { p: probe }, 't.csv'))).toBe(
      `task file t.csv: line 2: y must be an integer class from 0 to ${MAX_CLASSES - 1}, got 0.5`,
    );
    expect(userError(() => parseTaskCsv(train, {}, 't.csv'))).toBe('--probe: give at least one probe set, as --probe NAME=FILE.csv');
    expect(userError(() => parseTaskCsv(train, { p: 'x0,y\n1,0' }, 't.csv'))).toBe('task file p: has 1 inputs but the training set has 2');
    expect(userError(() => parseTaskCsv(train, { diverged: probe }, 't.csv'))).toContain('reserved');
  });

  it('a bad label in a probe file is reported against that probe, not the training file', () => {
    const message = userError(() => parseTaskCsv(train, { p: 'x0,x1,y\n1,2,0\n1,2,-1' }, 't.csv'));
    expect(message).toBe(`task file p: line 3: y must be an integer class from 0 to ${MAX_CLASSES - 1}, got -1`);
  });

  it("with the probes' files given, a probe's errors name its file as well as the probe", () => {
    const files = { p: 'data/p.csv' };
    expect(userError(() => parseTaskCsv(train, { p: 'x0,x1,y\n1,2,0\n1,2,-1' }, 't.csv', files))).toBe(
      `task file data/p.csv (probe p): line 3: y must be an integer class from 0 to ${MAX_CLASSES - 1}, got -1`,
    );
    expect(userError(() => parseTaskCsv(train, { p: 'x0,x1,y\n1,0x1,0' }, 't.csv', files))).toBe(
      'task file data/p.csv (probe p): line 2, column x1: "0x1" is not a decimal number',
    );
    expect(userError(() => parseTaskCsv(train, { p: '' }, 't.csv', files))).toMatch(/^task file data\/p\.csv \(probe p\): is empty/);
  });

  it('probe names that live on Object.prototype are names like any other', () => {
    // Object.fromEntries makes own properties, as JSON.parse does: "__proto__" is then a key, not the prototype
    const task = parseTaskCsv(
      train,
      Object.fromEntries([
        ['__proto__', probe],
        ['constructor', probe],
      ]),
      't.csv',
      { constructor: 'c.csv' },
    );
    expect(task.probes.map((p) => [p.name, p.data.rows])).toEqual([
      ['__proto__', 1],
      ['constructor', 1],
    ]);
    // an own-property lookup of the probe's file: "toString" has no file, so it is named by itself
    expect(userError(() => parseTaskCsv(train, { toString: '' }, 't.csv', {}))).toMatch(/^task file toString: is empty/);
  });
});

describe('wide task files (28×28 images)', () => {
  const row = (n: number, v: number) => Array.from({ length: n }, () => v);
  it('a 794-input JSON task loads (784 pixels and 10 colours)', () => {
    const set = { x: [row(794, 0.5), row(794, 0)], y: [1, 0] };
    const task = parseTaskJson(JSON.stringify({ inputs: 794, classes: 10, train: set, probes: { a: set } }), 'w.json');
    expect([task.inputs, task.train.rows, task.train.x.length]).toEqual([794, 2, 1588]);
  });
  it('a CSV one input past the width cap is refused in one line', () => {
    const header = [...row(1025, 0).map((_, i) => `x${i}`), 'y'].join(',');
    const body = `${header}\n${[...row(1025, 0), 1].join(',')}`;
    expect(userError(() => parseTaskCsv(body, { p: body }, 'w.csv'))).toBe('task file w.csv: has 1025 inputs, at most 1024 are supported');
  });
});
