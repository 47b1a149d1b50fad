import { PURPOSE_DATA, randU32 } from '../rng';
import { makeDataset, type Task } from '../task';
import type { DigitImages } from './digitImages';
import { MNIST_PIXELS, mnistImages } from './mnistImages';

export interface MnistKnobs {
  /** how strongly colour shows, relative to the default 1: the lit colour input is COLOUR_AMPLITUDE·salience */
  salience: number;
  /** fraction of training images whose colour is their digit's */
  agreement: number;
  /** training images (an equal share of each digit, as near as the count allows) */
  examples: number;
  dataSeed: number;
}

export const MNIST_DEFAULTS: MnistKnobs = { salience: 1, agreement: 1, examples: 1000, dataSeed: 0 };

/** ten classes, one per digit, and one colour per class */
export const MNIST_CLASSES = 10;
/**
 * the lit colour input at salience 1: near where colour and digit balance for the preset's 794-16-10
 * net (8 seeds each, CPU engine: at amplitude 1 every net read the digit, colour-probe accuracy
 * 0.05–0.07; at 3 the colour, 0.69–0.79; docs/tasks.md, "MNIST: salience moves every seed at once")
 */
export const MNIST_COLOUR_AMPLITUDE = 2;
/** held-out conflict images per digit (1,000 probe rows) */
export const MNIST_PROBES_PER_DIGIT = 100;
/** 784 grey pixels, then ten colour inputs (one lit) */
export const MNIST_INPUTS = MNIST_PIXELS + MNIST_CLASSES;

/** Most training images: what each digit has left after its probes, times ten. */
export function maxMnistExamples(images: DigitImages = mnistImages()): number {
  const counts = [...Array(MNIST_CLASSES).keys()].map((d) => images.digits.filter((x) => x === d).length);
  return MNIST_CLASSES * (Math.min(...counts) - MNIST_PROBES_PER_DIGIT);
}

/** A seeded Fisher–Yates shuffle of 0..n−1 (stream keeps the shuffles of one data seed apart). */
function shuffled(n: number, dataSeed: number, stream: number): number[] {
  const rows = [...Array(n).keys()];
  for (let k = 0; k + 1 < n; k++) {
    const j = k + (randU32(dataSeed, stream, PURPOSE_DATA, k, 0) % (n - k));
    [rows[k], rows[j]] = [rows[j], rows[k]];
  }
  return rows;
}

/** Another class than `digit`, uniform over the nine, by a seeded draw. */
function otherColour(digit: number, dataSeed: number, stream: number, row: number): number {
  return (digit + 1 + (randU32(dataSeed, stream, PURPOSE_DATA, row, 1) % (MNIST_CLASSES - 1))) % MNIST_CLASSES;
}

/**
 * Coloured MNIST at full size, ten classes: each 28×28 digit comes with one of ten colours (a
 * one-hot of ten inputs, the lit one at the colour amplitude). In training the colour is the
 * digit's for an `agreement` fraction of the images (exactly that many, a seeded choice) and
 * another, uniformly, for the rest; the probes are held-out digits each in another class's colour,
 * labelled by colour (`colour`) or by digit (`digit`). Colour is one linear feature; the digit
 * needs the pixels.
 */
export function mnist(knobs: MnistKnobs = MNIST_DEFAULTS, images: DigitImages = mnistImages()): Task {
  const { salience, agreement, examples, dataSeed } = knobs;
  const amplitude = MNIST_COLOUR_AMPLITUDE * salience;
  // each digit's images shuffled by the data seed (streams 0–9): probes first, training after
  const byDigit = [...Array(MNIST_CLASSES).keys()].map((d) => {
    const members = [...Array(images.count).keys()].filter((i) => images.digits[i] === d);
    return shuffled(members.length, dataSeed, d).map((k) => members[k]);
  });
  const row = (image: number, colour: number): number[] => {
    const x = new Array<number>(MNIST_INPUTS).fill(0);
    for (let p = 0; p < MNIST_PIXELS; p++) x[p] = images.pixels[image * MNIST_PIXELS + p] / 255;
    x[MNIST_PIXELS + colour] = amplitude;
    return x;
  };
  const flips = new Set(shuffled(examples, dataSeed, 10).slice(0, Math.round((1 - agreement) * examples)));
  const trainX: number[][] = [];
  const trainY: number[] = [];
  for (let r = 0; r < examples; r++) {
    const d = r % MNIST_CLASSES;
    const image = byDigit[d][MNIST_PROBES_PER_DIGIT + Math.floor(r / MNIST_CLASSES)];
    trainX.push(row(image, flips.has(r) ? otherColour(d, dataSeed, 11, r) : d));
    trainY.push(d);
  }
  const probeX: number[][] = [];
  const byColour: number[] = [];
  const byDigitLabel: number[] = [];
  for (let r = 0; r < MNIST_CLASSES * MNIST_PROBES_PER_DIGIT; r++) {
    const d = r % MNIST_CLASSES;
    const colour = otherColour(d, dataSeed, 12, r);
    probeX.push(row(byDigit[d][Math.floor(r / MNIST_CLASSES)], colour));
    byColour.push(colour);
    byDigitLabel.push(d);
  }
  return {
    name: 'mnist',
    description:
      'real 28×28 MNIST digits 0–9, each in its own colour — colour or digit? Held-out digits in another colour tell which one the net learned',
    inputs: MNIST_INPUTS,
    classes: MNIST_CLASSES,
    train: makeDataset(trainX, trainY),
    probes: [
      { name: 'colour', data: makeDataset(probeX, byColour) },
      { name: 'digit', data: makeDataset(probeX, byDigitLabel) },
    ],
    params: { ...knobs },
  };
}
