import type { ShardRecord } from './shards';

/*
 * The shapes merge.ts hands each kind's merger (mergeDecompose.ts, mergeHypermap.ts, ...): on their
 * own so the mergers need not import merge.ts, which imports them.
 */

export type Doc = Record<string, unknown>;
export interface Shard {
  readonly name: string;
  readonly doc: Doc;
  readonly shard: ShardRecord;
}

/** A kind's merger: shards already checked to be one run, tiling it exactly, sorted by first item. */
export type Merger = (shards: readonly Shard[]) => Doc;

/** What merge needs to know of a kind besides its merger. */
export interface KindMerge {
  /** what its slices hold, as messages name them: "particles", "inits" */
  readonly unit: string;
  /** one of them: "particle", "init" */
  readonly item: string;
  /** what the shards together make, as messages name it: "map"; "run" when not given */
  readonly run?: string;
  /** the command that makes its shards, for messages */
  readonly command: string;
  /** its fields (beyond shard, engine, device and seconds) that describe one shard's slice: merged, not compared */
  readonly perShard: readonly string[];
  /** its fields of `config` that describe one shard's slice */
  readonly sliceConfig: readonly string[];
  /** checks that a shard's own fields say the slice its "shard" record says */
  readonly checkSlice?: (s: Shard) => void;
  readonly merge: Merger;
}
