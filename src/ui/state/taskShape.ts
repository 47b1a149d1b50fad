import { parseNumber } from '../../core/config';
import { findPreset } from '../../core/tasks/index';
import { KNOB_PREFIX, type FormValues } from './formValues';
import type { TaskShape } from './parseForm';

/**
 * The shape of a preset task with the form's knobs (building a preset is cheap: tens of rows),
 * or undefined while a knob is invalid or the task is not a preset.
 */
export function presetShape(values: FormValues): TaskShape | undefined {
  const preset = findPreset(values.task ?? '');
  if (!preset) return undefined;
  try {
    const knobs = Object.fromEntries(Object.entries(preset.knobs).map(([k, spec]) => [k, parseNumber(spec, values[KNOB_PREFIX + k] ?? '', 'label')]));
    const task = preset.build(knobs);
    return { inputs: task.inputs, classes: task.classes, trainRows: task.train.rows };
  } catch {
    return undefined;
  }
}
