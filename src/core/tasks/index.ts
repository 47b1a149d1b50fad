import type { RunConfig, NumberSpec } from '../config';
import type { Task } from '../task';
import { BOOLEAN_BITS, BOOLEAN_DEFAULTS, BOOLEAN_INPUTS, BOOLEAN_MIN_BITS, BOOLEAN_TARGETS, booleanTask } from './boolean';
import { corridor, CORRIDOR_DEFAULTS } from './corridor';
import { digits, DIGITS_DEFAULTS } from './digits';
import { fractal, FRACTAL_DEFAULTS, FRACTAL_WIDTH } from './fractal';
import { grokking, GROKKING_DEFAULTS } from './grokking';
import { lms, LMS_DEFAULTS } from './lms';
import { mnist, MNIST_DEFAULTS } from './mnist';
import { simplicity, SIMPLICITY_DEFAULTS } from './simplicity';
import { spectral, SPECTRAL_DEFAULTS } from './spectral';
import { thneeb, THNEEB_DEFAULTS } from './thneeb';

export interface KnobSpec extends NumberSpec {
  readonly default: number;
}

/** A built-in task: how to build it from its knobs, and training settings that show its story. */
export interface Preset {
  readonly name: string;
  readonly summary: string;
  readonly knobs: Readonly<Record<string, KnobSpec>>;
  readonly build: (knobs: Record<string, number>) => Task;
  /** settings that differ from DEFAULT_CONFIG for this task */
  readonly defaults: Partial<RunConfig>;
  /** builds from the MNIST images (digitImages.ts): front ends load them before calling build */
  readonly needsDigitImages?: boolean;
  /** builds from the 28×28 MNIST images (mnistImages.ts), which front ends load only for this preset */
  readonly needsMnistImages?: boolean;
  /** what `hypermap` shows when no axes are given: two axes (NAME:MIN:MAX[:log]) and how outcomes are counted */
  readonly hypermap?: { readonly x: string; readonly y: string; readonly outcome: 'classes' | 'trainability' };
}

const knob = (
  name: string,
  label: string,
  integer: boolean,
  min: number,
  max: number,
  value: number,
  extra: Partial<NumberSpec> = {},
): KnobSpec => ({
  flag: `--knob ${name}`,
  label,
  integer,
  min,
  max,
  default: value,
  ...extra,
});

const dataSeed = knob('dataSeed', 'data seed', true, 0, 0xffffffff, 0);

export const PRESETS: readonly Preset[] = [
  {
    name: 'thneeb',
    summary: 'does the net learn "red" (linear) or "curved" (XOR)? Both predict the label in training (Cotra 2021)',
    knobs: {
      salience: knob('salience', 'colour salience', false, 0, 10, THNEEB_DEFAULTS.salience, { minExclusive: true }),
      examples: knob('examples', 'training examples', true, 4, 4096, THNEEB_DEFAULTS.examples),
      dataSeed,
    },
    build: (k) => thneeb({ ...THNEEB_DEFAULTS, ...k }),
    defaults: {},
  },
  {
    name: 'simplicity',
    summary: 'a linear coordinate beside a 3-slab coordinate; nets lean on the linear one (Shah et al. 2020)',
    knobs: {
      margin: knob('margin', 'linear margin', false, 0, 1, SIMPLICITY_DEFAULTS.margin, { maxExclusive: true }),
      slabs: knob('slabs', 'slabs', true, 3, 15, SIMPLICITY_DEFAULTS.slabs),
      examples: knob('examples', 'training examples', true, 4, 4096, SIMPLICITY_DEFAULTS.examples),
      dataSeed,
    },
    build: (k) => simplicity({ ...SIMPLICITY_DEFAULTS, ...k }),
    defaults: {},
  },
  {
    name: 'corridor',
    summary: 'CoinRun-lite: the coin is at the right end in training — "move right" or "seek the coin"? (Langosco et al. 2022)',
    knobs: {
      length: knob('length', 'corridor length', true, 3, 32, CORRIDOR_DEFAULTS.length),
      randomCoin: knob('randomCoin', 'random-coin fraction', false, 0, 1, CORRIDOR_DEFAULTS.randomCoin),
      examples: knob('examples', 'training examples', true, 4, 4096, CORRIDOR_DEFAULTS.examples),
      dataSeed,
    },
    build: (k) => corridor({ ...CORRIDOR_DEFAULTS, ...k }),
    defaults: { optimizer: 'adam', lr: 0.01 },
  },
  {
    name: 'digits',
    summary: 'real MNIST digits in two colours: does the net learn the colour or the digit? (Colored MNIST, Arjovsky et al. 2019)',
    knobs: {
      salience: knob('salience', 'colour salience', false, 0, 10, DIGITS_DEFAULTS.salience, { minExclusive: true }),
      agreement: knob('agreement', 'colour–label agreement', false, 0, 1, DIGITS_DEFAULTS.agreement),
      examples: knob('examples', 'training images', true, 4, 512, DIGITS_DEFAULTS.examples),
      inverted: knob('inverted', 'inverted fraction', false, 0, 1, DIGITS_DEFAULTS.inverted),
      dataSeed,
    },
    build: (k) => digits({ ...DIGITS_DEFAULTS, ...k }),
    // 50-4-1 ReLU, SGD lr 0.05: narrow enough that the seed decides between colour and digit
    // (docs/tasks.md, "Digits: salience moves the balance"); 1,024 particles in about 20 s on SwiftShader
    defaults: { hidden: [4], activation: 'relu', lr: 0.05 },
    needsDigitImages: true,
  },
  {
    name: 'mnist',
    summary:
      'real 28×28 MNIST digits 0–9, each in its own colour: does the net learn the colour or the digit? (Colored MNIST, ten classes)',
    knobs: {
      salience: knob('salience', 'colour salience', false, 0, 10, MNIST_DEFAULTS.salience, { minExclusive: true }),
      agreement: knob('agreement', 'colour–label agreement', false, 0, 1, MNIST_DEFAULTS.agreement),
      examples: knob('examples', 'training images', true, 10, 3000, MNIST_DEFAULTS.examples),
      dataSeed,
    },
    build: (k) => mnist({ ...MNIST_DEFAULTS, ...k }),
    // 794-16-10 ReLU (12,890 parameters), SGD lr 0.1, 500 steps: the training set fitted (≥ 0.95) and
    // the digit read as well as 1,000 images allow. Held-out ten-class digit accuracy of such a net
    // is 0.80–0.88 (8 seeds), under the usual 0.9, so a hypothesis wins at 0.8 here (docs/tasks.md,
    // "MNIST: salience moves every seed at once"). Narrow because every seed costs: 16 seeds × 500 steps are minutes on a CPU core.
    defaults: { hidden: [16], activation: 'relu', lr: 0.1, steps: 500, thresholds: { train: 0.95, probe: 0.8 } },
    needsMnistImages: true,
  },
  {
    name: 'grokking',
    summary: 'a + b mod p: the net fits its training pairs first, the held-out ones several times later (Power et al. 2022)',
    knobs: {
      // 27: the default 2p–48–p net fits 4,096 parameters even as the sandbox counts it, biases included
      p: knob('p', 'modulus', true, 3, 27, GROKKING_DEFAULTS.p),
      trainFraction: knob('trainFraction', 'training fraction', false, 0, 1, GROKKING_DEFAULTS.trainFraction, {
        minExclusive: true,
        maxExclusive: true,
      }),
      dataSeed,
    },
    build: (k) => grokking({ ...GROKKING_DEFAULTS, ...k }),
    // Gromov 2023's set-up: 2p–N–p, x², no biases, AdamW with strong decay, full batch (docs/tasks.md, "Grokking")
    defaults: {
      hidden: [48],
      activation: 'square',
      bias: false,
      optimizer: 'adamw',
      lr: 0.005,
      weightDecay: 1,
      beta2: 0.98,
      batch: 'full',
      // the CPU engine trains these 4 in a few minutes (8 particles, 1,500 steps: 605 s on a busy
      // 2-core machine); all 16 measured fitted their training pairs by step 100, the held-out
      // ones (≥ 0.9) at steps 450–750 (docs/tasks.md, "Grokking")
      steps: 1000,
      particles: 4,
    },
  },
  {
    name: 'fractal',
    summary:
      'full-batch gradient descent on random points: where in the plane of two layer learning rates does training converge? (Sohl-Dickstein 2024)',
    knobs: { dataSeed },
    build: (k) => fractal({ ...FRACTAL_DEFAULTS, ...k }),
    // his set-up: 16-16-1 tanh without biases, mean-field parameterized, full batch; the per-layer
    // mean-field rates are the map's axes (lr 1: a layer's multiplier is its rate). The boundary
    // runs across lr:1 ≈ 100–300 over this lr:0 range (docs/instruments/hypermap.md, "The fractal preset")
    defaults: {
      hidden: [FRACTAL_WIDTH],
      activation: 'tanh',
      bias: false,
      initDist: 'meanfield',
      optimizer: 'sgd',
      lr: 1,
      batch: 'full',
      steps: 200,
    },
    hypermap: { x: 'lr:0:10:100000:log', y: 'lr:1:20:1000:log', outcome: 'trainability' },
  },
  {
    name: 'spectral',
    summary: 'a low- and a high-frequency square wave agree in training; nets follow the low one (spectral bias, Rahaman et al. 2019)',
    knobs: {
      frequency: knob('frequency', 'low frequency (cycles)', false, 1, 8, SPECTRAL_DEFAULTS.frequency),
      ratio: knob('ratio', 'frequency ratio', false, 1, 16, SPECTRAL_DEFAULTS.ratio),
      amplitude: knob('amplitude', 'high-frequency amplitude', false, 0, 10, SPECTRAL_DEFAULTS.amplitude, { minExclusive: true }),
      examples: knob('examples', 'training examples', true, 4, 4096, SPECTRAL_DEFAULTS.examples),
      dataSeed,
    },
    build: (k) => spectral({ ...SPECTRAL_DEFAULTS, ...k }),
    defaults: {},
  },
  {
    name: 'lms',
    summary: 'LMS-5: one linear and 49 five-slab coordinates, rotated; the randomisation test shows which the net uses (Shah et al. 2020)',
    knobs: {
      dimension: knob('dimension', 'input dimension', true, 2, 128, LMS_DEFAULTS.dimension),
      margin: knob('margin', 'linear margin', false, 0, 1, LMS_DEFAULTS.margin, { maxExclusive: true }),
      examples: knob('examples', 'training examples', true, 4, 4096, LMS_DEFAULTS.examples),
      dataSeed,
    },
    build: (k) => lms({ ...LMS_DEFAULTS, ...k }),
    defaults: {},
  },
  {
    name: 'boolean',
    summary: `Boolean functions of n bits (knob bits, 7 as in the paper), trained on m of the 2^n inputs: is SGD's function the prior's? (Valle-Pérez et al. 2019); target ${BOOLEAN_TARGETS.map((t, i) => `${i} = ${t.name}`).join(', ')}`,
    knobs: {
      target: knob('target', 'target function', true, 0, BOOLEAN_TARGETS.length - 1, BOOLEAN_DEFAULTS.target),
      m: knob('m', 'training points', true, 1, BOOLEAN_INPUTS - 1, BOOLEAN_DEFAULTS.m),
      dataSeed,
      bits: knob('bits', 'input bits', true, BOOLEAN_MIN_BITS, BOOLEAN_BITS, BOOLEAN_BITS),
    },
    build: (k) => booleanTask({ ...BOOLEAN_DEFAULTS, ...k }),
    // 7-40-40-1 ReLU with the NNGP Gaussian init, as in the paper (2,001 parameters)
    defaults: { hidden: [40, 40], activation: 'relu', initDist: 'gaussian', optimizer: 'adam', lr: 0.01, batch: 'full', steps: 300 },
  },
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/**
 * A preset's knob by the name a user typed, or undefined. An own-property lookup: `knobs[name]`
 * would find "constructor" or "toString" on Object.prototype.
 */
export function findKnob(preset: Preset, name: string): KnobSpec | undefined {
  return Object.hasOwn(preset.knobs, name) ? preset.knobs[name] : undefined;
}

export function defaultKnobs(preset: Preset): Record<string, number> {
  return Object.fromEntries(Object.entries(preset.knobs).map(([k, spec]) => [k, spec.default]));
}
