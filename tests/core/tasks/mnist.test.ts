import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { readMnistDigit } from '../../../scripts/build-digits';
import { fullSubset } from '../../../scripts/build-mnist';
import { PER_DIGIT } from '../../../scripts/digits/subset';
import { encodeDigitImages } from '../../../src/core/tasks/digitImages';
import {
  MNIST_CLASSES,
  MNIST_COLOUR_AMPLITUDE,
  MNIST_INPUTS,
  MNIST_PROBES_PER_DIGIT,
  maxMnistExamples,
  mnist,
  MNIST_DEFAULTS,
} from '../../../src/core/tasks/mnist';
import { MNIST_PIXELS, MNIST_SIDE } from '../../../src/core/tasks/mnistImages';
import { ensureDigitImages } from '../../../src/node/nodeDigitImages';
import { ensureMnistImages, MNIST_PATH } from '../../../src/node/nodeMnistImages';
import { testSeed } from '../helpers';

// Needs the `mnist` devDependency: public/mnist28.bin.gz must be what scripts/build-mnist.ts makes from it.
describe('public/mnist28.bin.gz', () => {
  const file = ensureMnistImages();

  it('holds the same 4,000 images as digits.bin, at 28×28', () => {
    const small = ensureDigitImages();
    expect(file.count).toBe(10 * PER_DIGIT);
    expect(Array.from(file.digits)).toEqual(Array.from(small.digits));
    expect(Array.from(file.sources)).toEqual(Array.from(small.sources));
    expect(file.pixels.length).toBe(file.count * MNIST_PIXELS);
  });

  it('rebuilding a digit from the mnist package gives the same bytes', () => {
    const d = testSeed('mnist rebuilt') % 10;
    const rebuilt = encodeDigitImages(fullSubset(d, readMnistDigit(d)), MNIST_SIDE);
    const stored = encodeDigitImages(
      {
        count: PER_DIGIT,
        digits: file.digits.subarray(d * PER_DIGIT, (d + 1) * PER_DIGIT),
        sources: file.sources.subarray(d * PER_DIGIT, (d + 1) * PER_DIGIT),
        pixels: file.pixels.subarray(d * PER_DIGIT * MNIST_PIXELS, (d + 1) * PER_DIGIT * MNIST_PIXELS),
      },
      MNIST_SIDE,
    );
    expect(
      rebuilt.findIndex((b, i) => b !== stored[i]),
      `digit ${d}: first differing byte`,
    ).toBe(-1);
    expect(gunzipSync(readFileSync(MNIST_PATH)).length).toBe(12 + file.count * (3 + MNIST_PIXELS));
  });
});

describe('the mnist preset', () => {
  ensureMnistImages();
  const colourOf = (x: Float32Array, row: number) => {
    const lit = [...Array(MNIST_CLASSES).keys()].filter((c) => x[row * MNIST_INPUTS + MNIST_PIXELS + c] !== 0);
    expect(lit, `row ${row}: one colour lit`).toHaveLength(1);
    return lit[0];
  };

  it('784 pixels then ten colour inputs, one lit at the salience; training colours agree with the digit', () => {
    const task = mnist({ ...MNIST_DEFAULTS, salience: 2 });
    expect([task.inputs, task.classes, task.train.rows]).toEqual([MNIST_INPUTS, 10, 1000]);
    for (let r = 0; r < task.train.rows; r++) {
      expect(colourOf(task.train.x, r)).toBe(task.train.y[r]);
      expect(task.train.x[r * MNIST_INPUTS + MNIST_PIXELS + task.train.y[r]]).toBe(2 * MNIST_COLOUR_AMPLITUDE);
    }
    // ten classes in equal shares
    expect([...Array(10).keys()].map((c) => task.train.y.filter((y) => y === c).length)).toEqual(Array(10).fill(100));
  });

  it('probes: held-out digits, each in another digit’s colour, labelled by colour and by digit', () => {
    const seed = testSeed('mnist probes');
    const task = mnist({ ...MNIST_DEFAULTS, dataSeed: seed, examples: maxMnistExamples() });
    const [colour, digit] = task.probes;
    expect(colour.data.rows).toBe(MNIST_CLASSES * MNIST_PROBES_PER_DIGIT);
    for (let r = 0; r < colour.data.rows; r++) {
      expect(colourOf(colour.data.x, r)).toBe(colour.data.y[r]);
      expect(colour.data.y[r]).not.toBe(digit.data.y[r]);
    }
    // no probe image is a training image (rows compared whole, pixels only)
    const key = (x: Float32Array, r: number) => x.subarray(r * MNIST_INPUTS, r * MNIST_INPUTS + MNIST_PIXELS).join();
    const train = new Set([...Array(task.train.rows).keys()].map((r) => key(task.train.x, r)));
    expect([...Array(colour.data.rows).keys()].filter((r) => train.has(key(colour.data.x, r)))).toEqual([]);
  });

  it('agreement sets exactly how many training colours disagree with their digit', () => {
    const task = mnist({ ...MNIST_DEFAULTS, agreement: 0.9, examples: 200 });
    const disagree = [...Array(200).keys()].filter((r) => colourOf(task.train.x, r) !== task.train.y[r]);
    expect(disagree).toHaveLength(20);
  });
});
