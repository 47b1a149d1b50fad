import { PURPOSE_DATA, randU32 } from '../rng';
import { makeDataset, type Task } from '../task';
import { DIGIT_PIXELS, digitImages, type DigitImages } from './digitImages';

export interface DigitsKnobs {
  /** how strongly colour shows, relative to the balanced default 1: the colour input is ±COLOUR_AMPLITUDE·salience */
  salience: number;
  /** fraction of training images whose colour agrees with their label */
  agreement: number;
  /** training images (half from each group) */
  examples: number;
  /**
   * fraction of images (training and probes, each an exact seeded choice) drawn inverted: grey
   * 1 − g, light ink on dark paper. Half inverted makes the digit a product of polarity and
   * pattern (no linear rule reads it, as none reads thneeb's XOR shape), while colour stays linear.
   */
  inverted: number;
  dataSeed: number;
}

export const DIGITS_DEFAULTS: DigitsKnobs = { salience: 1, agreement: 1, examples: 128, inverted: 0.5, dataSeed: 0 };

/** The label is the group: class 0 is GROUPS[0], class 1 GROUPS[1] (chosen by measurement, docs/tasks.md). */
export const DIGIT_GROUPS: readonly (readonly number[])[] = [[1], [7]];
/**
 * the colour input at salience 1: measured (docs/tasks.md, "Digits: salience moves the balance") so that at
 * the preset's defaults colour and digit each win for a fair share of seeds
 */
export const COLOUR_AMPLITUDE = 0.23;
/** held-out conflict images, half from each group */
export const PROBE_ROWS = 256;
/**
 * 7×7 grey pixels, then the colour. One colour coordinate rather than red and blue channels: two
 * channels made a 98-16-1 net (1,601 parameters), which only the looped kernel runs, at about
 * 1k particle-steps/s on SwiftShader; 50-16-1 (833) gets the unrolled kernel.
 */
export const DIGIT_INPUTS = DIGIT_PIXELS + 1;

/** The images of one group, shuffled by dataSeed (a seeded Fisher–Yates; stream = group index). */
function shuffledGroup(images: DigitImages, group: number, dataSeed: number): number[] {
  const members = [...Array(images.count).keys()].filter((i) => DIGIT_GROUPS[group].includes(images.digits[i]));
  for (let k = 0; k + 1 < members.length; k++) {
    const j = k + (randU32(dataSeed, group, PURPOSE_DATA, k, 0) % (members.length - k));
    [members[k], members[j]] = [members[j], members[k]];
  }
  return members;
}

/** Most training images a preset can ask for: what is left of the smaller group after the probes. */
export function maxDigitExamples(images: DigitImages = digitImages()): number {
  const smaller = Math.min(...DIGIT_GROUPS.map((g) => g.reduce((n, d) => n + images.digits.filter((x) => x === d).length, 0)));
  return 2 * (smaller - PROBE_ROWS / 2);
}

/**
 * One image as the network sees it: 49 grey values in [0, 1] (ink = 1, or ink = 0 when inverted),
 * then the colour, +amplitude for red and −amplitude for blue. Colour is one linear feature; the
 * digit a pattern over pixels.
 */
export function colourDigit(grey: Uint8Array, red: boolean, amplitude: number, inverted = false): number[] {
  return [...Array.from(grey, (g) => (inverted ? 1 - g / 255 : g / 255)), red ? amplitude : -amplitude];
}

/**
 * Coloured digits (after Arjovsky et al. 2019's Colored MNIST): real MNIST digits of two groups,
 * each drawn red (label 1's colour) or blue (label 0's). In training the colour agrees with the
 * label for an `agreement` fraction of the images; the probes are held-out images whose colour
 * contradicts their digit, labelled once by colour and once by digit.
 */
export function digits(knobs: DigitsKnobs = DIGITS_DEFAULTS, images: DigitImages = digitImages()): Task {
  const { salience, agreement, examples, inverted, dataSeed } = knobs;
  const amplitude = COLOUR_AMPLITUDE * salience;
  const groups = [0, 1].map((g) => shuffledGroup(images, g, dataSeed));
  const grey = (i: number) => images.pixels.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
  // training rows alternate the groups; which rows get the other colour is a seeded choice of
  // exactly round((1 − agreement)·examples) of them, and which are inverted another
  const flips = new Set(shuffledRows(examples, dataSeed).slice(0, Math.round((1 - agreement) * examples)));
  const invertedTrain = new Set(shuffledRows(examples, dataSeed, 3).slice(0, Math.round(inverted * examples)));
  const invertedProbe = new Set(shuffledRows(PROBE_ROWS, dataSeed, 4).slice(0, Math.round(inverted * PROBE_ROWS)));
  const trainX: number[][] = [];
  const trainY: number[] = [];
  for (let r = 0; r < examples; r++) {
    const y = r % 2;
    trainX.push(colourDigit(grey(groups[y][r >> 1]), (y === 1) !== flips.has(r), amplitude, invertedTrain.has(r)));
    trainY.push(y);
  }
  const probeX: number[][] = [];
  const byColour: number[] = [];
  const byDigit: number[] = [];
  const held = Math.ceil(examples / 2);
  for (let r = 0; r < PROBE_ROWS; r++) {
    const y = r % 2;
    probeX.push(colourDigit(grey(groups[y][held + (r >> 1)]), y === 0, amplitude, invertedProbe.has(r)));
    byDigit.push(y);
    byColour.push(1 - y);
  }
  return {
    name: 'digits',
    description: `real MNIST ${groupName(0)} (blue) vs ${groupName(1)} (red) — colour or digit? Held-out digits in the other colour tell which one the net learned`,
    inputs: DIGIT_INPUTS,
    classes: 2,
    train: makeDataset(trainX, trainY),
    probes: [
      { name: 'colour', data: makeDataset(probeX, byColour) },
      { name: 'digit', data: makeDataset(probeX, byDigit) },
    ],
    params: { ...knobs },
  };
}

/** The digits of a group as people write them: "3", or "0–4". */
export function groupName(group: number): string {
  const g = DIGIT_GROUPS[group];
  return g.length === 1 ? String(g[0]) : `${g[0]}–${g[g.length - 1]}`;
}

function shuffledRows(n: number, dataSeed: number, stream = 2): number[] {
  const rows = [...Array(n).keys()];
  for (let k = 0; k + 1 < n; k++) {
    const j = k + (randU32(dataSeed, stream, PURPOSE_DATA, k, 0) % (n - k));
    [rows[k], rows[j]] = [rows[j], rows[k]];
  }
  return rows;
}
