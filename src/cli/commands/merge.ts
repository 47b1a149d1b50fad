import type { Command } from 'commander';
import type { RunConfig } from '../../core/config';
import {
  HYPERMAP_COLOURINGS,
  hypermapPicture,
  type HypermapColouring,
  type HypermapData,
} from '../../core/instruments/hypermap/hypermapPicture';
import { colouringProblem } from '../../core/instruments/hypermap/hypermapData';
import { parseChoice } from '../../core/config';
import { describeValue } from '../../core/describe';
import { UserError } from '../../core/errors';
import { mergeResults, MERGEABLE_KINDS } from '../../core/merge';
import type { OutcomeSummary } from '../../core/results';
import { readInset, readJson } from '../files';
import { checkOutputs, emitWithPicture, type StagedOutput } from '../outputs';
import type { FlagValues } from '../resolve';
import { describeConfig, outcomeTable, reachedLines, type Reached } from '../summary';
import { trainExtraLines } from '../../core/instruments/trainExtras';
import { mergedSummaryOf } from '../../core/instruments/registry';

export const MERGE_SUMMARY =
  'combine the results of train, decompose or hypermap --shard i/n, run anywhere, into exactly the result of one run';

const MERGE_HELP = `
Shards: train --shard i/n trains slice i of n of the run's particles, counted from 0
(0/3, 1/3, 2/3). Slice i holds particles floor(i*N/n) to floor((i+1)*N/n) - 1 of N, so
sizes differ by at most one; every particle keeps its global index, init and noise, so it
is the same network it would be in one run. decompose --shard i/n trains slice i of n of
its inits (rows of the matrix, by the same rule), every row whole.

merge reads the shards' results (--out files, in any order) and writes the result one run
would have written: counts, fractions and Wilson intervals recomputed from the merged
particles, particles in global index order, config with the whole run's particles and first
particle 0. For decompose: the rows in order, and the shares, their bootstrap intervals,
purity and counts computed from the whole matrix as one run computes them. "seconds" is the sum of the shards' seconds (compute time, not wall-clock
time); "shards" lists each shard's file, slice, engine, device and seconds, "device"
joins the distinct devices, and "engine" is "mixed" when shards ran on both engines.

It refuses, exit status 2 and one line naming the files:
  files that are not basin-atlas results, unreadable files, results of other kinds (it
  merges ${MERGEABLE_KINDS.join(', ')} results) or of mixed kinds; shards of different runs (every field
  of config but particles and firstParticle, the task, the model, the classes and the
  input files must match; for decompose every field of config, --inits, --noises and
  --resamples); slices that overlap; slices missing (it names the particles or inits and
  the shards).

Hyper maps: hypermap --shard i/n trains block i of n of the map's res² cells (the same rule);
merge writes the whole map (per-cell lists in cell order, totals and intervals recomputed;
everything but the shards' own fields must match) and --png draws it (--colour outcome, loss
or score; --inset ZOOM.json draws a zoomed map inside it, as hypermap's --inset).

Example, a Slurm job array of 8 (deploy/slurm/sweep.sbatch, shipped in the package, does this
and refuses to run without SHARDS: a resubmitted task's SLURM_ARRAY_TASK_COUNT is not the sweep's):
  #SBATCH --array=0-7
  basin-atlas train --particles 1000000 --shard $SLURM_ARRAY_TASK_ID/$SHARDS --out shard-$SLURM_ARRAY_TASK_ID.json
then, once all have ended (sbatch --dependency=afterany:JOBID deploy/slurm/merge.sbatch):
  basin-atlas merge shard-*.json --out run.json
A Kubernetes Indexed Job of 64 completions: --shard $JOB_COMPLETION_INDEX/64. docs/sweeps.md
has both in full, and the container image.`;

interface MergeFlags {
  out?: string;
  json?: boolean;
  png?: string;
  colour?: string;
  inset?: string;
}

type Emit = (raw: FlagValues, result: object, human: string, more?: readonly StagedOutput[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The merged run in words: describeRun's lines, the shards, the outcome table, and what its instrument adds (instruments/registry.ts). */
function human(merged: Record<string, unknown>): string {
  const own = mergedSummaryOf(merged.kind);
  if (own?.whole) return own.whole(merged);
  const config = merged.config as RunConfig;
  const task = isObject(merged.task) ? String(merged.task.name) : '?';
  const widths = isObject(merged.model) && Array.isArray(merged.model.widths) ? (merged.model.widths as number[]) : [];
  const shards = merged.shards as unknown[];
  const seconds = Number(merged.seconds);
  const from = `merged from ${shards.length} shard${shards.length === 1 ? '' : 's'}`;
  const trained = own?.trained ? own.trained(merged) : `${config.particles} particles`;
  return [
    describeConfig(config, task, widths, `${trained} ${from}`),
    `${merged.engine === 'cpu' ? 'CPU' : merged.engine === 'gpu' ? 'GPU' : 'mixed'} engine on ${String(merged.device)} · ${seconds.toFixed(1)} s (the shards' seconds, summed)`,
    outcomeTable(merged as unknown as OutcomeSummary),
    ...(own?.lines ? own.lines(merged) : []),
    ...(isObject(merged.record)
      ? [reachedLines(Number(merged.record.every), Number(merged.record.reachedAt), merged.particles as Reached[])]
      : []),
    ...trainExtraLines(merged),
  ].join('\n');
}

/** `basin-atlas merge FILE…`: registered beside train, writing as every command writes (`emit`). */
export function mergeCommand(program: Command, emit: Emit): Command {
  return program
    .command('merge')
    .description(MERGE_SUMMARY)
    .argument('<files...>', 'the shards\u2019 results (JSON, as train, decompose or hypermap --shard i/n --out writes them)')
    .option('--out <file.json>', 'write the merged result as JSON')
    .option('--json', 'print the merged result as JSON on stdout')
    .addHelpText('after', MERGE_HELP)
    .option('--png <file.png>', 'hypermap shards: draw the merged map')
    .option('--colour <by>', `hypermap shards: what the PNG shows, ${HYPERMAP_COLOURINGS.join(', ')} (default outcome)`)
    .option('--inset <zoom.json>', 'hypermap shards: draw a zoomed map (a hypermap --out of a box inside this one) as an inset')
    .action((files: string[], raw: MergeFlags) => {
      const outputs = [
        ...(raw.out !== undefined ? [{ flag: '--out', path: raw.out }] : []),
        ...(raw.png !== undefined ? [{ flag: '--png', path: raw.png }] : []),
      ];
      checkOutputs(outputs, [
        ...files.map((path) => ({ flag: 'input', path })),
        ...(raw.inset !== undefined ? [{ flag: '--inset', path: raw.inset }] : []),
      ]);
      const colouring: HypermapColouring = raw.colour === undefined ? 'outcome' : parseChoice('--colour', HYPERMAP_COLOURINGS, raw.colour);
      const merged = mergeResults(files.map((name) => ({ name, doc: readJson('merge', name) })));
      if (merged.kind !== 'hypermap' && (raw.png !== undefined || raw.colour !== undefined))
        throw new UserError('--png and --colour apply to hypermap shards');
      const map = merged as unknown as HypermapData;
      const colourProblem = merged.kind === 'hypermap' && raw.png !== undefined ? colouringProblem(colouring, merged.outcome) : undefined;
      if (colourProblem) throw new UserError(`${colourProblem}: ${files[0]} is a map of ${describeValue(merged.outcome)}`);
      const inset = readInset(raw, map);
      emitWithPicture(
        (more) => emit(raw, merged, human(merged), more),
        raw,
        () => hypermapPicture(map, colouring, undefined, inset),
      );
    });
}
