/** A labelled set of examples; x is row-major [rows][inputs], y holds class indices 0..classes-1. */
export interface Dataset {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly rows: number;
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
  /** 2 → one output with BCE; k > 2 → k outputs with softmax cross-entropy */
  readonly classes: number;
  readonly train: Dataset;
  readonly probes: readonly ProbeSet[];
  /** the preset's own knob values, recorded in results (empty for files) */
  readonly params: Readonly<Record<string, number>>;
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
