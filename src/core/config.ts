import { DEFAULT_THRESHOLDS, type Thresholds } from './classify';
import { quote } from './describe';
import { UserError } from './errors';
import { INIT_DISTS, type InitDist } from './init';
import { ACTIVATIONS, OPTIMIZERS, paramCount, type Activation, type OptimizerName } from './layout';

/**
 * The fully resolved configuration of a run: every default filled in, seeds included. Results
 * carry it verbatim, the URL hash serialises it, and it is all a run depends on.
 */
export interface RunConfig {
  task: string;
  /** the preset's knobs (e.g. thneeb's salience); empty for task files */
  knobs: Record<string, number>;
  hidden: number[];
  activation: Activation;
  /** false: layers without bias parameters (weights only) */
  bias: boolean;
  optimizer: OptimizerName;
  lr: number;
  /** per-layer multipliers of lr, layer 0 first; a layer past the end of the list takes 1 ([] = all 1) */
  lrScale: number[];
  momentum: number;
  /** Adam's β₁ and β₂ (adam, adamw) */
  beta1: number;
  beta2: number;
  batch: number | 'full';
  steps: number;
  weightDecay: number;
  initScale: number;
  /** the init distribution (src/core/init.ts): PyTorch's default uniform, or Gaussian σ_w/√fan_in, σ_b */
  initDist: InitDist;
  particles: number;
  seed: number;
  noiseSeed: number;
  firstParticle: number;
  thresholds: Thresholds;
}

export const DEFAULT_CONFIG: RunConfig = {
  task: 'thneeb',
  knobs: {},
  hidden: [16],
  activation: 'tanh',
  bias: true,
  optimizer: 'sgd',
  lr: 0.5,
  lrScale: [],
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  batch: 16,
  steps: 1000,
  weightDecay: 0,
  initScale: 1,
  initDist: 'default',
  particles: 1024,
  seed: 1,
  noiseSeed: 2,
  firstParticle: 0,
  thresholds: DEFAULT_THRESHOLDS,
};

/**
 * Most parameters one particle may have: 2^17, past an MNIST-scale 784-128-10 net (101,770). The
 * batched trainer holds each particle's parameters, gradient and activations in storage buffers,
 * so the bound is what the oracle tests and the benchmark cover, not a kernel's private memory
 * (the per-particle kernels stop at 4,096: src/engine/trainerChoice.ts).
 */
export const MAX_PARAMS = 1 << 17;
export const MAX_HIDDEN_LAYERS = 6;
export const MAX_WIDTH = 1024;
/** Why MAX_PARAMS, in the one line a refusal prints. */
const MAX_PARAMS_WHY = 'the largest size the engines are tested and benchmarked at';
export const MAX_PARTICLES = 1 << 20;
export const MAX_SEED = 0xffffffff;

export interface NumberSpec {
  /** the command-line flag, e.g. "--lr" */
  readonly flag: string;
  /** the name a person reads in the UI, e.g. "learning rate" */
  readonly label: string;
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  /** min itself is not allowed (e.g. a learning rate must be > 0) */
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

const int = (flag: string, label: string, min: number, max: number): NumberSpec => ({ flag, label, integer: true, min, max });
const num = (flag: string, label: string, min: number, max: number, extra: Partial<NumberSpec> = {}): NumberSpec => ({
  flag,
  label,
  integer: false,
  min,
  max,
  ...extra,
});

export const NUMBER_FIELDS = {
  lr: num('--lr', 'learning rate', 0, 1000, { minExclusive: true }),
  // up to 10⁶: the mean-field rates of a wide readout (gain 1/fan_in²) run to the thousands
  lrScale: num('--lr-layer', 'layer learning-rate multiplier', 0, 1e6),
  momentum: num('--momentum', 'momentum', 0, 1, { maxExclusive: true }),
  beta1: num('--beta1', 'Adam β₁', 0, 1, { maxExclusive: true }),
  beta2: num('--beta2', 'Adam β₂', 0, 1, { maxExclusive: true }),
  weightDecay: num('--wd', 'weight decay', 0, 100),
  initScale: num('--init-scale', 'init scale', 0, 100, { minExclusive: true }),
  steps: int('--steps', 'steps', 1, 1_000_000),
  particles: int('--particles', 'particles', 1, MAX_PARTICLES),
  seed: int('--seed', 'init seed', 0, MAX_SEED),
  noiseSeed: int('--noise-seed', 'noise seed', 0, MAX_SEED),
  firstParticle: int('--first-particle', 'first particle', 0, MAX_SEED),
  trainThreshold: num('--train-threshold', 'train accuracy threshold', 0, 1, { minExclusive: true }),
  probeThreshold: num('--probe-threshold', 'probe accuracy threshold', 0, 1, { minExclusive: true }),
  res: int('--res', 'grid resolution', 2, 1024),
  span: num('--span', 'span', 0, 1000, { minExclusive: true }),
  planeSeed: int('--plane-seed', 'plane seed', 0, MAX_SEED),
  recordEvery: int('--record-every', 'record every', 1, 1_000_000),
} as const satisfies Record<string, NumberSpec>;

export type NumberField = keyof typeof NUMBER_FIELDS;

/** "a positive number up to 1000", "an integer from 1 to 65536", "a number ≥ 0 and < 1" */
export function describeRange(spec: NumberSpec): string {
  const what = spec.integer ? 'an integer' : 'a number';
  if (spec.min === 0 && spec.minExclusive && !spec.maxExclusive)
    return `a positive ${spec.integer ? 'integer' : 'number'} up to ${spec.max}`;
  if (!spec.minExclusive && !spec.maxExclusive) return `${what} from ${spec.min} to ${spec.max}`;
  return `${what} ${spec.minExclusive ? '>' : '≥'} ${spec.min} and ${spec.maxExclusive ? '<' : '≤'} ${spec.max}`;
}

export type NameStyle = 'flag' | 'label';

export function fieldName(spec: NumberSpec, style: NameStyle): string {
  return style === 'flag' ? spec.flag : spec.label;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The one rule for numbers a user types (flags, widths, batch sizes, CSV cells): decimal notation
 * only, NaN otherwise. Number() alone would also take "0x10", "0b1", "Infinity" and "".
 */
export function parseDecimal(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : NaN;
}

/** Parses and range-checks one numeric value; throws a one-line UserError naming the field. */
export function parseNumber(spec: NumberSpec, raw: unknown, style: NameStyle = 'flag'): number {
  const text = typeof raw === 'string' ? raw.trim() : String(raw);
  const value = typeof raw === 'number' ? raw : parseDecimal(text);
  const ok =
    Number.isFinite(value) &&
    (!spec.integer || Number.isInteger(value)) &&
    (spec.minExclusive ? value > spec.min : value >= spec.min) &&
    (spec.maxExclusive ? value < spec.max : value <= spec.max);
  if (!ok) throw new UserError(`${fieldName(spec, style)} must be ${describeRange(spec)}, got ${quote(text)}`);
  return value;
}

export function parseField(field: NumberField, raw: unknown, style: NameStyle = 'flag'): number {
  return parseNumber(NUMBER_FIELDS[field], raw, style);
}

export function parseChoice<T extends string>(name: string, allowed: readonly T[], raw: unknown): T {
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UserError(`${name} must be one of ${allowed.join(', ')}, got ${quote(String(raw))}`);
}

export function parseActivation(raw: unknown, style: NameStyle = 'flag'): Activation {
  return parseChoice(style === 'flag' ? '--act' : 'activation', ACTIVATIONS, raw);
}

export function parseInitDist(raw: unknown, style: NameStyle = 'flag'): InitDist {
  return parseChoice(style === 'flag' ? '--init-dist' : 'init distribution', INIT_DISTS, raw);
}

export function parseOptimizer(raw: unknown, style: NameStyle = 'flag'): OptimizerName {
  return parseChoice(style === 'flag' ? '--opt' : 'optimizer', OPTIMIZERS, raw);
}

/** "16,16" → [16, 16]; "" → [] (no hidden layer: logistic regression). */
export function parseHidden(raw: unknown, style: NameStyle = 'flag'): number[] {
  const name = style === 'flag' ? '--hidden' : 'hidden widths';
  const text = Array.isArray(raw) ? raw.join(',') : String(raw).trim();
  const parts = text === '' ? [] : text.split(',').map((s) => s.trim());
  const widths = parts.map(parseDecimal);
  if (parts.length > MAX_HIDDEN_LAYERS || widths.some((w) => !Number.isInteger(w) || w < 1 || w > MAX_WIDTH)) {
    throw new UserError(
      `${name} must be a comma-separated list of up to ${MAX_HIDDEN_LAYERS} widths, each an integer from 1 to ${MAX_WIDTH}, got ${quote(text)}`,
    );
  }
  return widths;
}

/**
 * `--lr-layer K=MULT` pairs (K a layer index from 0) → one multiplier per layer of a network with
 * `layers` layers, 1 where none is given. Throws a one-line UserError naming the flag and its range.
 */
export function parseLrScales(pairs: readonly string[], layers: number, style: NameStyle = 'flag'): number[] {
  const name = style === 'flag' ? '--lr-layer' : NUMBER_FIELDS.lrScale.label;
  const scales = new Array<number>(layers).fill(1);
  const seen = new Set<number>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UserError(`${name} must look like K=MULT (K a layer from 0), got ${quote(pair)}`);
    const k = parseDecimal(pair.slice(0, at));
    if (!Number.isInteger(k) || k < 0 || k >= layers) {
      throw new UserError(
        `${name}: the layer must be an integer from 0 to ${layers - 1} (the network has ${layers} layer${layers === 1 ? '' : 's'}), got ${quote(pair.slice(0, at))}`,
      );
    }
    if (seen.has(k)) throw new UserError(`${name}: layer ${k} is given twice`);
    seen.add(k);
    const spec = { ...NUMBER_FIELDS.lrScale, flag: `${name} ${k}=`, label: `${name} ${k}=` };
    scales[k] = parseNumber(spec, pair.slice(at + 1), style);
  }
  return scales;
}

/**
 * The form's spelling of the same: "1,0.5" multiplies layer 0's rate by 1 and layer 1's by 0.5;
 * layers past the list take 1, so "" leaves every layer at the base rate.
 */
export function parseLrScaleList(raw: string, layers: number, style: NameStyle = 'label'): number[] {
  const text = raw.trim();
  const parts = text === '' ? [] : text.split(',');
  const name = style === 'flag' ? '--lr-layer' : NUMBER_FIELDS.lrScale.label;
  if (parts.length > layers) {
    throw new UserError(
      `${name}s: the network has ${layers} layer${layers === 1 ? '' : 's'}, got ${parts.length} multipliers in ${quote(text)}`,
    );
  }
  return parts.map((p, k) => parseNumber({ ...NUMBER_FIELDS.lrScale, label: `${name} of layer ${k}` }, p, style));
}

/** "full" or a minibatch size from 1 to the training set's size. */
export function parseBatch(raw: unknown, trainRows: number, style: NameStyle = 'flag'): number | 'full' {
  const name = style === 'flag' ? '--batch' : 'batch';
  const text = String(raw).trim();
  if (text === 'full') return 'full';
  const n = parseDecimal(text);
  if (!Number.isInteger(n) || n < 1 || n > trainRows) {
    throw new UserError(`${name} must be "full" or an integer from 1 to ${trainRows} (the training set's size), got ${quote(text)}`);
  }
  return n;
}

/** Checks what depends on more than one field: the model's size, the particle index range. */
export function checkConfig(config: RunConfig, inputs: number, outputs: number, style: NameStyle = 'flag'): void {
  checkModelSize(config.hidden, inputs, outputs, style, false, config.bias);
  checkParticleRange(config.firstParticle, config.particles, style);
}

/**
 * The network fits the trainer: at most MAX_PARAMS parameters. `hiddenIsDefault`: the user gave no
 * widths, so the message names the default they did not choose and a width that fits.
 */
export function checkModelSize(
  hidden: readonly number[],
  inputs: number,
  outputs: number,
  style: NameStyle = 'flag',
  hiddenIsDefault = false,
  bias = true,
): void {
  const widths = [inputs, ...hidden, outputs];
  const p = paramCount({ widths, bias });
  if (p <= MAX_PARAMS) return;
  const name = style === 'flag' ? '--hidden' : 'hidden widths';
  if (!hiddenIsDefault)
    throw new UserError(
      `${name}: a ${widths.join('-')} network${bias ? '' : ' without biases'} has ${p} parameters; at most ${MAX_PARAMS} are supported (${MAX_PARAMS_WHY})`,
    );
  // one hidden layer of w units has (inputs + 1)·w + (w + 1)·outputs parameters
  const fits = Math.floor((MAX_PARAMS - outputs) / (inputs + 1 + outputs));
  const hint = fits >= 1 ? `give a smaller one, e.g. ${name} ${fits}` : 'give a smaller one';
  throw new UserError(
    `${name} was not given and its default ${hidden.join(',')} makes a ${widths.join('-')} network of ${p} parameters; at most ${MAX_PARAMS} are supported (${MAX_PARAMS_WHY}): ${hint}`,
  );
}

/** Particle indices firstParticle … firstParticle + particles − 1 all fit a uint32 noise stream. */
export function checkParticleRange(firstParticle: number, particles: number, style: NameStyle = 'flag'): void {
  if (firstParticle + particles - 1 > MAX_SEED) {
    throw new UserError(
      `${style === 'flag' ? '--first-particle' : 'first particle'} + particles must stay below 2^32, got ${firstParticle} + ${particles}`,
    );
  }
}
