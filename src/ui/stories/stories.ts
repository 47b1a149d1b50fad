import type { FormValues } from '../state/form';
import { PRIOR_VERDICT_MIN_SHARED } from '../../core/verdicts/priorSgd';
import {
  correlatesWithPrior,
  grokkingSignature,
  nearlyAll,
  roughBoundary,
  splitsAmong,
  splitsBetween,
  widerIsCommoner,
  wins,
  type VerdictRule,
} from './verdicts';

/**
 * A guided experiment for a reader of a textbook chapter on learning dynamics who has never
 * trained a network: settings to load, the claim they test (with its source), what to look at,
 * and the one knob to move. Each is a link (`#story=<id>`). Every sentence about what the reader
 * will see was measured: the command that measures it is given with the story.
 */
export interface Story {
  readonly id: string;
  readonly title: string;
  /** the claim under test, in plain words */
  readonly claim: string;
  readonly source: string;
  /** what to look at on the map, the outcome panel and the curves */
  readonly look: string;
  /** the knob to move, and what should happen */
  readonly move: string;
  /** the form's settings for this story (hash keys; the rest are the task's defaults) */
  readonly values: FormValues;
  /** the command line that measures the story's claim over many seeds */
  readonly command: string;
  /** the page of the manual with the measurements (docs/…) and its section there */
  readonly doc: string;
  readonly section: string;
  /** the findings report's section (docs/FINDINGS.md, `npm run report`) on the same claim, if it has one */
  readonly findings?: string;
  /**
   * On a slow device (a software WebGPU adapter, or the CPU engine): the settings that replace
   * `values`' sizes so the story reaches its point in a few minutes; "full size" restores them.
   */
  readonly small?: FormValues;
  /**
   * What the full size costs on a software adapter, measured (docs/STORIES.md, scripts/timeStory.ts):
   * the card says it beside "full size" before the reader starts it. Absent: "slow here".
   */
  readonly fullSizeCost?: string;
  /**
   * Said on the card on a slow device, where the story cannot show its point at any size the
   * sandbox affords there: why; the card follows it with `command`, the run that can.
   */
  readonly notOnSlowDevice?: string;
  /**
   * How long the story takes to reach its verdict and what the verdict needs, measured
   * (docs/STORIES.md): the card says it before the reader starts.
   */
  readonly takes?: string;
  /** On a slow device: the prior samples the Prior vs SGD panel starts at, instead of its default */
  readonly smallPriorSamples?: number;
  /** the story's claim tested against the numbers on screen once the run has ended */
  readonly verdict: VerdictRule;
}

/**
 * Grokking on a slow device: modulus 11 with 80% of the pairs in training (a 22-48-11 net, 1,584
 * parameters, 97 training pairs: a particle-step is a quarter of the work), learning rate 0.01,
 * and the smallest basin map (4 points, not 4,096). Measured on the CPU engine, 8 particles,
 * 1,000 steps (`npx basin-atlas train --task grokking --engine cpu --knob p=11 --knob
 * trainFraction=0.8 --lr 0.01 --particles 8 --record-every 50`): every one fitted its training
 * pairs by step 50 and reached 0.9 on the held-out pairs at steps 485–680 (median 600); 7 ended
 * generalised, 1 mixed.
 */
const GROKKING_SMALL: FormValues = { 'k.p': '11', 'k.trainFraction': '0.8', lr: '0.01', res: '2' };

export const STORIES: readonly Story[] = [
  {
    id: 'colour-or-shape',
    title: 'Colour or shape?',
    claim:
      'Two rules fit the training data equally well: "red means yes" (colour) and "curved means yes" (shape). Which one a network learns depends on where it starts and on the luck of its minibatches, not on the data alone.',
    source: 'Cotra 2021; Geirhos et al. 2019 (texture vs shape in ImageNet networks)',
    look: 'The map colours every starting point by the rule its network ended with: blue basins learned colour, orange ones shape, brown ones a mix. The outcome panel counts the particles of each kind, with 95% intervals.',
    move: 'Move "colour salience" from 1 to 0.9, then to 1.1: the blue and orange basins trade places, and the counts follow.',
    values: { task: 'thneeb' },
    command: 'npx basin-atlas train --knob salience=1.1',
    doc: 'docs/tasks.md',
    section: 'Thneeb: salience moves the balance',
    findings: 'Colour or shape (thneeb)',
    small: { particles: '256', res: '24' },
    verdict: splitsBetween(['colour', 'shape'], 0.05),
  },
  {
    id: 'init-or-noise',
    title: 'The init or the noise?',
    claim:
      'Give every network the very same starting point, so only the order of its minibatches differs. Whether they still split between algorithms depends on the settings: at small batches and a large learning rate, noise alone splits them.',
    source: 'McCoy et al. 2019 (100 BERTs, one recipe, different generalisation)',
    look: 'All particles start from particle 0\'s init ("one init for all" is ticked). With batch 1 and learning rate 0.8 they end in colour, shape and mixed from that one start. Then press "Decompose" in the Init or noise? panel: a matrix of inits × noise streams, and how much of the outcome each explains.',
    move: 'Set the batch back to 16 and the learning rate to 0.5: now the init decides, and nearly every particle ends in the same class.',
    values: { task: 'thneeb', shared: '1', batch: '1', lr: '0.8' },
    command: 'npx basin-atlas decompose --inits 64 --noises 64 --batch 1 --lr 0.8',
    doc: 'docs/instruments/decompose.md',
    section: 'Init or noise? (`decompose`)',
    findings: 'The init or the noise? (decompose)',
    small: { particles: '256', res: '24' },
    verdict: splitsAmong(['colour', 'shape', 'mixed'], 2, 0.05),
  },
  {
    id: 'simplicity-bias',
    title: 'The simplest feature wins',
    claim:
      'A linear coordinate and a slab coordinate both predict the label perfectly. Networks lean on the linear one alone, even when its margin is tiny: simplicity bias, in its starkest form.',
    source: 'Shah et al. 2020, "The Pitfalls of Simplicity Bias in Neural Networks"',
    look: 'Every particle ends "linear": the outcome panel shows one full bar. The curves show each probe\'s accuracy: the linear probe follows the label, the slab probe does not.',
    move: 'Shrink "linear margin" towards 0.02: the nets still take the linear coordinate.',
    values: { task: 'simplicity' },
    command: 'npx basin-atlas train --task simplicity --knob margin=0.02',
    doc: 'docs/tasks.md',
    section: 'Built-in tasks',
    findings: 'The simplest feature wins (simplicity)',
    small: { particles: '256', res: '24' },
    verdict: nearlyAll('linear', 0.95),
  },
  {
    id: 'proxy-goal',
    title: 'Move right, or seek the coin?',
    claim:
      'When the coin always sits at the right end of the level, "move right" and "seek the coin" are the same goal in training. The network learns the proxy; randomising the coin\'s place in some levels teaches the real goal.',
    source: 'Langosco et al. 2022, "Goal Misgeneralization in Deep Reinforcement Learning" (CoinRun)',
    look: 'The outcome panel: at a random-coin fraction of 0 every particle learns "move-right".',
    move: 'Raise "random-coin fraction": from 0.1 to 0.2 every particle is mixed, and from 0.25 every particle seeks the coin. The data decides here, not the seed: no fraction splits the seeds between the two goals.',
    values: { task: 'corridor' },
    command: 'npx basin-atlas train --task corridor --knob randomCoin=0.25',
    doc: 'docs/tasks.md',
    section: 'Corridor: the random-coin remedy',
    findings: 'Move right, or seek the coin? (corridor)',
    small: { particles: '128', res: '16' },
    verdict: nearlyAll('move-right', 0.95),
  },
  {
    id: 'coloured-digits',
    title: 'Coloured digits',
    claim:
      'The same colour-versus-shape contest on real handwriting: 1s and 7s from MNIST, tinted so that colour predicts the label in training, half of them drawn inverted so that reading the digit takes a nonlinear rule. At the default salience the seed decides: about one network in six follows the colour, one in five reads the digit, and the rest mix the two.',
    source: 'Arjovsky et al. 2019 (Coloured MNIST)',
    look: 'The Task settings show a strip of the images the networks saw, below the knobs. Inspect a particle to see its prediction on a few probe images whose colour contradicts their digit.',
    move: 'Move "colour salience" from 0.5 to 2: the digit share falls from two thirds to none and the colour share rises to nearly all. Set "inverted fraction" to 0 and the split goes: the digit is then as linear as the colour, every network reads it at salience 1, and at 2 every one mixes both cues.',
    values: { task: 'digits' },
    command: 'npx basin-atlas train --task digits --knob salience=2',
    doc: 'docs/tasks.md',
    section: 'Digits: salience moves the balance',
    findings: 'Coloured digits (digits)',
    small: { particles: '256', res: '16' },
    verdict: splitsBetween(['colour', 'digit'], 0.05),
  },
  {
    id: 'grokking',
    title: 'Grokking: memorise first, generalise later',
    claim:
      'A network learning modular addition (a + b mod 23) fits its training pairs within about a hundred steps, while its accuracy on pairs it never saw lags far behind; only hundreds of steps later, pushed by weight decay, does it find the general algorithm. And every seed finds it: the outcome has little path dependence, though seeds differ in which Fourier frequencies they use.',
    source: 'Power et al. 2022; Gromov 2023 (the two-layer x² network used here)',
    look: 'The curves: training accuracy reaches 1 early, the "generalised" probe (the held-out pairs) climbs much later (at the full size, p = 23, to 0.9 around step 600). The outcome panel: the particles end "generalised".',
    move: 'Set "weight decay" to 0: the networks memorise, and have not generalised by step 1,000. Lower "training fraction" to 0.45 (and give it 2,500 steps): the held-out pairs reach 0.9 near step 1,900 instead of 600.',
    values: { task: 'grokking' },
    command: 'npx basin-atlas train --task grokking --engine cpu --particles 8 --steps 1500 --record-every 50',
    doc: 'docs/tasks.md',
    section: 'Grokking: the delay and the Fourier frequencies',
    findings: 'Grokking: memorise first, generalise later (grokking)',
    small: GROKKING_SMALL,
    // scripts/timeStory.ts grokking [--full], SwiftShader, 2026-12-08: the small size reached its
    // verdict in 28 s; at full size the plane took 165 s and the run had not ended at 20 minutes
    fullSizeCost:
      'its plane took 3 minutes on SwiftShader here, and its 64 × 64 basin map trains 4,096 networks of 3,312 parameters for 1,000 steps: not finished in 20 minutes',
    verdict: grokkingSignature('generalised'),
  },
  {
    id: 'spectral-bias',
    title: 'Low frequencies first',
    claim:
      'Two square waves of the input, one slightly faster than the other, agree on every training point. Networks extend the slower one to new inputs: spectral bias. The margin is thin: what decides is how many class boundaries each wave puts among the training points.',
    source: 'Rahaman et al. 2019, "On the Spectral Bias of Neural Networks"',
    look: 'The outcome panel: at the default frequency ratio 1.05, 86% of the seeds follow the low-frequency wave and almost none the high one.',
    move: 'Lower "frequency ratio" to 1: the waves become the same shape, and the high one wins more seeds than the low one. Or raise "high-frequency amplitude" to 1.25: both waves keep more than 10% of the seeds.',
    values: { task: 'spectral' },
    command: 'npx basin-atlas train --task spectral --engine cpu --knob ratio=1',
    doc: 'docs/tasks.md',
    section: 'Spectral: a 5% higher frequency loses nearly every seed',
    findings: 'Low frequencies first (spectral)',
    small: { particles: '256', res: '24' },
    verdict: wins('low-frequency', 'high-frequency', 0.5, 3),
  },
  {
    id: 'prior-vs-sgd',
    title: 'Does SGD sample the prior?',
    claim:
      "Draw random networks from the init distribution and keep those that fit the training data: how often each function turns up is the prior's probability of it. The claim is that training finds each function about as often as the prior does, so that SGD behaves like a Bayesian sampler: on log–log axes the functions line up along the diagonal.",
    source:
      'Valle-Pérez et al. 2019; Mingard et al. 2021 (Boolean functions of 7 bits; 4 bits here, so that the two sides meet on many functions)',
    look: "When the run is done, press \"Sample the prior\" in the Prior vs SGD panel: one point per function both found, its share among the trained networks against its share among the accepted random ones, on log axes with the diagonal where the two agree, and Pearson's and Spearman's r of the logs with their 95% intervals. Measured on the command line with 10⁶ prior samples: 28 functions shared, r = −0.01 [−0.33, 0.30]: SGD stays on functions the prior draws, but not in the prior's proportions.",
    move: 'Lower "training points" to 2: nearly half the random networks fit, every trained one computes the same function, and with 1 function shared there is no correlation to draw. Raise it to 6: 1 draw in 200 fits, and 30,000 draws share only 11 functions with SGD, too few for the test.',
    values: { task: 'boolean', 'k.bits': '4', 'k.m': '3', steps: '60', particles: '1024' },
    command: 'npx basin-atlas prior --task boolean --knob bits=4 --knob m=3 --samples 1000000 --sgd 1024 --steps 60',
    doc: 'docs/instruments/prior.md',
    section: 'A scale that can show a correlation: 4 bits, 3 training points',
    findings: 'Does SGD sample the prior? (boolean, prior)',
    small: { particles: '256', res: '8' },
    // measured (docs/STORIES.md): at 256 particles, 30,000 draws (501 accepted) share 21 functions with SGD; 10,000 share 16
    smallPriorSamples: 30_000,
    takes: `Its test needs at least ${PRIOR_VERDICT_MIN_SHARED} functions found by both the prior and SGD. On a software adapter (SwiftShader) the smaller size found 21 and took about a minute here: 39–46 s to train, 11–13 s to sample the prior.`,
    verdict: correlatesWithPrior,
  },
  {
    id: 'trainability-boundary',
    title: 'Where training stops converging',
    claim:
      'Train the same small network with many pairs of learning rates, one per layer, and mark which pairs converge. The boundary between converging and diverging is not a smooth curve: it stays intricate however far you zoom in.',
    source: 'Sohl-Dickstein 2024, "The boundary of neural network trainability is fractal"',
    look: 'The main map is not this story\'s instrument: it sorts networks by accuracy, and these regression nets all count as "unconverged" there. When the run is done, press "Map" in the Hyperparameter map panel: the plane of the two layers\' learning rates (log axes), coloured by the convergence score. Then drag a box across the boundary: the map is computed again inside it, at the same resolution.',
    move: 'Zoom twice into the boundary: converged islands appear inside the diverged region. "back" and "whole map" return.',
    values: { task: 'fractal' },
    command: 'npx basin-atlas hypermap --task fractal --res 128 --colour score --png fractal.png',
    doc: 'docs/instruments/hypermap.md',
    section: 'The `fractal` preset: where training stops converging',
    findings: 'The trainability boundary (fractal, hypermap)',
    small: { particles: '256', res: '24' },
    // measured (docs/STORIES.md): a 33 × 33 map here measured 1.10, under the 1.38 smooth curves reach at that size
    notOnSlowDevice:
      'On a software adapter this story cannot show its point in the sandbox: the maps it affords here (33 to 64 cells a side, minutes each) are too coarse to tell the boundary from a smooth curve, and its verdict will say so. A 128 × 128 map can (its boundary measures 1.29, where smooth curves reach 1.16), in about 4 minutes on SwiftShader:',
    verdict: roughBoundary,
  },
  {
    id: 'basin-width',
    title: 'Is the commoner algorithm the wider basin?',
    claim:
      'A common story: training finds the algorithms whose basins are wide and flat more often. Measure it: for each class, the top Hessian eigenvalue (sharpness), how far a network can be pushed before it changes its mind (r50), and the local learning coefficient.',
    source: 'Hochreiter & Schmidhuber 1997; Lau et al. 2023 (the local learning coefficient)',
    look: 'Press "Measure sharpness, width, LLC" when the run is done: three box plots per class, and a line saying whether the commoner class has the larger r50.',
    move: 'Move "colour salience" to 0.9 or 1.1 and measure again: does the wider basin follow the commoner class?',
    values: { task: 'thneeb' },
    command: 'npx basin-atlas geometry --skip-llc',
    doc: 'docs/instruments/geometry.md',
    section: 'Basin geometry',
    small: { particles: '256', res: '24' },
    verdict: widerIsCommoner,
  },
];

export function findStory(id: string): Story | undefined {
  return STORIES.find((s) => s.id === id);
}
