import { PURPOSE_DATA, randUniform } from '../rng';
import { makeDataset, type Task } from '../task';

export interface GrokkingKnobs {
  /** the modulus: inputs and outputs are the residues 0 … p − 1 */
  p: number;
  /** share of the p² pairs (a, b) in the training set; the rest are the held-out probe */
  trainFraction: number;
  dataSeed: number;
}

export const GROKKING_DEFAULTS: GrokkingKnobs = { p: 23, trainFraction: 0.6, dataSeed: 0 };

/**
 * Held-out accuracy below this, with the training set fitted, is `memorised`: a net that only
 * memorised sits near chance (1/p) on unseen pairs; between this and the probe threshold is `mixed`
 * (part way to generalising).
 */
export const MEMORISED_BELOW = 0.5;

/**
 * Modular addition (Power et al. 2022): the input is a one-hot of a beside a one-hot of b (2p
 * inputs), the label (a + b) mod p (p classes, softmax). A shuffle of the p² pairs by the data seed
 * puts round(trainFraction · p²) of them in training; the probe `generalised` holds every other
 * pair with its true sum, so a net that has learned addition (not a table) passes it.
 */
export function grokking(knobs: GrokkingKnobs = GROKKING_DEFAULTS): Task {
  const { p, trainFraction, dataSeed } = knobs;
  const pairs = Array.from({ length: p * p }, (_, k) => k);
  // Fisher–Yates from the counter-based generator: the same split on every machine
  for (let k = pairs.length - 1; k > 0; k--) {
    const j = Math.floor(randUniform(dataSeed, 0, PURPOSE_DATA, k, 0) * (k + 1));
    [pairs[k], pairs[j]] = [pairs[j], pairs[k]];
  }
  const trainRows = Math.min(pairs.length - 1, Math.max(1, Math.round(trainFraction * pairs.length)));
  const row = (k: number): number[] => {
    const x = new Array<number>(2 * p).fill(0);
    x[Math.floor(k / p)] = 1;
    x[p + (k % p)] = 1;
    return x;
  };
  const label = (k: number) => (Math.floor(k / p) + (k % p)) % p;
  const set = (ks: number[]) => makeDataset(ks.map(row), ks.map(label));
  return {
    name: 'grokking',
    description: `a + b mod ${p} from two one-hots; ${trainRows} of ${p * p} pairs train, the rest are held out: memorise the table or learn addition?`,
    inputs: 2 * p,
    classes: p,
    train: set(pairs.slice(0, trainRows)),
    probes: [{ name: 'generalised', data: set(pairs.slice(trainRows)) }],
    fitOnly: { name: 'memorised', below: MEMORISED_BELOW },
    params: { ...knobs },
  };
}
