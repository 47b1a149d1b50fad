import { DEFAULT_CONFIG, type RunConfig } from './config';
import { isAdam } from './layout';
import { defaultKnobs, findPreset } from './tasks';

/** A task loaded from a file in the sandbox is named `file:<its name>` there. */
const FILE_PREFIX = 'file:';

/**
 * The task's flags: a preset or a JSON task file is `--task`; CSV files dropped together
 * (`file:train.csv+colour.csv`) are `--train` and one `--probe NAME=FILE` per probe set.
 */
function taskFlags(task: string): string[] {
  if (!task.startsWith(FILE_PREFIX)) return ['--task', task];
  const files = task.slice(FILE_PREFIX.length).split('+');
  if (!files.every((f) => /\.csv$/i.test(f))) return ['--task', files.join('+')];
  const train = files.find((f) => /^train/i.test(f));
  return [
    ...(train ? ['--train', train] : []),
    ...files.filter((f) => f !== train).flatMap((f) => ['--probe', `${f.replace(/\.[^.]*$/, '')}=${f}`]),
  ];
}

/**
 * The command-line flags that give `config`'s training (everything but the particle count and
 * first particle, which a command sets itself): the task always, every other flag only where the
 * value differs from what the command line resolves without it (the defaults, then the preset's),
 * so that a read-out stays short and still exact. A task from files names them as dropped.
 */
export function runFlags(config: RunConfig): string[] {
  const preset = findPreset(config.task);
  const d: RunConfig = { ...DEFAULT_CONFIG, ...(preset?.defaults ?? {}) };
  const flags = taskFlags(config.task);
  const knobs = preset ? defaultKnobs(preset) : {};
  for (const [k, v] of Object.entries(config.knobs)) if (knobs[k] !== v) flags.push('--knob', `${k}=${v}`);
  const add = (flag: string, value: unknown, base: unknown) => {
    if (JSON.stringify(value) !== JSON.stringify(base)) flags.push(flag, String(value));
  };
  add('--hidden', config.hidden.join(','), d.hidden.join(','));
  add('--act', config.activation, d.activation);
  if (!config.bias) flags.push('--no-bias');
  add('--opt', config.optimizer, d.optimizer);
  add('--lr', config.lr, d.lr);
  config.lrScale.forEach((s, k) => {
    if (s !== 1) flags.push('--lr-layer', `${k}=${s}`);
  });
  if (config.optimizer === 'momentum') add('--momentum', config.momentum, d.momentum);
  if (isAdam(config.optimizer)) {
    add('--beta1', config.beta1, d.beta1);
    add('--beta2', config.beta2, d.beta2);
  }
  add('--batch', config.batch, d.batch);
  add('--steps', config.steps, d.steps);
  add('--wd', config.weightDecay, d.weightDecay);
  add('--init-scale', config.initScale, d.initScale);
  add('--init-dist', config.initDist, d.initDist);
  add('--seed', config.seed, d.seed);
  add('--noise-seed', config.noiseSeed, d.noiseSeed);
  add('--train-threshold', config.thresholds.train, d.thresholds.train);
  add('--probe-threshold', config.thresholds.probe, d.thresholds.probe);
  return flags;
}
