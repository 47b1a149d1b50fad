import type { RunConfig } from '../../core/config';
import type { Task } from '../../core/task';
import { findPreset } from '../../core/tasks/index';

/** The preset task a configuration names, built on the page (tens of rows), or undefined if it cannot be. */
export function builtPreset(config: RunConfig | undefined): Task | undefined {
  const preset = config && findPreset(config.task);
  if (!preset) return undefined;
  try {
    return preset.build(config.knobs);
  } catch {
    return undefined;
  }
}
