import { PURPOSE_DATA, randUniform } from '../rng';
import { makeDataset, type Task } from '../task';

export interface SpectralKnobs {
  /** cycles of the low-frequency feature over its coordinate's range [-1, 1] */
  frequency: number;
  /** the high-frequency feature's cycles over those of the low one */
  ratio: number;
  /** the high-frequency coordinate spans ±amplitude, the low one ±1 */
  amplitude: number;
  examples: number;
  dataSeed: number;
}

export const SPECTRAL_DEFAULTS: SpectralKnobs = { frequency: 1.5, ratio: 1.05, amplitude: 1, examples: 64, dataSeed: 0 };

/** Points closer to a class boundary than this (in |sin|) are not drawn: every feature has a margin. */
const MARGIN = 0.3;
/** Rejection sampling accepts at least 1 − MARGIN of 1/2 of the draws; this many tries never run out in practice. */
const MAX_TRIES = 1000;

/** The square wave's class at t ∈ [-1, 1] for `cycles` cycles over the range, and how far it is from a boundary. */
function wave(t: number, cycles: number): { label: number; strength: number } {
  const s = Math.sin(Math.PI * cycles * (t + 1));
  return { label: s > 0 ? 1 : 0, strength: Math.abs(s) };
}

/**
 * Spectral bias (Rahaman et al. 2019): inputs [low, high]. The class is a square wave of the
 * first coordinate with `frequency` cycles, and equally a square wave of the second with
 * `ratio` times as many; in training the two agree on every point. Probes pair the low
 * coordinate of one class with the high coordinate of the other. A net that prefers low
 * frequencies follows the first; at ratio 1 the two features are the same shape and neither is
 * favoured. `amplitude` stretches the second coordinate, which lowers its frequency in input
 * space: what the net sees is cycles per unit of input.
 */
export function spectral(knobs: SpectralKnobs = SPECTRAL_DEFAULTS): Task {
  const { frequency, ratio, amplitude, examples, dataSeed } = knobs;
  let row = 0;
  // a coordinate of class `label` at `cycles` cycles: uniform over the points of that class beyond the margin
  const draw = (coordinate: number, cycles: number, label: number): number => {
    for (let k = 0; k < MAX_TRIES; k++) {
      const t = 2 * randUniform(dataSeed, 0, PURPOSE_DATA, row, 2 * k + coordinate) - 1;
      const w = wave(t, cycles);
      if (w.label === label && w.strength >= MARGIN) return t;
    }
    throw new Error(`spectral: no point of class ${label} at ${cycles} cycles`);
  };
  const point = (lowLabel: number, highLabel: number): number[] => {
    const x = [draw(0, frequency, lowLabel), amplitude * draw(1, frequency * ratio, highLabel)];
    row++;
    return x;
  };
  const trainX: number[][] = [];
  const trainY: number[] = [];
  for (let i = 0; i < examples; i++) {
    const y = i % 2;
    trainX.push(point(y, y));
    trainY.push(y);
  }
  const probeX: number[][] = [];
  const byLow: number[] = [];
  const byHigh: number[] = [];
  for (let i = 0; i < examples; i++) {
    const y = i % 2;
    probeX.push(point(y, 1 - y));
    byLow.push(y);
    byHigh.push(1 - y);
  }
  return {
    name: 'spectral',
    description:
      'a low-frequency and a high-frequency square wave both give the class in training (Rahaman et al. 2019); which one does the net follow?',
    inputs: 2,
    classes: 2,
    train: makeDataset(trainX, trainY),
    probes: [
      { name: 'low-frequency', data: makeDataset(probeX, byLow) },
      { name: 'high-frequency', data: makeDataset(probeX, byHigh) },
    ],
    params: { ...knobs },
  };
}
