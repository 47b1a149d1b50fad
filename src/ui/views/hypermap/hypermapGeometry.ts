import { axisFlag, type Axis } from '../../../core/instruments/hypermap/hypermapAxes';
import { cellConfig, type HypermapSettings } from '../../../core/instruments/hypermap/hypermapPlan';
import type { RunConfig } from '../../../core/config';
import { runFlags } from '../../../core/runFlags';
import { ticks } from '../../map/mapGeometry';

/**
 * Where things lie on the hyper map's canvas, as fractions of its width and height from the
 * top-left: pure, so the view and the tests compute cells, ticks and zoomed axes the same way.
 * Cell i of res holds the axis value at t = i / (res − 1) (axisValues), drawn across [i, i + 1) / res;
 * y grows upwards.
 */

/** The axis position t in [0, 1] (linear, or linear in log space) of a value. */
function positionOf(axis: Axis, v: number): number {
  return axis.log ? Math.log(v / axis.min) / Math.log(axis.max / axis.min) : (v - axis.min) / (axis.max - axis.min);
}

function valueAt(axis: Axis, t: number): number {
  return axis.log ? axis.min * (axis.max / axis.min) ** t : axis.min + t * (axis.max - axis.min);
}

/** The fraction of the map's width (x) or height from the bottom (y) where a value's cell centre lies. */
export const fractionOf = (axis: Axis, res: number, v: number): number => (positionOf(axis, v) * (res - 1) + 0.5) / res;

/** The axis value at a fraction of the map (the inverse of fractionOf), clamped to the axis's range. */
export const valueAtFraction = (axis: Axis, res: number, f: number): number =>
  valueAt(axis, Math.min(1, Math.max(0, (f * res - 0.5) / (res - 1))));

/** The cell under a point given as fractions of the canvas from its top-left; undefined outside. */
export function cellUnder(fx: number, fy: number, res: number): { i: number; j: number } | undefined {
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return undefined;
  return { i: Math.floor(fx * res), j: res - 1 - Math.floor(fy * res) };
}

/** 4 significant digits: short enough to read in the field, and what the field then holds. */
const typed = (v: number) => String(Number(v.toPrecision(4)));

/** An axis as the form types it: NAME:MIN:MAX[:log]. */
export const axisText = (axis: Axis, min = axis.min, max = axis.max): string =>
  `${axis.name}:${typed(min)}:${typed(max)}${axis.log ? ':log' : ''}`;

/**
 * The axis over the stretch of the map between two fractions (either order): what a dragged box
 * zooms to, in axis units (log-aware), as the form types it. Undefined when the stretch holds no
 * two distinct values to map between.
 */
export function zoomedAxis(axis: Axis, res: number, f0: number, f1: number): string | undefined {
  const lo = valueAtFraction(axis, res, Math.min(f0, f1));
  const hi = valueAtFraction(axis, res, Math.max(f0, f1));
  return Number(typed(hi)) > Number(typed(lo)) ? axisText(axis, lo, hi) : undefined;
}

/** Tick values inside the axis's range: decades (and 2, 5 between them on a short log axis), or round steps. */
export function axisTicks(axis: Axis): number[] {
  if (!axis.log) return ticks(axis.min, axis.max);
  const inside = (v: number) => v >= axis.min * (1 - 1e-9) && v <= axis.max * (1 + 1e-9);
  const decades = Math.log10(axis.max / axis.min);
  const steps = decades < 1.5 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(axis.min)); k <= Math.ceil(Math.log10(axis.max)); k++)
    for (const m of steps) if (inside(m * 10 ** k)) out.push(Number((m * 10 ** k).toPrecision(6)));
  // a zoomed log axis may hold no round value: its ends then
  return out.length >= 2 ? out : [axis.min, axis.max];
}

/** A tick's label: 3 significant digits, no trailing zeros. */
export const tickLabel = (v: number): string =>
  Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(1).replace('e+', 'e');

/** A word as a POSIX shell reads it: quoted when it holds anything but plain characters. */
const shellWord = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** Whether `words` appear in `flags` in a row. */
const holds = (flags: readonly string[], words: readonly string[]) => flags.some((_, k) => words.every((w, n) => flags[k + n] === w));

/**
 * The command that trains cell (i, j) alone: the run's flags with both axes set, as the hypermap
 * command's `rerun` says. runFlags leaves out a value at its default; an axis's flag is written
 * anyway, so the command always names the cell's two values.
 */
export function cellCommand(config: RunConfig, settings: HypermapSettings, x: number, y: number): string {
  const flags = runFlags(cellConfig(config, settings, x, y));
  for (const [axis, v] of [
    [settings.x, x],
    [settings.y, y],
  ] as const) {
    const words = axisFlag(axis, v).split(' ');
    if (!holds(flags, words)) flags.push(...words);
  }
  const outcome = settings.outcome === 'trainability' ? ['--outcome', 'trainability'] : [];
  return ['basin-atlas', 'train', ...flags, '--particles', String(settings.perCell), ...outcome].map(shellWord).join(' ');
}
