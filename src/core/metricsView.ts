/** Number of sets metrics are kept for: the training set, then each probe set. */
export const metricSets = (task: { readonly probes: readonly unknown[] }): number => 1 + task.probes.length;

/**
 * Typed access to metrics laid out [count][sets][loss, accuracy] (sets: train, then each probe),
 * the layout every engine returns. One place knows the index formula; the methods are small
 * enough to inline in loops over thousands of particles.
 */
export class MetricsView {
  /** values per item: a (loss, accuracy) pair per set */
  readonly width: number;
  readonly count: number;

  constructor(
    readonly data: Float32Array,
    readonly sets: number,
  ) {
    this.width = MetricsView.rowWidth(sets);
    this.count = data.length / this.width;
    if (!Number.isInteger(this.count)) throw new Error(`metrics of ${data.length} values do not split into items of ${sets} sets`);
  }

  /** Values per item with `sets` sets. */
  static rowWidth(sets: number): number {
    return 2 * sets;
  }

  /** Zeroed metrics for `count` items. */
  static zeros(count: number, sets: number): MetricsView {
    return new MetricsView(new Float32Array(count * MetricsView.rowWidth(sets)), sets);
  }

  /** Index in `data` of item i's loss on set s; its accuracy follows. */
  offset(i: number, s = 0): number {
    return (i * this.sets + s) * 2;
  }

  loss(i: number, s = 0): number {
    return this.data[(i * this.sets + s) * 2];
  }

  acc(i: number, s = 0): number {
    return this.data[(i * this.sets + s) * 2 + 1];
  }

  set(i: number, s: number, loss: number, acc: number): void {
    const at = (i * this.sets + s) * 2;
    this.data[at] = loss;
    this.data[at + 1] = acc;
  }

  /** Item i's metrics, [sets][2], sharing memory with `data`. */
  row(i: number): Float32Array {
    return this.data.subarray(i * this.width, (i + 1) * this.width);
  }

  /** True when every loss and accuracy of item i is finite. */
  finite(i: number): boolean {
    for (let k = i * this.width; k < (i + 1) * this.width; k++) if (!Number.isFinite(this.data[k])) return false;
    return true;
  }

  /** Loss (metric 0) or accuracy (metric 1) on set s of every item, in a new array. */
  column(s: number, metric: 0 | 1): Float32Array {
    const out = new Float32Array(this.count);
    for (let i = 0, at = 2 * s + metric; i < this.count; i++, at += this.width) out[i] = this.data[at];
    return out;
  }

  /** The rows of a few items, [indices][sets][2], copied. */
  pick(indices: readonly number[]): MetricsView {
    const out = MetricsView.zeros(indices.length, this.sets);
    indices.forEach((i, k) => out.data.set(this.row(i), k * this.width));
    return out;
  }
}
