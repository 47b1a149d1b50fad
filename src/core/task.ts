import { outputsFor, type LossName } from './layout';

/**
 * A set of examples; x is row-major [rows][inputs]. A classification set's y holds class indices
 * 0..classes-1; a regression set's y is empty and `targets` holds its real targets, [rows][outputs].
 */
export interface Dataset {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly rows: number;
  /** regression only: the targets, row-major [rows][outputs] */
  readonly targets?: Float32Array;
}

export interface ProbeSet {
  /** the hypothesis this probe set stands for, e.g. "colour" */
  readonly name: string;
  readonly data: Dataset;
}

export interface Task {
  readonly name: string;
  readonly description: string;
  readonly inputs: number;
  /** 2 → one output with BCE; k > 2 → k outputs with softmax cross-entropy; 0 for a regression task */
  readonly classes: number;
  readonly train: Dataset;
  readonly probes: readonly ProbeSet[];
  /**
   * An outcome of its own for a particle that fits the training set while every probe stays below
   * `below` accuracy (grokking's `memorised`: held-out pairs near chance). Absent: such a particle
   * is `mixed`, as is one whose probes sit between `below` and the probe threshold.
   */
  readonly fitOnly?: { readonly name: string; readonly below: number };
  /** the preset's own knob values, recorded in results (empty for files) */
  readonly params: Readonly<Record<string, number>>;
  /** absent: 'cross-entropy' on class labels; 'mse': mean squared error on every set's `targets` */
  readonly loss?: LossName;
  /** regression: real targets per row (the network's outputs) */
  readonly outputs?: number;
  /**
   * regression: a row counts as "correct" (the accuracy slot of every metric) when each of its
   * outputs is within this absolute distance of its target; default DEFAULT_TOLERANCE
   */
  readonly tolerance?: number;
}

/** A regression row is "correct" when every output is within this of its target, unless the task says otherwise. */
export const DEFAULT_TOLERANCE = 0.1;

export const taskLoss = (task: Task): LossName => task.loss ?? 'cross-entropy';

/** The network's outputs for this task: one logit for 2 classes, k for k classes, a regression task's target count. */
export function taskOutputs(task: Task): number {
  return taskLoss(task) === 'mse' ? (task.outputs ?? 1) : outputsFor(task.classes);
}

/** The tolerance behind a regression task's accuracy (0 for classification, where it is not used). */
export function taskTolerance(task: Task): number {
  return taskLoss(task) === 'mse' ? (task.tolerance ?? DEFAULT_TOLERANCE) : 0;
}

/** Train set first, then the probes in order: the order of every per-set metric in the project. */
export function taskSets(task: Task): Dataset[] {
  return [task.train, ...task.probes.map((p) => p.data)];
}

export function makeDataset(rows: number[][], labels: number[]): Dataset {
  const inputs = rows[0]?.length ?? 0;
  const x = new Float32Array(rows.length * inputs);
  rows.forEach((r, i) => x.set(r, i * inputs));
  return { x, y: Int32Array.from(labels), rows: rows.length };
}

/** A regression set: inputs [rows][inputs] and targets [rows][outputs]. */
export function makeRegressionDataset(rows: number[][], targets: number[][]): Dataset {
  const inputs = rows[0]?.length ?? 0;
  const outputs = targets[0]?.length ?? 0;
  const x = new Float32Array(rows.length * inputs);
  rows.forEach((r, i) => x.set(r, i * inputs));
  const t = new Float32Array(rows.length * outputs);
  targets.forEach((r, i) => t.set(r, i * outputs));
  return { x, y: new Int32Array(0), rows: rows.length, targets: t };
}
