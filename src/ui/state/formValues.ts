import { DEFAULT_CONFIG } from '../../core/config';
import { defaultKnobs, findPreset, PRESETS } from '../../core/tasks/index';

/**
 * The form as text, one string per field, keyed by the names the URL hash uses. Keeping the
 * text (not parsed values) lets a half-typed "0." stay on screen while it is invalid.
 */
export type FormValues = Record<string, string>;

/** Hash keys of the fields every task has; knobs are `k.<name>` for the selected preset. */
export const FIELD_KEYS = [
  'task', 'hidden', 'act', 'opt', 'lr', 'momentum', 'batch', 'steps', 'wd', 'init',
  'particles', 'seed', 'noise', 'first', 'shared', 'tt', 'tp',
  'plane', 'center', 'through', 'pseed', 'span', 'res', 'off',
  'view', 'log', 'trails',
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];

export const KNOB_PREFIX = 'k.';

/** Sizes that show something within seconds: a laptop GPU, or the CPU engine when WebGPU is missing. */
export const SIZES = {
  gpu: { particles: '1024', steps: '1000', res: '64' },
  cpu: { particles: '128', steps: '400', res: '16' },
} as const;

export function knobValues(task: string): FormValues {
  const preset = findPreset(task);
  if (!preset) return {};
  return Object.fromEntries(Object.entries(defaultKnobs(preset)).map(([k, v]) => [KNOB_PREFIX + k, String(v)]));
}

/** The preset's own training settings (e.g. corridor trains with Adam), as form text. */
export function presetOverrides(task: string): FormValues {
  const d = findPreset(task)?.defaults ?? {};
  const out: FormValues = {};
  if (d.optimizer) out.opt = d.optimizer;
  if (d.lr !== undefined) out.lr = String(d.lr);
  if (d.momentum !== undefined) out.momentum = String(d.momentum);
  if (d.batch !== undefined) out.batch = String(d.batch);
  if (d.steps !== undefined) out.steps = String(d.steps);
  if (d.weightDecay !== undefined) out.wd = String(d.weightDecay);
  if (d.initScale !== undefined) out.init = String(d.initScale);
  if (d.hidden !== undefined) out.hidden = d.hidden.join(',');
  if (d.activation) out.act = d.activation;
  return out;
}

export function defaultValues(kind: 'gpu' | 'cpu', task = PRESETS[0].name): FormValues {
  const c = DEFAULT_CONFIG;
  const size = SIZES[kind];
  return {
    task,
    hidden: c.hidden.join(','),
    act: c.activation,
    opt: c.optimizer,
    lr: String(c.lr),
    momentum: String(c.momentum),
    batch: String(c.batch),
    steps: size.steps,
    wd: String(c.weightDecay),
    init: String(c.initScale),
    particles: size.particles,
    seed: String(c.seed),
    noise: String(c.noiseSeed),
    first: String(c.firstParticle),
    shared: '0',
    tt: String(c.thresholds.train),
    tp: String(c.thresholds.probe),
    plane: 'random',
    center: 'init:0',
    through: 'init:0,init:1,init:2',
    pseed: '0',
    span: '1',
    res: size.res,
    off: '0,0',
    view: 'basin',
    log: '1',
    trails: '1',
    ...presetOverrides(task),
    ...knobValues(task),
  };
}
