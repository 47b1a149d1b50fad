import { DEFAULT_CONFIG, type RunConfig } from '../../core/config';
import { isUserError } from '../../core/errors';
import { findPreset } from '../../core/tasks/index';
import type { PlaneSettings, RunSettings } from '../../worker/protocol';
import {
  DEFAULT_TASK,
  DEFAULT_VIEW,
  emptyDraft,
  fieldsFor,
  put,
  type DefaultContext,
  type Draft,
  type EngineKind,
  type Field,
  type FieldContext,
  type ViewOptions,
} from './fields';
import type { FormValues } from './formValues';
import { presetShape, type TaskShape } from './taskShape';

export type { FormValues };

export interface ParsedForm {
  /** present only when every field is valid: nothing runs on a bad value */
  readonly settings?: RunSettings;
  /** always present: an invalid view field shows its default */
  readonly view: ViewOptions;
  /** one-line message per invalid field, by hash key */
  readonly errors: Readonly<Record<string, string>>;
}

function tryParse(f: Field, raw: string, ctx: FieldContext): { value: unknown } | { error: string } {
  try {
    return { value: f.parse(raw, ctx) };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { error: e.message };
  }
}

/**
 * Checks every field in table order with core's parsers, so a message names the field as the
 * form shows it and gives its allowed range. `shape` is undefined when the task is not loaded.
 */
export function parseForm(values: FormValues, shape: TaskShape | undefined): ParsedForm {
  const task = values.task ?? '';
  const ctx: FieldContext = { task, preset: findPreset(task), shape, parsed: emptyDraft() };
  const errors: Record<string, string> = {};
  for (const [key, f] of fieldsFor(task)) {
    const r = tryParse(f, values[key] ?? '', ctx);
    if ('error' in r) errors[key] = r.error;
    else put(ctx.parsed, f, r.value);
  }
  const view = { ...DEFAULT_VIEW, ...ctx.parsed.view };
  if (Object.keys(errors).length > 0 || !shape) return { view, errors };
  return { settings: settingsOf(ctx.parsed), view, errors };
}

function settingsOf(draft: Draft): RunSettings {
  const all: Record<string, unknown> = { ...draft.config, knobs: draft.knobs, thresholds: draft.thresholds };
  // in DEFAULT_CONFIG's order, as every other run config is written
  // (a setting the form has no field for keeps its default)
  const defaults = DEFAULT_CONFIG as unknown as Record<string, unknown>;
  const config = Object.fromEntries(Object.keys(DEFAULT_CONFIG).map((k) => [k, all[k] ?? defaults[k]])) as unknown as RunConfig;
  return { config, plane: draft.plane as PlaneSettings, sharedInit: draft.run.sharedInit! };
}

export interface Replaced {
  readonly key: string;
  /** why the given text was refused */
  readonly message: string;
  /** the default used instead */
  readonly value: string;
}

/**
 * The form for the given text, each field that is missing or invalid replaced by its default for
 * the task and the fields above it: the result is valid whenever the task is a preset. Returns
 * what was given but refused, with the field's message.
 */
export function settle(given: FormValues, kind: EngineKind): { values: FormValues; replaced: Replaced[] } {
  const task = given.task ?? DEFAULT_TASK;
  const values: FormValues = {};
  const replaced: Replaced[] = [];
  let ctx: DefaultContext = { kind, task, preset: findPreset(task), shape: undefined, parsed: emptyDraft() };
  for (const [key, f] of fieldsFor(task)) {
    // past the task and its knobs, which are settled by now: the preset's shape follows from them
    if (key !== 'task' && f.in !== 'knobs' && !ctx.shape) ctx = { ...ctx, shape: presetShape(values) };
    const raw = given[key];
    const r = raw === undefined ? undefined : tryParse(f, raw, ctx);
    if (r && 'value' in r) {
      values[key] = raw!;
      put(ctx.parsed, f, r.value);
      continue;
    }
    values[key] = f.initial(ctx);
    if (r) replaced.push({ key, message: r.error, value: values[key] });
    const d = tryParse(f, values[key], ctx);
    if ('value' in d) put(ctx.parsed, f, d.value);
  }
  return { values, replaced };
}

/** Every field's default for this engine and task (a preset's own settings included). */
export function defaultValues(kind: EngineKind, task = DEFAULT_TASK): FormValues {
  return settle({ task }, kind).values;
}

/** What choosing a preset changes: its knobs' defaults and its own training settings (e.g. corridor trains with Adam). */
export function presetValues(kind: EngineKind, task: string): FormValues {
  const preset = findPreset(task);
  const all = defaultValues(kind, task);
  const configKey = (f: Field): string | undefined => (f.in === 'config' ? f.as : f.in === 'thresholds' ? f.in : undefined);
  const own = fieldsFor(task).filter(([, f]) => f.in === 'knobs' || (preset && (configKey(f) ?? '') in preset.defaults));
  return Object.fromEntries(own.map(([key]) => [key, all[key]]));
}
