import { DEFAULT_THRESHOLDS, type Thresholds } from './classify';
import { quote } from './describe';
import { UserError } from './errors';
import { INIT_DISTS, type InitDist } from './init';
import { ACTIVATIONS, isAdam, OPTIMIZERS, type Activation, type OptimizerName } from './layout';
import { describeRange, fieldName, parseChoice, parseDecimal, parseNumber, type NameStyle, type NumberSpec } from './numbers';

/**
 * The run settings, each described once: its flag, its key in the sandbox's form and URL hash, its
 * label, its range or choices, its default, its --help line, its hint in the form, and whether a
 * hyper map can vary it. Everything that shows, parses or checks a setting is derived from this
 * table: the config's validation and defaults (config.ts), the command line's options and their
 * resolution (src/cli/runOptions.ts, resolve.ts), the flags that give a config back (runFlags.ts),
 * the hyper map's axes (instruments/hypermap/hypermapAxes.ts), the sandbox's form and hash
 * (src/ui/state/fields.ts) and, through --help, docs/cli.md's flag tables.
 *
 * A new run setting is a field of RunConfig and an entry here (the compiler asks for the entry);
 * the places that use its value (the engines, the JSON) are the only other code it needs.
 */

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

export const MAX_HIDDEN_LAYERS = 6;
export const MAX_WIDTH = 1024;
export const MAX_PARTICLES = 1 << 20;
export const MAX_SEED = 0xffffffff;

/**
 * The settings of the table, flat: RunConfig's fields but the task and its knobs (the task is a
 * name or files, loaded, and its knobs belong to the preset: src/core/tasks), with the thresholds
 * as two settings.
 */
export type SettingValues = Omit<RunConfig, 'task' | 'knobs' | 'thresholds'> & { trainThreshold: number; probeThreshold: number };
export type SettingKey = keyof SettingValues;

/** What a setting's check may depend on beyond its own text. */
export interface SettingContext {
  /** rows of the training set: the largest minibatch */
  readonly trainRows: number;
  /** layers of the network (hidden layers + 1): one learning-rate multiplier each */
  readonly layers: number;
}

/** A value as commander hands it over: a string, a list for a repeatable flag, a boolean for an on/off one. */
export type FlagValue = string | readonly string[] | boolean;

export interface Setting<V> {
  readonly kind: 'number' | 'choice' | 'list' | 'switch' | 'batch';
  /** the command-line flag; `--no-X` for a setting that is on unless the flag is given */
  readonly flag: `--${string}`;
  /** commander's placeholder for the flag's value ("<number>"); none for an on/off flag */
  readonly arg?: `<${string}>`;
  /** given once per value (--lr-layer K=MULT): commander collects the values in a list */
  readonly repeatable?: boolean;
  /** the key in the sandbox's form and URL hash (short, and kept: links carry it); none where the sandbox has no field for it */
  readonly hash?: string;
  /** the name a message and the form give it */
  readonly label: string;
  /** the form's label, where it differs from the name messages use */
  readonly formLabel?: string;
  /** the --help line: {range}, {choices} and {default} are filled in */
  readonly help: string;
  /** the form's hint under the field */
  readonly hint?: string;
  /** what its number counts or measures, where it has a unit */
  readonly unit?: string;
  readonly default: V;
  /** the range of a number setting */
  readonly spec?: NumberSpec;
  /** the choices of a choice setting */
  readonly choices?: readonly string[];
  /** a hyper map can vary it: the axis's name, its range, and whether cells differing only in it train in one session */
  readonly axis?: { readonly name: string; readonly perParticle: boolean; readonly spec?: (ctx: SettingContext) => NumberSpec };
  /** why a run of this config never reads the setting (momentum under Adam); undefined when it does */
  readonly unread?: (config: RunConfig) => string | undefined;
  /** text (a flag's value, a form field, a hash parameter) → value; throws one line naming the field and its range */
  readonly parse: (text: string, style: NameStyle, ctx: SettingContext) => V;
  /** value → the text parse reads back (the form's and the hash's spelling) */
  readonly format: (value: V) => string;
  /** commander's value → value, where the flag is spelt unlike the form (repeatable pairs, --no-X) */
  readonly fromFlag?: (value: FlagValue, ctx: SettingContext) => V;
  /** value → the flags that give it, where the flag is spelt unlike the form */
  readonly toFlags?: (value: V) => string[];
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

// up to 10⁶: the mean-field rates of a wide readout (gain 1/fan_in²) run to the thousands
const LR_SCALE: NumberSpec = { flag: '--lr-layer', label: 'layer learning-rate multiplier', integer: false, min: 0, max: 1e6 };

/**
 * `--lr-layer K=MULT` pairs (K a layer index from 0) → one multiplier per layer of a network with
 * `layers` layers, 1 where none is given. Throws a one-line UserError naming the flag and its range.
 */
export function parseLrScales(pairs: readonly string[], layers: number, style: NameStyle = 'flag'): number[] {
  const name = fieldName(LR_SCALE, style);
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
    const spec = { ...LR_SCALE, flag: `${name} ${k}=`, label: `${name} ${k}=` };
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
  const name = fieldName(LR_SCALE, style);
  if (parts.length > layers) {
    throw new UserError(
      `${name}s: the network has ${layers} layer${layers === 1 ? '' : 's'}, got ${parts.length} multipliers in ${quote(text)}`,
    );
  }
  return parts.map((p, k) => parseNumber({ ...LR_SCALE, label: `${name} of layer ${k}` }, p, style));
}

type NumberInit = Omit<Setting<number>, 'kind' | 'spec' | 'parse' | 'format' | 'arg'> & {
  readonly arg?: `<${string}>`;
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
};

/** A number in a range: its spec names it by flag and label. (F keeps the flag's spelling in the type, for the CLI's.) */
function numberSetting<const F extends `--${string}`, const H extends string>({
  integer,
  min,
  max,
  minExclusive,
  maxExclusive,
  ...s
}: NumberInit & { readonly flag: F; readonly hash?: H }): Setting<number> & {
  readonly flag: F;
  readonly hash: H;
  readonly arg: `<${string}>`;
  readonly spec: NumberSpec;
} {
  const spec: NumberSpec = { flag: s.flag, label: s.label, integer, min, max, minExclusive, maxExclusive };
  return {
    kind: 'number',
    arg: integer ? '<n>' : '<number>',
    ...s,
    spec,
    parse: (text, style) => parseNumber(spec, text, style),
    format: String,
  } as Setting<number> & { readonly flag: F; readonly hash: H; readonly arg: `<${string}>`; readonly spec: NumberSpec };
}

/** One of a list of names. */
function choiceSetting<T extends string, const F extends `--${string}`, const H extends string>(
  s: Omit<Setting<T>, 'kind' | 'parse' | 'format' | 'choices' | 'arg'> & {
    readonly choices: readonly T[];
    readonly flag: F;
    readonly hash: H;
  },
): Setting<T> & { readonly flag: F; readonly hash: H; readonly arg: `<${string}>` } {
  return {
    kind: 'choice',
    arg: '<name>',
    ...s,
    parse: (text, style) => parseChoice(fieldName(s, style), s.choices, text),
    format: String,
  };
}

const onOff = (on: boolean): string => (on ? '1' : '0');

/** The form's and the hash's spelling of on and off. */
export function parseOnOff(name: string, raw: string): boolean {
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new UserError(`${name} must be 0 or 1, got "${raw}"`);
}

const unreadUnless = (label: string, readBy: (o: OptimizerName) => boolean, give: string) => (config: RunConfig) =>
  readBy(config.optimizer) ? undefined : `the optimizer is ${config.optimizer}, which reads no ${label}; give ${give}`;

/** Every run setting, in the order the command line's --help and the sandbox's form show them. */
export const RUN_SETTINGS = {
  hidden: {
    kind: 'list',
    flag: '--hidden',
    arg: '<widths>',
    hash: 'hidden',
    label: 'hidden widths',
    help: 'hidden layer widths, comma-separated, e.g. 16,16 (default {default})',
    hint: 'comma-separated, e.g. 16,16; empty for none',
    unit: 'units per layer',
    default: [16],
    parse: (text, style) => parseHidden(text, style),
    format: (widths) => widths.join(','),
  },
  activation: choiceSetting({
    flag: '--act',
    hash: 'act',
    label: 'activation',
    help: 'activation: {choices} (default {default})',
    choices: ACTIVATIONS,
    default: 'tanh',
  }),
  bias: {
    kind: 'switch',
    flag: '--no-bias',
    hash: 'bias',
    label: 'biases',
    help: 'layers without bias parameters (weights only; PyTorch nn.Linear(bias=False))',
    hint: 'untick for layers without bias parameters (weights only)',
    default: true,
    parse: (text, style) => parseOnOff(style === 'flag' ? '--no-bias' : 'biases', text),
    format: onOff,
    // commander's negated flag: false when given, true otherwise
    fromFlag: (value) => value !== false,
    toFlags: (bias) => (bias ? [] : ['--no-bias']),
  },
  optimizer: choiceSetting({
    flag: '--opt',
    hash: 'opt',
    label: 'optimizer',
    help: 'optimizer: {choices} (default {default}; task presets may differ)',
    choices: OPTIMIZERS,
    default: 'sgd',
  }),
  lr: numberSetting({
    flag: '--lr',
    hash: 'lr',
    label: 'learning rate',
    help: 'learning rate, {range} (default {default})',
    default: 0.5,
    integer: false,
    min: 0,
    max: 1000,
    minExclusive: true,
    axis: { name: 'lr', perParticle: true },
  }),
  lrScale: {
    kind: 'list',
    flag: '--lr-layer',
    arg: '<K=MULT>',
    repeatable: true,
    hash: 'lrs',
    label: LR_SCALE.label,
    formLabel: 'layer lr multipliers',
    help: `multiply the learning rate of layer K (from 0) by MULT, ${describeRange(LR_SCALE)} (repeatable; default 1 for every layer)`,
    hint: 'comma-separated, layer 0 first; empty: every layer at the base rate',
    default: [],
    spec: LR_SCALE,
    // one axis per layer, lr:K (hypermapAxes.ts reads K)
    axis: { name: 'lr:K', perParticle: true },
    parse: (text, style, ctx) => parseLrScaleList(text, ctx.layers, style),
    format: (scales) => scales.join(','),
    // one multiplier per layer, recorded in full in the results
    fromFlag: (value, ctx) =>
      parseLrScales(typeof value === 'string' ? [value] : value === true || value === false ? [] : value, ctx.layers),
    toFlags: (scales) => scales.flatMap((s, k) => (s !== 1 ? ['--lr-layer', `${k}=${s}`] : [])),
  },
  momentum: numberSetting({
    flag: '--momentum',
    hash: 'momentum',
    label: 'momentum',
    help: 'momentum coefficient for --opt momentum, {range} (default {default})',
    default: 0.9,
    integer: false,
    min: 0,
    max: 1,
    maxExclusive: true,
    axis: { name: 'momentum', perParticle: true },
    unread: unreadUnless('momentum', (o) => o === 'momentum', '--opt momentum'),
  }),
  beta1: numberSetting({
    flag: '--beta1',
    hash: 'beta1',
    label: 'Adam β₁',
    help: "Adam's β₁ for --opt adam and adamw, {range} (default {default})",
    default: 0.9,
    integer: false,
    min: 0,
    max: 1,
    maxExclusive: true,
    unread: unreadUnless('Adam β₁', isAdam, '--opt adam or adamw'),
  }),
  beta2: numberSetting({
    flag: '--beta2',
    hash: 'beta2',
    label: 'Adam β₂',
    help: "Adam's β₂ for --opt adam and adamw, {range} (default {default})",
    default: 0.999,
    integer: false,
    min: 0,
    max: 1,
    maxExclusive: true,
    unread: unreadUnless('Adam β₂', isAdam, '--opt adam or adamw'),
  }),
  batch: {
    kind: 'batch',
    flag: '--batch',
    arg: '<n|full>',
    hash: 'batch',
    label: 'batch',
    help: 'minibatch size, drawn with replacement, or "full" (default {default})',
    hint: 'examples per step, or "full"',
    unit: 'examples',
    default: 16,
    axis: {
      name: 'batch',
      perParticle: false,
      spec: (ctx) => ({ flag: '--batch', label: 'batch', integer: true, min: 1, max: ctx.trainRows }),
    },
    parse: (text, style, ctx) => parseBatch(text, ctx.trainRows, style),
    format: String,
  },
  steps: numberSetting({
    flag: '--steps',
    hash: 'steps',
    label: 'steps',
    help: 'optimizer steps per particle, {range} (default {default})',
    unit: 'optimizer steps',
    default: 1000,
    integer: true,
    min: 1,
    max: 1_000_000,
    axis: { name: 'steps', perParticle: false },
  }),
  weightDecay: numberSetting({
    flag: '--wd',
    hash: 'wd',
    label: 'weight decay',
    help: 'weight decay, {range}: L2 added to the gradient, decoupled for adamw (default {default})',
    default: 0,
    integer: false,
    min: 0,
    max: 100,
    axis: { name: 'wd', perParticle: true },
  }),
  initScale: numberSetting({
    flag: '--init-scale',
    hash: 'init',
    label: 'init scale',
    help: "multiplier on PyTorch's default init, {range} (default {default})",
    hint: 'times the init distribution',
    default: 1,
    integer: false,
    min: 0,
    max: 100,
    minExclusive: true,
    axis: { name: 'init-scale', perParticle: true },
  }),
  initDist: choiceSetting({
    flag: '--init-dist',
    hash: 'dist',
    label: 'init distribution',
    help: 'init distribution: {choices} (default: uniform ±1/√fan_in as PyTorch; gaussian: N(0, 1/fan_in) weights, N(0, 1) biases; presets may differ)',
    hint: "default: PyTorch's uniform ±1/√fan_in; gaussian: N(0, 1/fan_in) weights, N(0, 1) biases; meanfield: Sohl-Dickstein's mean-field parameterization (rates are mean-field rates)",
    choices: INIT_DISTS,
    default: 'default',
  }),
  particles: numberSetting({
    flag: '--particles',
    hash: 'particles',
    label: 'particles',
    help: 'particles (independent training runs), {range} (default {default})',
    default: 1024,
    integer: true,
    min: 1,
    max: MAX_PARTICLES,
  }),
  seed: numberSetting({
    flag: '--seed',
    hash: 'seed',
    label: 'init seed',
    help: 'init seed, {range} (default {default})',
    default: 1,
    integer: true,
    min: 0,
    max: MAX_SEED,
  }),
  noiseSeed: numberSetting({
    flag: '--noise-seed',
    hash: 'noise',
    label: 'noise seed',
    help: 'noise (minibatch) seed, {range} (default {default})',
    default: 2,
    integer: true,
    min: 0,
    max: MAX_SEED,
  }),
  firstParticle: numberSetting({
    flag: '--first-particle',
    arg: '<k>',
    hash: 'first',
    label: 'first particle',
    help: 'global index of the first particle, {range}, to split a sweep across machines (default {default})',
    default: 0,
    integer: true,
    min: 0,
    max: MAX_SEED,
  }),
  trainThreshold: numberSetting({
    flag: '--train-threshold',
    arg: '<number>',
    hash: 'tt',
    label: 'train accuracy threshold',
    help: 'training accuracy below which a particle is "unconverged", {range} (default {default})',
    default: DEFAULT_THRESHOLDS.train,
    integer: false,
    min: 0,
    max: 1,
    minExclusive: true,
  }),
  probeThreshold: numberSetting({
    flag: '--probe-threshold',
    arg: '<number>',
    hash: 'tp',
    label: 'probe accuracy threshold',
    help: 'probe accuracy a hypothesis needs to win, {range} (default {default})',
    default: DEFAULT_THRESHOLDS.probe,
    integer: false,
    min: 0,
    max: 1,
    minExclusive: true,
  }),
} as const satisfies { readonly [K in SettingKey]: Setting<SettingValues[K]> };

/**
 * Settings of a command beside its run: the plane that grid and basin map (the sandbox's map has
 * the same three), and train's recording. Described as the run's are, in a table of their own:
 * they are no part of RunConfig.
 */
export const COMMAND_SETTINGS = {
  res: numberSetting({
    flag: '--res',
    hash: 'res',
    label: 'grid resolution',
    help: 'grid points per side, {range} (default {default})',
    hint: 'grid points per side (res² basin particles)',
    unit: 'points per side',
    default: 64,
    integer: true,
    min: 2,
    max: 1024,
  }),
  span: numberSetting({
    flag: '--span',
    hash: 'span',
    label: 'span',
    help: 'coordinates run from -span to span along both directions, {range} (default {default})',
    hint: 'the map shows α, β in ±span around its centre',
    default: 1,
    integer: false,
    min: 0,
    max: 1000,
    minExclusive: true,
  }),
  planeSeed: numberSetting({
    flag: '--plane-seed',
    hash: 'pseed',
    label: 'plane seed',
    // the sandbox starts from 0; the command line from the run's own seed
    help: 'seed of the random directions, {range} (default: the init seed)',
    default: 0,
    integer: true,
    min: 0,
    max: MAX_SEED,
  }),
  recordEvery: numberSetting({
    flag: '--record-every',
    arg: '<k>',
    label: 'record every',
    help: "record every particle's metrics every k steps, {range}: curves and the step each set reached the probe threshold",
    unit: 'optimizer steps',
    default: 0,
    integer: true,
    min: 1,
    max: 1_000_000,
  }),
} as const satisfies Record<string, Setting<number>>;

export const SETTING_KEYS = Object.keys(RUN_SETTINGS) as SettingKey[];

/** Any setting of the table, its value type erased. */
export type AnySetting = Setting<SettingValues[SettingKey]>;

export const setting = (key: SettingKey): AnySetting => RUN_SETTINGS[key] as AnySetting;

/** A setting's value in a config. */
export function settingOf<K extends SettingKey>(config: RunConfig, key: K): SettingValues[K] {
  if (key === 'trainThreshold') return config.thresholds.train as SettingValues[K];
  if (key === 'probeThreshold') return config.thresholds.probe as SettingValues[K];
  return config[key as Exclude<SettingKey, 'trainThreshold' | 'probeThreshold'>] as SettingValues[K];
}

/** `config` with one setting changed. */
export function withSetting<K extends SettingKey>(config: RunConfig, key: K, value: SettingValues[K]): RunConfig {
  if (key === 'trainThreshold') return { ...config, thresholds: { ...config.thresholds, train: value as number } };
  if (key === 'probeThreshold') return { ...config, thresholds: { ...config.thresholds, probe: value as number } };
  return { ...config, [key]: value };
}

/** The default of every setting, in the table's order. */
export function settingDefaults(): SettingValues {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, RUN_SETTINGS[k].default])) as unknown as SettingValues;
}

/** A setting's --help line: its text with the range, the choices and the default filled in. */
export function settingHelp(s: {
  help: string;
  spec?: NumberSpec;
  choices?: readonly string[];
  default: unknown;
  format?: (v: never) => string;
}): string {
  const fmt = s.format as ((v: unknown) => string) | undefined;
  return s.help
    .replace('{range}', s.spec ? describeRange(s.spec) : '')
    .replace('{choices}', (s.choices ?? []).join(', '))
    .replace('{default}', fmt ? fmt(s.default) : String(s.default));
}

/** The flags that give `value` of this setting. */
export function settingFlags(s: AnySetting, value: SettingValues[SettingKey]): string[] {
  return s.toFlags ? (s.toFlags as (v: unknown) => string[])(value) : [s.flag, (s.format as (v: unknown) => string)(value)];
}
