import { parseNumber, type NumberSpec, type RunConfig } from '../../config';
import { isUserError, UserError } from '../../errors';
import { findPreset } from '../../tasks';
import { parseAxis, type AxisContext } from './hypermapAxes';
import type { HypermapSettings } from './hypermapPlan';
import { TRAINABILITY_WINDOW } from '../trainability/trainability';

/**
 * The sandbox's hyper map settings as typed, checked field by field, so the form shows each error
 * beside its field and the worker checks the same text again where it is used. Smaller than the
 * command's ranges: the sandbox trains on the page's engine, a map at a time.
 */
export interface HypermapTexts {
  readonly x: string;
  readonly y: string;
  readonly res: string;
  readonly perCell: string;
}
export type HypermapField = keyof HypermapTexts;

export const SANDBOX_HYPERMAP_FIELDS = {
  res: { flag: 'res', label: 'cells per axis', integer: true, min: 2, max: 64 },
  perCell: { flag: 'perCell', label: 'particles per cell', integer: true, min: 1, max: 64 },
} as const satisfies Record<string, NumberSpec>;

/** The axes a map of this task starts from: the preset's own, a salience knob against the learning rate, or the command's. */
export function defaultAxes(taskName: string): { x: string; y: string } {
  const preset = findPreset(taskName);
  if (preset?.hypermap) return { x: preset.hypermap.x, y: preset.hypermap.y };
  if (preset && Object.hasOwn(preset.knobs, 'salience')) return { x: 'lr:0.05:2:log', y: 'knob:salience:0.75:1.25' };
  return { x: 'lr:0.01:10:log', y: 'init-scale:0.25:4:log' };
}

/** classes, or the preset's own outcome (fractal's trainability) */
export const defaultOutcome = (taskName: string) => findPreset(taskName)?.hypermap?.outcome ?? 'classes';

export interface ParsedHypermapFields {
  readonly settings?: HypermapSettings;
  readonly errors: Partial<Record<HypermapField, string>>;
}

/** Every field checked against the run it maps; settings only when all of them hold. */
export function parseHypermapFields(texts: HypermapTexts, config: RunConfig, ctx: AxisContext): ParsedHypermapFields {
  const errors: ParsedHypermapFields['errors'] = {};
  const read = <T>(key: HypermapField, parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (e) {
      if (!isUserError(e)) throw e;
      errors[key] = e.message;
      return undefined;
    }
  };
  const x = read('x', () => parseAxis('x axis', texts.x, ctx));
  const y = read('y', () => {
    const axis = parseAxis('y axis', texts.y, ctx);
    if (x && axis.name === x.name) throw new UserError(`x and y axes must be different settings, got ${x.name} for both`);
    return axis;
  });
  const res = read('res', () => parseNumber(SANDBOX_HYPERMAP_FIELDS.res, texts.res, 'label'));
  const perCell = read('perCell', () => parseNumber(SANDBOX_HYPERMAP_FIELDS.perCell, texts.perCell, 'label'));
  const outcome = defaultOutcome(config.task);
  if (outcome === 'trainability' && x && y) {
    const steps = Math.min(config.steps, ...[x, y].filter((a) => a.name === 'steps').map((a) => a.min));
    if (steps <= TRAINABILITY_WINDOW)
      errors[x.name === 'steps' ? 'x' : 'y'] =
        `the trainability outcome averages the last ${TRAINABILITY_WINDOW} steps: steps must be above ${TRAINABILITY_WINDOW}, got ${steps}`;
  }
  if (!x || !y || res === undefined || perCell === undefined || Object.keys(errors).length) return { errors };
  return { settings: { x, y, res, perCell, outcome }, errors };
}
