import type { Thresholds } from '../../core/classify';
import { checkConfig, DEFAULT_CONFIG, NUMBER_FIELDS, parseNumber, type NumberSpec, type RunConfig } from '../../core/config';
import { UserError } from '../../core/errors';
import {
  COMMAND_SETTINGS,
  parseOnOff,
  RUN_SETTINGS,
  setting,
  SETTING_KEYS,
  type SettingContext,
  type SettingKey,
} from '../../core/runSettings';
import { findPreset, PRESETS, type KnobSpec, type Preset } from '../../core/tasks/index';
import type { PlaneSettings, PointRef } from '../../worker/protocol';
import { KNOB_PREFIX, knobKey, type KnobKey } from './formValues';
import type { TaskShape } from './taskShape';

/**
 * The sandbox's settings, one entry per field: its key in the URL hash (and in the form), its
 * label, its default, how its text is checked and where its value goes in the run settings.
 * The form, the hash and the run config are all derived from this table, and its run settings
 * (key, label, hint, choices, check) from core's settings table (src/core/runSettings.ts): here
 * only what the sandbox does its own way (smaller limits, checks across fields, its defaults).
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

const choices = (values: readonly string[]): Option[] => values.map((value) => ({ value, label: value }));

/** What a setting's check reads of the form: the task's size, and the layers the hidden widths above it make. */
const settingContext = (ctx: FieldContext): SettingContext => ({
  trainRows: ctx.shape?.trainRows ?? Number.MAX_SAFE_INTEGER,
  layers: (ctx.parsed.config.hidden?.length ?? 0) + 1,
});

/** Where a setting's value goes: the thresholds into their section, the rest into the run config. */
const placeOf = (key: SettingKey) =>
  key === 'trainThreshold'
    ? ({ in: 'thresholds', as: 'train' } as const)
    : key === 'probeThreshold'
      ? ({ in: 'thresholds', as: 'probe' } as const)
      : ({ in: 'config', as: key } as const);

/** The default the sandbox starts a setting from: the preset's, the engine's size, or the table's. */
function configuredSetting(ctx: DefaultContext, key: SettingKey): unknown {
  const thresholds = configured(ctx, 'thresholds');
  if (key === 'trainThreshold') return thresholds.train;
  if (key === 'probeThreshold') return thresholds.probe;
  return configured(ctx, key);
}

type Overrides = Partial<Pick<Field, 'parse' | 'initial'>>;

/** A run setting's field, from the settings table: named, hinted, offered and checked as core describes it. */
function settingField(key: SettingKey, over: Overrides = {}): Field {
  const s = setting(key);
  const format = s.format as (value: unknown) => string;
  return {
    ...placeOf(key),
    label: s.formLabel ?? s.label,
    ...(s.hint !== undefined ? { hint: s.hint } : {}),
    ...(s.kind === 'choice' ? { options: choices(s.choices!) } : {}),
    initial: (ctx: DefaultContext) => format(configuredSetting(ctx, key)),
    parse: (raw: string, ctx: FieldContext) => s.parse(raw, 'label', settingContext(ctx)),
    ...over,
  } as Field;
}

type HashOf<K extends SettingKey> = (typeof RUN_SETTINGS)[K]['hash'];

/** What the sandbox does its own way, by setting: checks across fields, smaller limits, its defaults. */
const SANDBOX_OVERRIDES: Partial<Record<SettingKey, Overrides>> = {
  hidden: {
    parse: (raw, ctx) => {
      const hidden = RUN_SETTINGS.hidden.parse(raw, 'label');
      // the weights alone must fit here; the biases field, below, counts its own parameters
      if (ctx.shape) checkModelSize(hidden, ctx.shape, false);
      return hidden;
    },
  },
  bias: {
    parse: (raw, ctx) => {
      const bias = parseOnOff('biases', raw);
      const hidden = ctx.parsed.config.hidden;
      if (bias && hidden && ctx.shape) checkModelSize(hidden, ctx.shape, true);
      return bias;
    },
  },
  batch: {
    // the usual minibatch, unless the task has fewer examples: then the full batch
    initial: (ctx) => {
      const batch = configured(ctx, 'batch');
      return batch !== 'full' && ctx.shape && batch > ctx.shape.trainRows ? 'full' : String(batch);
    },
  },
  particles: { parse: (raw) => parseNumber(UI_LIMITS.particles, raw, 'label') },
  firstParticle: {
    parse: (raw, ctx) => {
      const first = parseNumber(NUMBER_FIELDS.firstParticle, raw, 'label');
      if (ctx.parsed.config.particles !== undefined) checkParticleRange(first, ctx.parsed.config.particles);
      return first;
    },
  },
};

/** Every run setting's field, by its hash key, in the table's order. */
const SETTING_FIELDS = Object.fromEntries(SETTING_KEYS.map((key) => [setting(key).hash!, settingField(key, SANDBOX_OVERRIDES[key])])) as {
  readonly [K in SettingKey as HashOf<K>]: Field;
};

function numberIn<S extends 'plane' | 'thresholds', N extends keyof Sections[S]>(
  section: S,
  as: N,
  spec: NumberSpec,
  initial: (ctx: DefaultContext) => string,
): FieldSpec<S, N> {
  return { in: section, as, label: spec.label, initial, parse: (raw) => parseNumber(spec, raw, 'label') as Sections[S][N] };
}

const flag = (on: boolean): string => (on ? '1' : '0');

const parseFlag = parseOnOff;

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

const { tt, tp, ...trained } = SETTING_FIELDS;

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
  // the run settings up to the particles' range, from core's table
  ...trained,
  shared: field({
    in: 'run',
    as: 'sharedInit',
    label: 'one init for all (vary only the noise)',
    initial: () => flag(false),
    parse: (raw) => parseFlag('shared init', raw),
  }),
  tt,
  tp,
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
  pseed: numberIn('plane', 'seed', COMMAND_SETTINGS.planeSeed.spec, () => String(COMMAND_SETTINGS.planeSeed.default)),
  span: {
    ...numberIn('plane', 'span', COMMAND_SETTINGS.span.spec, () => String(COMMAND_SETTINGS.span.default)),
    hint: COMMAND_SETTINGS.span.hint,
  },
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
    hint: COMMAND_SETTINGS.res.hint,
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
