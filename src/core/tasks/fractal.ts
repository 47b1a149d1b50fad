import { PURPOSE_DATA, randNormal } from '../rng';
import { makeRegressionDataset, type Task } from '../task';

export interface FractalKnobs {
  dataSeed: number;
}

export const FRACTAL_DEFAULTS: FractalKnobs = { dataSeed: 0 };

/** Input dimensions and hidden units: a 16-16-1 network without biases, 272 parameters. */
export const FRACTAL_WIDTH = 16;

/**
 * Sohl-Dickstein (2024), "The boundary of neural network trainability is fractal": as many random
 * Gaussian points as the 16-16-1 network has parameters (n² + n = 272), inputs x ~ N(0, I_n) and targets
 * y ~ N(0, 1), fitted by full-batch gradient descent on the squared error. Nothing to tell apart,
 * so no probes: the question is only whether training converges or diverges, and where in the
 * plane of the two layers' learning rates the boundary runs.
 */
export function fractal(knobs: FractalKnobs = FRACTAL_DEFAULTS): Task {
  const { dataSeed } = knobs;
  const width = FRACTAL_WIDTH;
  const rows = width * width + width;
  // stream 0 the inputs, stream 1 the targets
  const x = Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, k) => randNormal(dataSeed, 0, PURPOSE_DATA, r, k)));
  const y = Array.from({ length: rows }, (_, r) => [randNormal(dataSeed, 1, PURPOSE_DATA, r, 0)]);
  return {
    name: 'fractal',
    description: `${rows} random Gaussian points, as many as a ${width}-${width}-1 network without biases has parameters (Sohl-Dickstein 2024)`,
    inputs: width,
    classes: 0,
    train: makeRegressionDataset(x, y),
    probes: [],
    params: { ...knobs },
    loss: 'mse',
    outputs: 1,
  };
}
