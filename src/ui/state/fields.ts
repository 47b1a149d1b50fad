import type { Thresholds } from '../../core/classify';
import {
  checkConfig,
  DEFAULT_CONFIG,
  NUMBER_FIELDS,
  parseActivation,
  parseBatch,
  parseHidden,
  parseInitDist,
  parseLrScaleList,
  parseNumber,
  parseOptimizer,
  type NumberSpec,
  type RunConfig,
} from '../../core/config';
import { UserError } from '../../core/errors';
import { INIT_DISTS } from '../../core/init';
import { ACTIVATIONS, OPTIMIZERS } from '../../core/layout';
import { findPreset, PRESETS, type KnobSpec, type Preset } from '../../core/tasks/index';
import type { PlaneSettings, PointRef } from '../../worker/protocol';
import { KNOB_PREFIX, knobKey, type KnobKey } from './formValues';
import type { TaskShape } from './taskShape';

/**
 * The sandbox's settings, one entry per field: its key in the URL hash (and in the form), its
 * label, its default, how its text is checked and where its value goes in the run settings.
 * The form, the hash and the run config are all derived from this table.
 *
 * Order matters: a field's check and default may depend on the task and on the fields above it
 * (batch on the task's size, the plane's points on the particle count), never on one below, so
 * one pass in table order settles every field, and a default is valid wherever it is used.
 */

export type EngineKind = 'gpu' | 'cpu';

export interface ViewOptions {
  readonly view: 'loss' | 'basin';
  readonly log: boolean;
  readonly trails: boolean;
}

/** How results are shown when nothing says otherwise (or a link's view setting is invalid). */
export const DEFAULT_VIEW: ViewOptions = { view: 'basin', log: true, trails: true };

/** Where a field's value goes: a section of the run settings (or the view), by name. */
export interface Sections {
  readonly config: Omit<RunConfig, 'knobs' | 'thresholds'>;
  readonly knobs: Readonly<Record<string, number>>;
  readonly thresholds: Thresholds;
  readonly plane: PlaneSettings;
  readonly run: { readonly sharedInit: boolean };
  readonly view: ViewOptions;
}
export type Section = keyof Sections;

/** The values parsed so far, by section. */
export type Draft = { [S in Section]: { -readonly [N in keyof Sections[S]]?: Sections[S][N] } };

export interface FieldContext {
  /** the task the form names: a preset's name or a task file's id */
  readonly task: string;
  readonly preset: Preset | undefined;
  /** undefined while the task file is not loaded or one of the preset's knobs is invalid */
  readonly shape: TaskShape | undefined;
  /** the values of the fields above this one that parsed */
  readonly parsed: Draft;
}

export interface DefaultContext extends FieldContext {
  readonly kind: EngineKind;
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export interface FieldSpec<S extends Section, N extends keyof Sections[S]> {
  readonly in: S;
  readonly as: N;
  /** the form's label */
  readonly label: string;
  readonly hint?: string;
  /** the choices, for a field shown as a select */
  readonly options?: readonly Option[];
  /** the form's text when nothing else is given: valid in the context it is given */
  readonly initial: (ctx: DefaultContext) => string;
  /** form text → value; throws a one-line UserError naming the field and its allowed range */
  readonly parse: (raw: string, ctx: FieldContext) => Sections[S][N];
}

/** Any field, its value type erased. */
export type Field = { [S in Section]: FieldSpec<S, keyof Sections[S]> }[Section];

const field = <S extends Section, N extends keyof Sections[S]>(spec: FieldSpec<S, N>): FieldSpec<S, N> => spec;

export const DEFAULT_TASK = PRESETS[0].name;

/** Sizes that show something within seconds: a laptop GPU, or the CPU engine when WebGPU is missing. */
export const SIZES = {
  gpu: { particles: 1024, steps: 1000, res: 64 },
  cpu: { particles: 128, steps: 400, res: 16 },
} as const satisfies Record<EngineKind, { particles: number; steps: number; res: number }>;

/** The sandbox offers fewer particles and a coarser grid than the CLI: it must stay interactive. */
export const UI_LIMITS = {
  particles: { ...NUMBER_FIELDS.particles, max: 65_536 } satisfies NumberSpec,
  res: { ...NUMBER_FIELDS.res, max: 256 } satisfies NumberSpec,
};

const offsetSpec: NumberSpec = { flag: '--offset', label: 'plane offset', integer: false, min: -1000, max: 1000 };

/**
 * The preset's own setting for a run-config field (e.g. corridor trains with Adam), else the
 * engine's size (particles, steps), else DEFAULT_CONFIG's.
 */
function configured<N extends keyof RunConfig>(ctx: DefaultContext, as: N): RunConfig[N] {
  const sized: Partial<RunConfig> = { particles: SIZES[ctx.kind].particles, steps: SIZES[ctx.kind].steps };
  return ctx.preset?.defaults[as] ?? sized[as] ?? DEFAULT_CONFIG[as];
}

type NumberKey = { [N in keyof Sections['config']]: Sections['config'][N] extends number ? N : never }[keyof Sections['config']];

/** A number of the run config, checked by core's spec for it and named as the form shows it. */
function configNumber<N extends NumberKey>(as: N, spec: NumberSpec, extra: Partial<FieldSpec<'config', N>> = {}): FieldSpec<'config', N> {
  return field<'config', N>({
    in: 'config',
    as,
    label: spec.label,
    initial: (ctx) => String(configured(ctx, as)),
    parse: (raw) => parseNumber(spec, raw, 'label') as Sections['config'][N],
    ...extra,
  });
}

function numberIn<S extends 'plane' | 'thresholds', N extends keyof Sections[S]>(
  section: S,
  as: N,
  spec: NumberSpec,
  initial: (ctx: DefaultContext) => string,
): FieldSpec<S, N> {
  return { in: section, as, label: spec.label, initial, parse: (raw) => parseNumber(spec, raw, 'label') as Sections[S][N] };
}

const flag = (on: boolean): string => (on ? '1' : '0');

function parseFlag(name: string, raw: string): boolean {
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new UserError(`${name} must be 0 or 1, got "${raw}"`);
}

/** "init:3" or "final:3", with the particle inside the ensemble. */
export function parseRef(raw: string, particles: number | undefined, name: string): PointRef {
  const m = /^(init|final):(\d+)$/.exec(raw.trim());
  const particle = m ? Number(m[2]) : NaN;
  if (!m || (particles !== undefined && particle >= particles)) {
    const top = particles === undefined ? 'the last particle' : String(particles - 1);
    throw new UserError(`${name} must be init:N or final:N with N a particle from 0 to ${top}, got "${raw}"`);
  }
  return { kind: m[1] as PointRef['kind'], particle };
}

function parsePair(raw: string, name: string): [number, number] {
  const parts = raw.split(',');
  if (parts.length !== 2) throw new UserError(`${name} must be two numbers "α,β", got "${raw}"`);
  return [parseNumber({ ...offsetSpec, label: name }, parts[0], 'label'), parseNumber({ ...offsetSpec, label: name }, parts[1], 'label')];
}

// core's cross-field check, asked one question at a time so that its message lands on the field it names
function checkModelSize(hidden: number[], shape: TaskShape, bias: boolean): void {
  checkConfig({ ...DEFAULT_CONFIG, hidden, bias, firstParticle: 0, particles: 1 }, shape.inputs, shape.outputs, 'label');
}
function checkParticleRange(firstParticle: number, particles: number): void {
  checkConfig({ ...DEFAULT_CONFIG, hidden: [], firstParticle, particles }, 1, 1, 'label');
}

const choices = (values: readonly string[]): Option[] => values.map((value) => ({ value, label: value }));

export const FIELDS = {
  task: field({
    in: 'config',
    as: 'task',
    label: 'task',
    initial: (ctx) => ctx.task,
    parse: (raw, ctx) => {
      if (!findPreset(raw) && !ctx.shape) throw new UserError(`task "${raw}" is not loaded: choose a preset or drop the task file again`);
      return raw;
    },
  }),
  hidden: field({
    in: 'config',
    as: 'hidden',
    label: 'hidden widths',
    hint: 'comma-separated, e.g. 16,16; empty for none',
    initial: (ctx) => configured(ctx, 'hidden').join(','),
    parse: (raw, ctx) => {
      const hidden = parseHidden(raw, 'label');
      // the weights alone must fit here; the biases field, below, counts its own parameters
      if (ctx.shape) checkModelSize(hidden, ctx.shape, false);
      return hidden;
    },
  }),
  act: field({
    in: 'config',
    as: 'activation',
    label: 'activation',
    options: choices(ACTIVATIONS),
    initial: (ctx) => configured(ctx, 'activation'),
    parse: (raw) => parseActivation(raw, 'label'),
  }),
  bias: field({
    in: 'config',
    as: 'bias',
    label: 'biases',
    hint: 'untick for layers without bias parameters (weights only)',
    initial: (ctx) => flag(configured(ctx, 'bias')),
    parse: (raw, ctx) => {
      const bias = parseFlag('biases', raw);
      const hidden = ctx.parsed.config.hidden;
      if (bias && hidden && ctx.shape) checkModelSize(hidden, ctx.shape, true);
      return bias;
    },
  }),
  opt: field({
    in: 'config',
    as: 'optimizer',
    label: 'optimizer',
    options: choices(OPTIMIZERS),
    initial: (ctx) => configured(ctx, 'optimizer'),
    parse: (raw) => parseOptimizer(raw, 'label'),
  }),
  lr: configNumber('lr', NUMBER_FIELDS.lr),
  lrs: field({
    in: 'config',
    as: 'lrScale',
    label: 'layer lr multipliers',
    hint: 'comma-separated, layer 0 first; empty: every layer at the base rate',
    initial: (ctx) => configured(ctx, 'lrScale').join(','),
    parse: (raw, ctx) => parseLrScaleList(raw, (ctx.parsed.config.hidden?.length ?? 0) + 1),
  }),
  momentum: configNumber('momentum', NUMBER_FIELDS.momentum),
  beta1: configNumber('beta1', NUMBER_FIELDS.beta1),
  beta2: configNumber('beta2', NUMBER_FIELDS.beta2),
  batch: field({
    in: 'config',
    as: 'batch',
    label: 'batch',
    hint: 'examples per step, or "full"',
    // the usual minibatch, unless the task has fewer examples: then the full batch
    initial: (ctx) => {
      const batch = configured(ctx, 'batch');
      return batch !== 'full' && ctx.shape && batch > ctx.shape.trainRows ? 'full' : String(batch);
    },
    parse: (raw, ctx) => parseBatch(raw, ctx.shape?.trainRows ?? Number.MAX_SAFE_INTEGER, 'label'),
  }),
  steps: configNumber('steps', NUMBER_FIELDS.steps),
  wd: configNumber('weightDecay', NUMBER_FIELDS.weightDecay),
  init: configNumber('initScale', NUMBER_FIELDS.initScale, { hint: 'times the init distribution' }),
  dist: field({
    in: 'config',
    as: 'initDist',
    label: 'init distribution',
    hint: "default: PyTorch's uniform ±1/√fan_in; gaussian: N(0, 1/fan_in) weights, N(0, 1) biases; meanfield: Sohl-Dickstein's mean-field parameterization (rates are mean-field rates)",
    options: choices(INIT_DISTS),
    initial: (ctx) => configured(ctx, 'initDist'),
    parse: (raw) => parseInitDist(raw, 'label'),
  }),
  particles: configNumber('particles', UI_LIMITS.particles),
  seed: configNumber('seed', NUMBER_FIELDS.seed),
  noise: configNumber('noiseSeed', NUMBER_FIELDS.noiseSeed),
  first: configNumber('firstParticle', NUMBER_FIELDS.firstParticle, {
    parse: (raw, ctx) => {
      const first = parseNumber(NUMBER_FIELDS.firstParticle, raw, 'label');
      if (ctx.parsed.config.particles !== undefined) checkParticleRange(first, ctx.parsed.config.particles);
      return first;
    },
  }),
  shared: field({
    in: 'run',
    as: 'sharedInit',
    label: 'one init for all (vary only the noise)',
    initial: () => flag(false),
    parse: (raw) => parseFlag('shared init', raw),
  }),
  tt: numberIn('thresholds', 'train', NUMBER_FIELDS.trainThreshold, (ctx) => String(configured(ctx, 'thresholds').train)),
  tp: numberIn('thresholds', 'probe', NUMBER_FIELDS.probeThreshold, (ctx) => String(configured(ctx, 'thresholds').probe)),
  plane: field({
    in: 'plane',
    as: 'mode',
    label: 'plane',
    options: [
      { value: 'random', label: 'random directions' },
      { value: 'through', label: 'through 3 points' },
    ],
    initial: () => 'random',
    parse: (raw) => {
      if (raw !== 'random' && raw !== 'through') throw new UserError(`plane must be random or through, got "${raw}"`);
      return raw;
    },
  }),
  center: field({
    in: 'plane',
    as: 'center',
    label: 'centre',
    hint: "init:N (particle N's init) or final:N (after training)",
    initial: () => 'init:0',
    parse: (raw, ctx) => parseRef(raw, ctx.parsed.config.particles, 'plane centre'),
  }),
  through: field({
    in: 'plane',
    as: 'through',
    label: 'points',
    hint: 'init:N or final:N, three of them, comma-separated',
    // the first three inits, as far as there are particles
    initial: (ctx) => [0, 1, 2].map((i) => `init:${Math.min(i, (ctx.parsed.config.particles ?? 3) - 1)}`).join(','),
    parse: (raw, ctx) => {
      const refs = raw.split(',');
      if (refs.length !== 3) throw new UserError(`plane points must be three points like init:0,init:1,final:2, got "${raw}"`);
      return refs.map((r) => parseRef(r, ctx.parsed.config.particles, 'plane points')) as unknown as PlaneSettings['through'];
    },
  }),
  pseed: numberIn('plane', 'seed', NUMBER_FIELDS.planeSeed, () => '0'),
  span: { ...numberIn('plane', 'span', NUMBER_FIELDS.span, () => '1'), hint: 'the map shows α, β in ±span around its centre' },
  off: field({
    in: 'plane',
    as: 'offset',
    label: 'map centre α,β',
    hint: 'shift the window along the plane',
    initial: () => '0,0',
    parse: (raw) => parsePair(raw, 'plane offset'),
  }),
  res: {
    ...numberIn('plane', 'res', UI_LIMITS.res, (ctx) => String(SIZES[ctx.kind].res)),
    hint: 'grid points per side (res² basin particles)',
  },
  view: field({
    in: 'view',
    as: 'view',
    label: 'view',
    options: [
      { value: 'basin', label: 'basin map' },
      { value: 'loss', label: 'loss map' },
    ],
    initial: () => DEFAULT_VIEW.view,
    parse: (raw) => {
      if (raw !== 'basin' && raw !== 'loss') throw new UserError(`view must be basin or loss, got "${raw}"`);
      return raw;
    },
  }),
  log: field({
    in: 'view',
    as: 'log',
    label: 'log scale',
    initial: () => flag(DEFAULT_VIEW.log),
    parse: (raw) => parseFlag('log scale', raw),
  }),
  trails: field({
    in: 'view',
    as: 'trails',
    label: 'trails',
    initial: () => flag(DEFAULT_VIEW.trails),
    parse: (raw) => parseFlag('trails', raw),
  }),
} as const satisfies Record<string, Field>;

export type FieldKey = keyof typeof FIELDS;
export const FIELD_KEYS = Object.keys(FIELDS) as FieldKey[];

export { KNOB_PREFIX, knobKey, type KnobKey };
export type FormKey = FieldKey | KnobKey;

function knobField(name: string, spec: KnobSpec): FieldSpec<'knobs', string> {
  return { in: 'knobs', as: name, label: spec.label, initial: () => String(spec.default), parse: (raw) => parseNumber(spec, raw, 'label') };
}

/** Every field of the form for this task, in table order (the preset's knobs after the task). */
export function fieldsFor(task: string): [FormKey, Field][] {
  const knobs = Object.entries(findPreset(task)?.knobs ?? {}).map(([name, spec]): [FormKey, Field] => [
    knobKey(name),
    knobField(name, spec),
  ]);
  const [first, ...rest] = Object.entries(FIELDS) as [FieldKey, Field][];
  return [first, ...knobs, ...rest];
}

/** The field behind a form key, knobs included; undefined for a knob the task does not have. */
export function fieldOf(task: string, key: FormKey): Field | undefined {
  if (key in FIELDS) return FIELDS[key as FieldKey];
  return fieldsFor(task).find(([k]) => k === key)?.[1];
}

export const emptyDraft = (): Draft => ({ config: {}, knobs: {}, thresholds: {}, plane: {}, run: {}, view: {} });

export function put(draft: Draft, f: Field, value: unknown): void {
  (draft[f.in] as Record<PropertyKey, unknown>)[f.as] = value;
}
