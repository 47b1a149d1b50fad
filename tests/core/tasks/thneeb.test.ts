import { describe, expect, it } from 'vitest';
import { thneeb, THNEEB_DEFAULTS } from '../../../src/core/tasks/thneeb';
import { testSeed } from '../helpers';
import { bestStumpAccuracy, expectProbesDisagree, expectSameTask, expectWellFormed, row } from './shared';

const COLOUR = 0;
const S1 = 1;
const S2 = 2;

describe('thneeb', () => {
  it('shapes: 3 inputs, 2 classes, `examples` rows in train and in the probes colour and shape', () => {
    for (const examples of [THNEEB_DEFAULTS.examples, 10, 257]) {
      const task = thneeb({ ...THNEEB_DEFAULTS, examples });
      expectWellFormed(task);
      expect([task.name, task.inputs, task.classes, task.train.rows]).toEqual(['thneeb', 3, 2, examples]);
      expect(task.probes.map((p) => [p.name, p.data.rows])).toEqual([
        ['colour', examples],
        ['shape', examples],
      ]);
      // half thneebs (label 1)
      expect(Array.from(task.train.y).filter((y) => y === 1).length).toBe(Math.ceil(examples / 2));
    }
    expect(thneeb().params).toEqual({ ...THNEEB_DEFAULTS });
  });

  const seeds = () => [THNEEB_DEFAULTS.dataSeed, testSeed('thneeb data seed')];

  it('colour alone separates the training set linearly: sign(colour) is the label, with a margin', () => {
    for (const dataSeed of seeds()) {
      const task = thneeb({ ...THNEEB_DEFAULTS, examples: 256, dataSeed });
      const colours = Array.from({ length: 256 }, (_, r) => row(task.train, r)[COLOUR]);
      const wrong = colours.flatMap((c, r) =>
        (c > 0 ? 1 : 0) === task.train.y[r] ? [] : [`row ${r}: colour ${c}, label ${task.train.y[r]}`],
      );
      expect(wrong, `dataSeed ${dataSeed}`).toEqual([]);
      // jitter ±10% around one amplitude: |colour| within [0.9, 1.1] of the same value
      const abs = colours.map(Math.abs);
      expect(Math.max(...abs) / Math.min(...abs), `spread of |colour|, dataSeed ${dataSeed}`).toBeLessThanOrEqual(1.1 / 0.9 + 1e-6);
      expect(bestStumpAccuracy(task.train, COLOUR)).toBe(1);
    }
  });

  it('shape is an XOR of (s1, s2): label 1 exactly when s1·s2 > 0, and no threshold on s1 or s2 alone separates', () => {
    for (const dataSeed of seeds()) {
      for (const examples of dataSeed === THNEEB_DEFAULTS.dataSeed ? [THNEEB_DEFAULTS.examples, 256] : [256]) {
        const task = thneeb({ ...THNEEB_DEFAULTS, examples, dataSeed });
        for (let r = 0; r < examples; r++) {
          const x = row(task.train, r);
          if ((x[S1] * x[S2] > 0 ? 1 : 0) !== task.train.y[r])
            expect.fail(`dataSeed ${dataSeed}, row ${r}: ${x}, label ${task.train.y[r]}`);
          // the shape coordinates stay away from the axes: |s| in [0.5, 1]
          for (const c of [S1, S2]) if (!(Math.abs(x[c]) >= 0.5 && Math.abs(x[c]) <= 1)) expect.fail(`row ${r}: s${c} = ${x[c]}`);
        }
        // every quadrant is populated, so each sign of s1 (and of s2) holds both classes
        const quadrants = new Set(
          Array.from({ length: examples }, (_, r) => row(task.train, r)).map((x) => `${Math.sign(x[S1])}${Math.sign(x[S2])}`),
        );
        expect(quadrants.size, `quadrants used, dataSeed ${dataSeed}`).toBe(4);
        // sign and size of s1 (and of s2) are independent of the label: the best single threshold is near
        // chance (at 256 examples it stayed ≤ 0.625 over 3000 data seeds; 64 examples are checked at the default seed only)
        for (const c of [S1, S2]) {
          expect(
            bestStumpAccuracy(task.train, c),
            `best threshold on s${c}, ${examples} examples, dataSeed ${dataSeed}`,
          ).toBeLessThanOrEqual(0.7);
        }
      }
    }
  });

  it('probes are conflict objects: colour says red = 1, shape says XOR; the two disagree on every row', () => {
    for (const dataSeed of seeds()) {
      const task = thneeb({ ...THNEEB_DEFAULTS, dataSeed });
      expectProbesDisagree(task);
      const [colour, shape] = task.probes;
      for (let r = 0; r < colour.data.rows; r++) {
        const x = row(colour.data, r);
        if ((x[COLOUR] > 0 ? 1 : 0) !== colour.data.y[r]) expect.fail(`colour probe row ${r}: ${x}, label ${colour.data.y[r]}`);
        if ((x[S1] * x[S2] > 0 ? 1 : 0) !== shape.data.y[r]) expect.fail(`shape probe row ${r}: ${x}, label ${shape.data.y[r]}`);
      }
    }
  });

  it('salience scales the colour input and nothing else', () => {
    const one = thneeb({ ...THNEEB_DEFAULTS, salience: 1 });
    const three = thneeb({ ...THNEEB_DEFAULTS, salience: 3 });
    for (const [name, a, b] of [
      ['train', one.train, three.train],
      ['probes', one.probes[0].data, three.probes[0].data],
    ] as const) {
      for (let r = 0; r < a.rows; r++) {
        const x1 = row(a, r);
        const x3 = row(b, r);
        expect(x3[COLOUR] / x1[COLOUR], `${name} row ${r}: colour ${x1[COLOUR]} → ${x3[COLOUR]}`).toBeCloseTo(3, 5);
        expect([x3[S1], x3[S2]], `${name} row ${r}: shape`).toEqual([x1[S1], x1[S2]]);
      }
      expect(Array.from(b.y)).toEqual(Array.from(a.y));
    }
  });

  it('is deterministic given dataSeed, and another dataSeed gives other data', () => {
    const seed = testSeed('thneeb determinism');
    const knobs = { ...THNEEB_DEFAULTS, dataSeed: seed };
    expectSameTask(thneeb(knobs), thneeb({ ...knobs }), `dataSeed ${seed}`);
    expect(Array.from(thneeb({ ...knobs, dataSeed: (seed + 1) >>> 0 }).train.x)).not.toEqual(Array.from(thneeb(knobs).train.x));
  });
});
