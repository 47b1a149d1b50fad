import { PURPOSE_DATA, randUniform } from '../rng';
import { makeDataset, type Task } from '../task';

export interface ThneebKnobs {
  /** how strongly colour shows, relative to the balanced default 1: the colour input is ±0.16·salience */
  salience: number;
  /** training examples (half thneebs) */
  examples: number;
  dataSeed: number;
}

export const THNEEB_DEFAULTS: ThneebKnobs = { salience: 1, examples: 64, dataSeed: 0 };

/**
 * Thneebs are red and curved; non-thneebs blue and angular. Inputs: [colour, s1, s2].
 * Colour is one linear coordinate (+ red, − blue, amplitude 0.16·salience, ±10% jitter). Shape lives in
 * (s1, s2): curved objects in quadrants 1 and 3, angular ones in 2 and 4 — an XOR, so shape
 * needs a nonlinear rule while colour needs a single weight. Probes are conflict objects
 * (red-angular, blue-curved), labelled once by colour and once by shape.
 */
/**
 * Colour amplitude at salience 1: measured (docs/tasks.md, "Thneeb: salience moves the balance") so that at the default
 * settings colour and shape each win for about a third of the seeds.
 */
const COLOUR_AMPLITUDE = 0.16;

export function thneeb(knobs: ThneebKnobs = THNEEB_DEFAULTS): Task {
  const { salience, examples, dataSeed } = knobs;
  let row = 0;
  const u = (slot: number) => randUniform(dataSeed, 0, PURPOSE_DATA, row, slot);
  const object = (red: boolean, curved: boolean): number[] => {
    const colour = (red ? 1 : -1) * COLOUR_AMPLITUDE * salience * (0.9 + 0.2 * u(0));
    const a = 0.5 + 0.5 * u(1);
    const b = (0.5 + 0.5 * u(2)) * (u(3) < 0.5 ? 1 : -1);
    const s2 = curved ? b : -b;
    const s1 = Math.sign(b) * a;
    row++;
    return [colour, s1, s2];
  };
  const trainX: number[][] = [];
  const trainY: number[] = [];
  for (let i = 0; i < examples; i++) {
    const thneeb = i % 2 === 0;
    trainX.push(object(thneeb, thneeb));
    trainY.push(thneeb ? 1 : 0);
  }
  const probeX: number[][] = [];
  const byColour: number[] = [];
  const byShape: number[] = [];
  for (let i = 0; i < examples; i++) {
    const red = i % 2 === 0;
    probeX.push(object(red, !red));
    byColour.push(red ? 1 : 0);
    byShape.push(red ? 0 : 1);
  }
  return {
    name: 'thneeb',
    description: 'colour (linear) or shape (XOR) — both predict "thneeb" in training; conflict probes tell which one the net learned',
    inputs: 3,
    classes: 2,
    train: makeDataset(trainX, trainY),
    probes: [
      { name: 'colour', data: makeDataset(probeX, byColour) },
      { name: 'shape', data: makeDataset(probeX, byShape) },
    ],
    params: { ...knobs },
  };
}
