import { parseDecimal, parseNumber, type NumberSpec, type RunConfig } from '../../config';
import { setting, SETTING_KEYS, settingOf, withSetting } from '../../runSettings';
import { quote } from '../../describe';
import { UserError } from '../../errors';
import { findKnob, findPreset } from '../../tasks';

/**
 * A hyper map's axes: which setting an axis varies, over which range, on which scale. An axis is
 * typed as NAME:MIN:MAX[:log]; a value on it is applied to a RunConfig exactly as the matching
 * `train` flag would set it, so a cell is a `train` run with those two settings.
 */
export interface Axis {
  /** lr, init-scale, wd (also typed weight-decay), momentum, batch, steps, knob:NAME or lr:K */
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
  /** values are rounded to integers (batch, steps, integer knobs) */
  readonly integer: boolean;
}

/**
 * The settings a hyper map can vary, from the settings table's `axis` (a preset's knobs aside, as
 * knob:NAME): by axis name, and the per-layer ones (lr:K) by the prefix before their layer.
 */
const AXES = SETTING_KEYS.flatMap((key) => {
  const s = setting(key);
  return s.axis ? [{ key, setting: s, axis: s.axis }] : [];
});
type AxisEntry = (typeof AXES)[number];
const PLAIN_AXES = new Map(AXES.filter((a) => !a.axis.name.endsWith(':K')).map((a) => [a.axis.name, a]));
const LAYER_AXES = new Map(AXES.filter((a) => a.axis.name.endsWith(':K')).map((a) => [a.axis.name.slice(0, -1), a]));

/** The setting an axis name varies, and for a per-layer setting the layer; undefined for a knob or an unknown name. */
function axisEntry(name: string): { entry: AxisEntry; layer?: number } | undefined {
  const plain = PLAIN_AXES.get(name);
  if (plain) return { entry: plain };
  const at = name.indexOf(':');
  const layered = at > 0 ? LAYER_AXES.get(name.slice(0, at + 1)) : undefined;
  return layered ? { entry: layered, layer: Number(name.slice(at + 1)) } : undefined;
}

/** The axes named by a setting alone (lr, steps…), each the train flag of the same setting. */
export const PLAIN_AXIS_NAMES = [...PLAIN_AXES.keys()];
export const AXIS_NAMES = [...PLAIN_AXIS_NAMES, 'knob:NAME', ...[...LAYER_AXES.values()].map((a) => a.axis.name)] as const;

/** What an axis may be checked against: the run it varies. */
export interface AxisContext {
  readonly config: RunConfig;
  /** layers of the network (for lr:K) */
  readonly layers: number;
  /** training rows (the largest batch) */
  readonly trainRows: number;
}

/** The range a value of this axis must lie in, as a NumberSpec naming the flag. */
function axisSpec(flag: string, name: string, ctx: AxisContext): NumberSpec {
  const named = (spec: NumberSpec): NumberSpec => ({ ...spec, flag: `${flag} ${name}`, label: `${flag} ${name}` });
  const found = PLAIN_AXES.get(name);
  if (found) return named(specOf(found, ctx));
  if (name.startsWith('knob:')) {
    const preset = findPreset(ctx.config.task);
    if (!preset) throw new UserError(`${flag} ${quote(name)}: knobs belong to built-in tasks; ${quote(ctx.config.task)} is a task file`);
    const spec = findKnob(preset, name.slice(5));
    if (!spec)
      throw new UserError(`${flag} ${quote(name)}: ${preset.name} has no such knob; its knobs are ${Object.keys(preset.knobs).join(', ')}`);
    return named(spec);
  }
  const at = name.indexOf(':');
  const layered = at > 0 ? LAYER_AXES.get(name.slice(0, at + 1)) : undefined;
  if (layered) {
    const k = parseDecimal(name.slice(at + 1));
    if (!Number.isInteger(k) || k < 0 || k >= ctx.layers)
      throw new UserError(
        `${flag} ${quote(name)}: the layer must be an integer from 0 to ${ctx.layers - 1} (the network has ${ctx.layers} layers)`,
      );
    return named(specOf(layered, ctx));
  }
  throw new UserError(`${flag} axis must be one of ${AXIS_NAMES.join(', ')}, got ${quote(name)}`);
}

const specOf = (a: AxisEntry, ctx: AxisContext): NumberSpec => a.axis.spec?.(ctx) ?? a.setting.spec!;

/** "lr:0.01:10:log" → the axis, checked against the run; throws one line naming the flag. */
export function parseAxis(flag: string, text: string, ctx: AxisContext): Axis {
  const parts = text.trim().split(':');
  // knob:NAME and lr:K carry a colon of their own; lr:A:B:log is the plain lr on a log scale
  // LOG and Log are the log scale too: taken for a layer, lr:0.1:1:LOG would be a puzzling "layer 0.1"
  const isLog = (p: string | undefined) => p?.toLowerCase() === 'log';
  const layerLr = LAYER_AXES.has(`${parts[0]}:`) && (parts.length === 5 || (parts.length === 4 && !isLog(parts[3])));
  const nameParts = parts[0] === 'knob' || layerLr ? 2 : 1;
  // the spelling of --wd's axis, taken as the flag's
  const typed = parts.slice(0, nameParts).join(':');
  // lr:00 and lr:0 are one layer: one name, so both axes on it are refused as the same setting
  const name = typed === 'weight-decay' ? 'wd' : layerLr && /^\d+$/.test(parts[1]) ? `${parts[0]}:${Number(parts[1])}` : typed;
  const rest = parts.slice(nameParts);
  const log = rest.length === 3 && isLog(rest[2]);
  if (rest.length !== 2 && !log)
    throw new UserError(
      `${flag} must look like NAME:MIN:MAX or NAME:MIN:MAX:log (NAME one of ${AXIS_NAMES.join(', ')}), got ${quote(text)}`,
    );
  // a map along a setting the run never reads would be a map of noise
  const unread = axisEntry(name)?.entry.setting.unread?.(ctx.config);
  if (unread) throw new UserError(`${flag} ${name}: ${unread}`);
  const spec = axisSpec(flag, name, ctx);
  const min = parseNumber({ ...spec, label: `${flag} ${name} MIN` }, rest[0], 'label');
  const max = parseNumber({ ...spec, label: `${flag} ${name} MAX` }, rest[1], 'label');
  if (!(max > min)) throw new UserError(`${flag} ${name}: MAX must be above MIN, got ${rest[0]}:${rest[1]}`);
  if (log && min <= 0) throw new UserError(`${flag} ${name}: a log axis needs MIN > 0, got ${rest[0]}`);
  return { name, min, max, log, integer: spec.integer };
}

/**
 * The res values of the axis, from min to max inclusive (evenly spaced, or evenly in log space),
 * rounded to integers on an integer axis. res 1 gives min.
 */
export function axisValues(axis: Axis, res: number): number[] {
  const at = (t: number) =>
    axis.log ? Math.exp(Math.log(axis.min) + t * (Math.log(axis.max) - Math.log(axis.min))) : axis.min + t * (axis.max - axis.min);
  return Array.from({ length: res }, (_, i) => {
    // the ends exactly as typed: exp(log(x)) need not give x back
    const v = i === 0 ? axis.min : i === res - 1 ? axis.max : at(i / (res - 1));
    return axis.integer ? Math.round(v) : v;
  });
}

/** The settings an axis varies without changing the data or the loop: one session holds cells that differ only in these. */
export function isPerParticle(axis: Axis): boolean {
  return axisEntry(axis.name)?.entry.axis.perParticle ?? false;
}

/** `config` with the axis at `value`, as the matching `train` flag sets it (--lr, --init-scale, --wd, --momentum, --batch, --steps, --knob, --lr-layer). */
export function withAxis(config: RunConfig, axis: Axis, value: number): RunConfig {
  if (axis.name.startsWith('knob:')) return { ...config, knobs: { ...config.knobs, [axis.name.slice(5)]: value } };
  const { entry, layer } = axisEntry(axis.name)!;
  if (layer === undefined) return withSetting(config, entry.key, value as never);
  // one value per layer; layers past the end of the list take 1 (RunConfig.lrScale)
  const list = settingOf(config, entry.key) as number[];
  return withSetting(
    config,
    entry.key,
    Array.from({ length: Math.max(list.length, layer + 1) }, (_, l) => (l === layer ? value : (list[l] ?? 1))) as never,
  );
}

/** The `train` flag that sets this axis to `value`, for the JSON's re-run recipe. */
export function axisFlag(axis: Axis, value: number | string): string {
  if (axis.name.startsWith('knob:')) return `--knob ${axis.name.slice(5)}=${value}`;
  const { entry, layer } = axisEntry(axis.name)!;
  const flag = entry.setting.flag;
  return layer === undefined ? `${flag} ${value}` : `${flag} ${layer}=${value}`;
}
