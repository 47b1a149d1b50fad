import { describe, expect, it } from 'vitest';
import { DIGIT_PIXELS } from '../../../src/core/tasks/digitImages';
import {
  COLOUR_AMPLITUDE,
  DIGIT_GROUPS,
  DIGIT_INPUTS,
  digits,
  DIGITS_DEFAULTS,
  maxDigitExamples,
  PROBE_ROWS,
} from '../../../src/core/tasks/digits';
import { findPreset } from '../../../src/core/tasks/index';
import { ensureDigitImages } from '../../../src/node/nodeDigitImages';
import { testSeed } from '../helpers';
import { expectProbesDisagree, expectSameTask, expectWellFormed, row } from './shared';

const images = ensureDigitImages();
const COLOUR = DIGIT_PIXELS;
/** whether a row is drawn inverted: its grey values are 1 − g of an image in the file */
const isInverted = (x: number[]): boolean => sourceOf(x, true) >= 0 && sourceOf(x, false) < 0;
/** where each row's 49 grey values come from: the index of the identical image (or its inverse) in the file */
function sourceOf(x: number[], inverted?: boolean): number {
  for (const inv of inverted === undefined ? [false, true] : [inverted]) {
    const bytes = x.slice(0, DIGIT_PIXELS).map((g) => Math.round((inv ? 1 - g : g) * 255));
    for (let i = 0; i < images.count; i++) if (bytes.every((b, p) => images.pixels[i * DIGIT_PIXELS + p] === b)) return i;
  }
  return -1;
}

describe('digits', () => {
  it('shapes: 49 pixels + 1 colour input, 2 classes, `examples` training rows, PROBE_ROWS probe rows in colour and digit', () => {
    for (const examples of [DIGITS_DEFAULTS.examples, 10, 511]) {
      const task = digits({ ...DIGITS_DEFAULTS, examples });
      expectWellFormed(task);
      expect([task.name, task.inputs, task.classes, task.train.rows]).toEqual(['digits', DIGIT_INPUTS, 2, examples]);
      expect(DIGIT_INPUTS).toBe(50);
      expect(task.probes.map((p) => [p.name, p.data.rows])).toEqual([
        ['colour', PROBE_ROWS],
        ['digit', PROBE_ROWS],
      ]);
      expect(Array.from(task.train.y).filter((y) => y === 1).length).toBe(Math.floor(examples / 2));
    }
    // the knob's top value leaves held-out images for every probe
    expect(maxDigitExamples(images)).toBeGreaterThanOrEqual(findPreset('digits')!.knobs.examples.max);
  });

  const seeds = () => [DIGITS_DEFAULTS.dataSeed, testSeed('digits data seed')];

  it('rows are real images of the right digit, and no probe image is a training image', () => {
    for (const dataSeed of seeds()) {
      const task = digits({ ...DIGITS_DEFAULTS, dataSeed });
      const train = Array.from({ length: task.train.rows }, (_, r) => sourceOf(row(task.train, r)));
      const probe = Array.from({ length: PROBE_ROWS }, (_, r) => sourceOf(row(task.probes[1].data, r)));
      train.forEach((i, r) => {
        if (i < 0 || !DIGIT_GROUPS[task.train.y[r]].includes(images.digits[i]))
          expect.fail(`train row ${r}: image ${i}, label ${task.train.y[r]}`);
      });
      probe.forEach((i, r) => {
        const y = task.probes[1].data.y[r];
        if (i < 0 || !DIGIT_GROUPS[y].includes(images.digits[i])) expect.fail(`probe row ${r}: image ${i}, digit label ${y}`);
      });
      // identical pooled images can occur twice in MNIST; compare pixels, not indices
      const key = (i: number) => images.pixels.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS).join(',');
      const seen = new Set(train.map(key));
      expect(probe.filter((i) => seen.has(key(i))).length, `dataSeed ${dataSeed}: probe images also in training`).toBe(0);
    }
  });

  it('with agreement 1 the colour is the label in training; probes contradict: colour says red = 1, digit says the group', () => {
    for (const dataSeed of seeds()) {
      const task = digits({ ...DIGITS_DEFAULTS, dataSeed });
      for (let r = 0; r < task.train.rows; r++) {
        const c = row(task.train, r)[COLOUR];
        if (Math.abs(c) !== Math.fround(COLOUR_AMPLITUDE) || (c > 0 ? 1 : 0) !== task.train.y[r])
          expect.fail(`train row ${r}: colour ${c}, label ${task.train.y[r]}`);
      }
      expectProbesDisagree(task);
      const [colour] = task.probes;
      for (let r = 0; r < PROBE_ROWS; r++) {
        const c = row(colour.data, r)[COLOUR];
        if ((c > 0 ? 1 : 0) !== colour.data.y[r]) expect.fail(`colour probe row ${r}: colour ${c}, label ${colour.data.y[r]}`);
      }
    }
  });

  it('agreement sets exactly the fraction of training images whose colour is the label', () => {
    for (const [agreement, examples] of [
      [0.75, 128],
      [0.9, 100],
      [0, 20],
    ]) {
      const task = digits({ ...DIGITS_DEFAULTS, agreement, examples });
      let agree = 0;
      for (let r = 0; r < examples; r++) if ((row(task.train, r)[COLOUR] > 0 ? 1 : 0) === task.train.y[r]) agree++;
      expect(agree, `agreement ${agreement} of ${examples}`).toBe(examples - Math.round((1 - agreement) * examples));
    }
  });

  it('inverted draws exactly that fraction of training and of probe images inverted (1 − grey), the rest as they are', () => {
    for (const [inverted, examples] of [
      [DIGITS_DEFAULTS.inverted, DIGITS_DEFAULTS.examples],
      [0, 64],
      [0.25, 100],
      [1, 20],
    ]) {
      const task = digits({ ...DIGITS_DEFAULTS, inverted, examples });
      const count = (data: typeof task.train) =>
        Array.from({ length: data.rows }, (_, r) => isInverted(row(data, r))).filter(Boolean).length;
      expect(count(task.train), `inverted ${inverted} of ${examples} training images`).toBe(Math.round(inverted * examples));
      expect(count(task.probes[0].data), `inverted ${inverted} of the probes`).toBe(Math.round(inverted * PROBE_ROWS));
    }
    // the default inverts half: the digit is then a product of polarity and pattern, as thneeb's shape is an XOR
    expect(DIGITS_DEFAULTS.inverted).toBe(0.5);
    // the same images either way, and the same colours
    const plain = digits({ ...DIGITS_DEFAULTS, inverted: 0 });
    const half = digits(DIGITS_DEFAULTS);
    for (let r = 0; r < plain.train.rows; r++) {
      expect(sourceOf(row(half.train, r)), `train row ${r}`).toBe(sourceOf(row(plain.train, r), false));
      expect(row(half.train, r)[COLOUR]).toBe(row(plain.train, r)[COLOUR]);
    }
  });

  it('salience scales the colour input and nothing else', () => {
    const one = digits({ ...DIGITS_DEFAULTS, salience: 1 });
    const three = digits({ ...DIGITS_DEFAULTS, salience: 3 });
    for (const [name, a, b] of [
      ['train', one.train, three.train],
      ['probes', one.probes[0].data, three.probes[0].data],
    ] as const) {
      for (let r = 0; r < a.rows; r++) {
        const x1 = row(a, r);
        const x3 = row(b, r);
        expect(x3[COLOUR] / x1[COLOUR], `${name} row ${r}`).toBeCloseTo(3, 5);
        expect(x3.slice(0, COLOUR), `${name} row ${r}: pixels`).toEqual(x1.slice(0, COLOUR));
      }
      expect(Array.from(b.y)).toEqual(Array.from(a.y));
    }
  });

  it('is deterministic given dataSeed, and another dataSeed picks other images', () => {
    const seed = testSeed('digits determinism');
    const knobs = { ...DIGITS_DEFAULTS, dataSeed: seed };
    expectSameTask(digits(knobs), digits({ ...knobs }), `dataSeed ${seed}`);
    expect(Array.from(digits({ ...knobs, dataSeed: (seed + 1) >>> 0 }).train.x)).not.toEqual(Array.from(digits(knobs).train.x));
  });
});
