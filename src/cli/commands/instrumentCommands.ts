import type { Command } from 'commander';
import type { FlagValues } from '../resolve';
import { BARRIERS_SUMMARY, barrierOptions, runBarriers } from './barriers';
import type { CommandContext } from './context';
import { DECOMPOSE_SUMMARY, decomposeOptions, runDecompose } from './decompose';
import { GEOMETRY_SUMMARY, geometryOptions, runGeometry } from './geometry';
import { HYPERMAP_SUMMARY, hypermapOptions, runHypermapCommand } from './hypermap';
import { HYPERMAP_MERGE_FLAGS } from './hypermapMerge';
import type { InstrumentMergeFlags } from './instrumentMergeFlags';
import { LLC_SUMMARY, llcOptions, runLlc } from './llc';
import { PRIOR_SUMMARY, priorOptions, runPrior } from './prior';
import { runSharpness, SHARPNESS_SUMMARY, sharpnessOptions } from './sharpness';
import { runWidth, WIDTH_SUMMARY, widthOptions } from './width';

/**
 * An instrument's subcommand: its name and one-line summary, the flags it adds to the run flags,
 * and its run. `measures`: it measures given networks (--params, --params-out) as well as trained
 * ones; otherwise it trains its own (a matrix of seeds, a map of settings, samples of the prior).
 */
export interface InstrumentCommand {
  readonly name: string;
  readonly summary: string;
  readonly measures: boolean;
  readonly options: (cmd: Command) => Command;
  readonly run: (raw: FlagValues, ctx: CommandContext) => Promise<void>;
  /** the flags `merge` takes for this instrument's shards, where it has any */
  readonly merge?: InstrumentMergeFlags;
}

/** The instruments' subcommands, in the order --help lists them: one line each. */
export const INSTRUMENT_COMMANDS: readonly InstrumentCommand[] = [
  { name: 'barriers', summary: BARRIERS_SUMMARY, measures: true, options: barrierOptions, run: runBarriers },
  { name: 'width', summary: WIDTH_SUMMARY, measures: true, options: widthOptions, run: runWidth },
  {
    name: 'sharpness',
    summary: SHARPNESS_SUMMARY,
    measures: true,
    options: (c) => sharpnessOptions(c, { trace: true }),
    run: runSharpness,
  },
  { name: 'geometry', summary: GEOMETRY_SUMMARY, measures: true, options: geometryOptions, run: runGeometry },
  { name: 'decompose', summary: DECOMPOSE_SUMMARY, measures: false, options: decomposeOptions, run: runDecompose },
  { name: 'llc', summary: LLC_SUMMARY, measures: true, options: llcOptions, run: runLlc },
  {
    name: 'hypermap',
    summary: HYPERMAP_SUMMARY,
    measures: false,
    options: hypermapOptions,
    run: runHypermapCommand,
    merge: HYPERMAP_MERGE_FLAGS,
  },
  { name: 'prior', summary: PRIOR_SUMMARY, measures: false, options: priorOptions, run: runPrior },
];
