import { PURPOSE_DATA, randU32 } from '../rng';
import { UserError } from '../errors';
import { makeDataset, type Task } from '../task';

export interface BooleanKnobs {
  /** the target function, by index into BOOLEAN_TARGETS */
  target: number;
  /** training points out of the 128 inputs */
  m: number;
  /** which m inputs are the training points */
  dataSeed: number;
  /**
   * input bits n (2^n inputs): the paper's 7, or fewer, so that a posterior over the 2^(2^n − m)
   * completions of the training set is small enough for the prior and SGD to meet on many functions
   */
  bits?: number;
}

export const BOOLEAN_DEFAULTS: BooleanKnobs = { target: 0, m: 64, dataSeed: 0, bits: 7 };

/** The paper's input size, and the most the task takes. */
export const BOOLEAN_BITS = 7;
export const BOOLEAN_INPUTS = 1 << BOOLEAN_BITS;
/** Fewer bits than this and there is hardly a function space left to compare (16 functions of 2 bits). */
export const BOOLEAN_MIN_BITS = 2;

/** Input i's bits, most significant first: row i reads as i written in binary. */
export const booleanInput = (i: number, bits = BOOLEAN_BITS): number[] => Array.from({ length: bits }, (_, j) => (i >> (bits - 1 - j)) & 1);

/**
 * The targets, from low to high complexity: `simple` is the first bit (its truth table is 64 zeros
 * then 64 ones), `random` a fixed random function (each input's label one bit of the project's
 * generator under a constant key: the same for every data seed), `parity` the XOR of all 7 bits.
 */
export const BOOLEAN_TARGETS: readonly { name: string; label: (i: number, bits?: number) => number }[] = [
  { name: 'simple', label: (i, bits = BOOLEAN_BITS) => i >> (bits - 1) },
  { name: 'random', label: (i) => randU32(0x0b001ea7, i, PURPOSE_DATA, 0, 0) & 1 },
  { name: 'parity', label: (i, bits = BOOLEAN_BITS) => booleanInput(i, bits).reduce((a, b) => a ^ b, 0) },
];

/**
 * The 128 inputs in an order drawn from the data seed (Fisher–Yates on the project's generator):
 * the first m are the training points.
 */
function shuffledInputs(dataSeed: number, inputs: number): number[] {
  const order = Array.from({ length: inputs }, (_, i) => i);
  for (let k = inputs - 1; k > 0; k--) {
    const j = randU32(dataSeed, 0, PURPOSE_DATA, 0, k) % (k + 1);
    [order[k], order[j]] = [order[j], order[k]];
  }
  return order;
}

/**
 * Valle-Pérez et al. 2019, "Deep learning generalizes because the parameter-function map is biased
 * towards simple functions": all 128 inputs of 7 bits, a target function, m of them (chosen by the
 * data seed) to train on. The probe set `target` is every other input, in increasing order,
 * labelled by the target: its accuracy is one minus the generalisation error.
 */
export function booleanTask(knobs: BooleanKnobs = BOOLEAN_DEFAULTS): Task {
  const { target, m, dataSeed, bits = BOOLEAN_BITS } = knobs;
  const inputs = 1 << bits;
  // the knobs' own ranges are checked where they are typed; this one joins two of them
  if (m >= inputs) throw new UserError(`--knob m must be from 1 to ${inputs - 1} with ${bits} input bits (${inputs} inputs), got ${m}`);
  const f = BOOLEAN_TARGETS[target];
  const order = shuffledInputs(dataSeed, inputs);
  const train = order.slice(0, m).sort((a, b) => a - b);
  const held = order.slice(m).sort((a, b) => a - b);
  const set = (rows: number[]) =>
    makeDataset(
      rows.map((i) => booleanInput(i, bits)),
      rows.map((i) => f.label(i, bits)),
    );
  return {
    name: 'boolean',
    description: `the ${f.name} Boolean function of ${bits} bits, trained on ${m} of its ${inputs} inputs (Valle-Pérez et al. 2019)`,
    inputs: bits,
    classes: 2,
    train: set(train),
    probes: [{ name: 'target', data: set(held) }],
    params: { ...knobs },
  };
}
