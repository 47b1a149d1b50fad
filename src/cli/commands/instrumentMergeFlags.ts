import type { Command } from 'commander';
import type { Doc } from '../../core/mergeKind';
import type { NamedFile, StagedOutput } from '../outputs';
import type { FlagValues } from '../resolve';

/**
 * Flags `merge` takes for one instrument's shards (a picture of the merged result), so that
 * cli/commands/merge.ts names no instrument: it adds these flags and help, checks their files
 * with its own, and writes the merged result through `prepare`'s writer.
 */
export interface InstrumentMergeFlags {
  /** a paragraph of merge --help, with a blank line before it */
  readonly help: string;
  /** adds the flags to merge's */
  readonly options: (cmd: Command) => Command;
  /** the files the flags write and read, checked with --out's and the shards' before anything is read */
  readonly outputs: (raw: FlagValues) => NamedFile[];
  readonly inputs: (raw: FlagValues) => NamedFile[];
  /**
   * Checks the flags' values before the shards are read; returns the merged result's writer,
   * which refuses the flags for a result they do not apply to and otherwise emits the result
   * (through `emit`) with what they add.
   */
  readonly prepare: (raw: FlagValues, shards: readonly string[]) => (merged: Doc, emit: (more: readonly StagedOutput[]) => void) => void;
}
