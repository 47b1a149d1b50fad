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
  /** the probe sets' names, in order (the barrier view's "Loss on" choices after the training set) */
  readonly probes: readonly string[];
}

/**
 * Shapes already built, by task and knobs: the form asks at every keystroke, and building the
 * mnist preset (2,000 rows of 794 inputs) takes a third of a second. Failures are not kept (a
 * preset whose images have not arrived yet builds later).
 */
const built = new Map<string, TaskShape>();

/**
 * The shape of a preset task with the form's knobs, or undefined while a knob is invalid or the
 * task is not a preset.
 */
export function presetShape(values: FormValues): TaskShape | undefined {
  const preset = findPreset(values.task ?? '');
  if (!preset) return undefined;
  try {
    const knobs = Object.fromEntries(
      Object.entries(preset.knobs).map(([k, spec]) => [k, parseNumber(spec, values[knobKey(k)] ?? '', 'label')]),
    );
    const key = JSON.stringify([preset.name, knobs]);
    const known = built.get(key);
    if (known) return known;
    const task = preset.build(knobs);
    const shape = {
      inputs: task.inputs,
      classes: task.classes,
      outputs: taskOutputs(task),
      trainRows: task.train.rows,
      probes: task.probes.map((p) => p.name),
    };
    built.set(key, shape);
    return shape;
  } catch {
    return undefined;
  }
}
