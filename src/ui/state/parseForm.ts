import { checkConfig, NUMBER_FIELDS, parseActivation, parseBatch, parseField, parseHidden, parseNumber, parseOptimizer, type NumberSpec, type RunConfig } from '../../core/config';
import { isUserError, UserError } from '../../core/errors';
import { outputsFor } from '../../core/layout';
import { findPreset } from '../../core/tasks/index';
import type { PlaneSettings, PointRef, RunSettings } from '../../worker/protocol';
import { KNOB_PREFIX, type FormValues } from './formValues';

/** The sandbox offers fewer particles and a coarser grid than the CLI: it must stay interactive. */
export const UI_LIMITS = {
  particles: { ...NUMBER_FIELDS.particles, max: 65_536 } satisfies NumberSpec,
  res: { ...NUMBER_FIELDS.res, max: 256 } satisfies NumberSpec,
};

const offsetSpec: NumberSpec = { flag: '--offset', label: 'plane offset', integer: false, min: -1000, max: 1000 };

export interface ViewOptions {
  readonly view: 'loss' | 'basin';
  readonly log: boolean;
  readonly trails: boolean;
}

/** What the task the form names looks like, so fields that depend on it can be checked. */
export interface TaskShape {
  readonly inputs: number;
  readonly classes: number;
  readonly trainRows: number;
}

export interface ParsedForm {
  /** present only when every field is valid: nothing runs on a bad value */
  readonly settings?: RunSettings;
  readonly view: ViewOptions;
  /** one-line message per invalid field, by hash key */
  readonly errors: Readonly<Record<string, string>>;
}

function parseFlag(name: string, raw: string | undefined): boolean {
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

/**
 * Parses every field with core's parsers in 'label' style, so a message names the field as the
 * form shows it and gives its allowed range. `task` is undefined when the task file is not loaded.
 */
export function parseForm(values: FormValues, task: TaskShape | undefined): ParsedForm {
  const errors: Record<string, string> = {};
  const attempt = <T>(key: string, parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (e) {
      if (!isUserError(e)) throw e;
      errors[key] = e.message;
      return undefined;
    }
  };
  const v = (key: string) => values[key] ?? '';
  const preset = findPreset(v('task'));
  const knobs: Record<string, number> = {};
  if (preset) {
    for (const [name, spec] of Object.entries(preset.knobs)) {
      const x = attempt(KNOB_PREFIX + name, () => parseNumber(spec, v(KNOB_PREFIX + name), 'label'));
      if (x !== undefined) knobs[name] = x;
    }
  } else if (!task) errors.task = `task "${v('task')}" is not loaded: choose a preset or drop the task file again`;

  const particles = attempt('particles', () => parseNumber(UI_LIMITS.particles, v('particles'), 'label'));
  const config = {
    task: v('task'),
    knobs,
    hidden: attempt('hidden', () => parseHidden(v('hidden'), 'label')),
    activation: attempt('act', () => parseActivation(v('act'), 'label')),
    optimizer: attempt('opt', () => parseOptimizer(v('opt'), 'label')),
    lr: attempt('lr', () => parseField('lr', v('lr'), 'label')),
    momentum: attempt('momentum', () => parseField('momentum', v('momentum'), 'label')),
    batch: attempt('batch', () => parseBatch(v('batch'), task?.trainRows ?? Number.MAX_SAFE_INTEGER, 'label')),
    steps: attempt('steps', () => parseField('steps', v('steps'), 'label')),
    weightDecay: attempt('wd', () => parseField('weightDecay', v('wd'), 'label')),
    initScale: attempt('init', () => parseField('initScale', v('init'), 'label')),
    particles,
    seed: attempt('seed', () => parseField('seed', v('seed'), 'label')),
    noiseSeed: attempt('noise', () => parseField('noiseSeed', v('noise'), 'label')),
    firstParticle: attempt('first', () => parseField('firstParticle', v('first'), 'label')),
    thresholds: { train: attempt('tt', () => parseField('trainThreshold', v('tt'), 'label')), probe: attempt('tp', () => parseField('probeThreshold', v('tp'), 'label')) },
  };
  const sharedInit = attempt('shared', () => parseFlag('shared init', v('shared')));
  const mode = attempt('plane', () => {
    if (v('plane') !== 'random' && v('plane') !== 'through') throw new UserError(`plane must be random or through, got "${v('plane')}"`);
    return v('plane') as PlaneSettings['mode'];
  });
  const center = attempt('center', () => parseRef(v('center'), particles, 'plane centre'));
  const through = attempt('through', () => {
    const refs = v('through').split(',');
    if (refs.length !== 3) throw new UserError(`plane points must be three points like init:0,init:1,final:2, got "${v('through')}"`);
    return refs.map((r) => parseRef(r, particles, 'plane points')) as unknown as PlaneSettings['through'];
  });
  const plane = {
    mode,
    center,
    through,
    seed: attempt('pseed', () => parseField('planeSeed', v('pseed'), 'label')),
    span: attempt('span', () => parseField('span', v('span'), 'label')),
    offset: attempt('off', () => parsePair(v('off'), 'plane offset')),
    res: attempt('res', () => parseNumber(UI_LIMITS.res, v('res'), 'label')),
  };
  const view: ViewOptions = {
    view: v('view') === 'loss' ? 'loss' : 'basin',
    log: attempt('log', () => parseFlag('log scale', v('log'))) ?? true,
    trails: attempt('trails', () => parseFlag('trails', v('trails'))) ?? true,
  };
  if (Object.keys(errors).length > 0) return { view, errors };
  const runConfig = config as RunConfig;
  if (task) {
    attempt('hidden', () => checkConfig(runConfig, task.inputs, outputsFor(task.classes), 'label'));
  }
  if (Object.keys(errors).length > 0 || !task) return { view, errors };
  return { settings: { config: runConfig, plane: plane as PlaneSettings, sharedInit: sharedInit! }, view, errors };
}
