import type { Doc, KindMerge } from '../mergeKind';
import type { OutcomeRule } from '../outcomeRule';
import type { TrainExtra } from './trainExtra';

/**
 * What core's generic code (merge, train's extras, train's outcome) needs of an instrument, so that
 * it reads the one list in ./registry.ts and names no instrument. Everything is optional: an
 * instrument gives what it has.
 */
export interface Instrument {
  /** its folder under src/core/instruments/ */
  readonly name: string;
  /** the `kind` of the result its command writes; absent for one that rides on train's result */
  readonly kind?: string;
  /** how `merge` combines its shards; absent where its command makes no shards */
  readonly merge?: KindMerge;
  /** how `merge` tells its merged result, where train's wording does not fit as it is */
  readonly mergedSummary?: MergedSummary;
  /** a measurement written into train's result (./trainExtra.ts) */
  readonly trainExtra?: TrainExtra;
  /** an outcome rule `train --outcome <name>` can use instead of the task's classes */
  readonly outcomeRule?: OutcomeRule;
}

/** The instrument's part of a merged result's summary; the rest is train's (cli/commands/merge.ts). */
export interface MergedSummary {
  /** what the merged run trained, in place of "N particles" */
  readonly trained?: (merged: Doc) => string;
  /** its lines after the outcome table */
  readonly lines?: (merged: Doc) => string[];
  /** the whole summary, for a result train's summary does not fit (a map of cells, not particles) */
  readonly whole?: (merged: Doc) => string;
}
