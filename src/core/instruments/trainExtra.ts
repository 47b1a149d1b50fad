import type { EnsembleResult, Run } from '../runs';

/**
 * A measurement that rides on `train`'s result: computed from the trained ensemble, written under
 * its own key of train's JSON, rebuilt by `merge` from the shards' values, and told in the summary.
 * The command line's train, merge and summary read this list, so an extra needs no case of its own
 * in any of them.
 */
export interface TrainExtra {
  /** its field in train's JSON */
  readonly key: string;
  /** undefined where it does not apply (another task, a model without the layer it reads) */
  measure(run: Run, result: EnsembleResult): object | undefined;
  /** one run's value from its shards' values (shard order) */
  merge(values: unknown[]): object;
  /** its summary lines, from its JSON value */
  lines(value: unknown): string[];
}
