import { DEFAULT_CONFIG, type RunConfig } from './config';
import { setting, settingFlags, settingOf, SETTING_KEYS } from './runSettings';
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
  for (const key of SETTING_KEYS) {
    // the command sets its own particles; a setting the optimizer never reads is left out
    if (key === 'particles' || key === 'firstParticle') continue;
    const s = setting(key);
    if (s.unread?.(config)) continue;
    const value = settingOf(config, key);
    if (JSON.stringify(value) !== JSON.stringify(settingOf(d, key))) flags.push(...settingFlags(s, value));
  }
  return flags;
}
