import { parseNumber } from '../../core/config';
import { taskOutputs } from '../../core/task';
import { findPreset } from '../../core/tasks/index';
import { knobKey, type FormValues } from './formValues';

/** What the task the form names looks like, so fields that depend on it can be checked. */
export interface TaskShape {
  readonly inputs: number;
  readonly classes: number;
  /** the network's outputs (one logit for 2 classes, k for k, a regression task's targets) */
  readonly outputs: number;
  readonly trainRows: number;
}

/**
 * The shape of a preset task with the form's knobs (building a preset is cheap: tens of rows),
 * or undefined while a knob is invalid or the task is not a preset.
 */
export function presetShape(values: FormValues): TaskShape | undefined {
  const preset = findPreset(values.task ?? '');
  if (!preset) return undefined;
  try {
    const knobs = Object.fromEntries(
      Object.entries(preset.knobs).map(([k, spec]) => [k, parseNumber(spec, values[knobKey(k)] ?? '', 'label')]),
    );
    const task = preset.build(knobs);
    return { inputs: task.inputs, classes: task.classes, outputs: taskOutputs(task), trainRows: task.train.rows };
  } catch {
    return undefined;
  }
}
