import type { Command } from 'commander';
import type { RunConfig } from '../../core/config';
import { mergeResults, MERGEABLE_KINDS } from '../../core/merge';
import type { OutcomeSummary } from '../../core/results';
import { readJson } from '../files';
import { checkOutputs, type StagedOutput } from '../outputs';
import type { FlagValues } from '../resolve';
import { describeConfig, outcomeTable, reachedLines, type Reached } from '../summary';
import { trainExtraLines } from '../../core/instruments/trainExtras';
import { mergedSummaryOf } from '../../core/instruments/registry';
import { INSTRUMENT_COMMANDS } from './instrumentCommands';

export const MERGE_SUMMARY =
  'combine the results of train, decompose or hypermap --shard i/n, run anywhere, into exactly the result of one run';

/** The instruments' own merge flags (a picture of a merged map): their flags, help and writers. */
const OWN_FLAGS = INSTRUMENT_COMMANDS.flatMap((c) => (c.merge ? [c.merge] : []));

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
${OWN_FLAGS.map((f) => f.help).join('')}
Example, a Slurm job array of 8 (deploy/slurm/sweep.sbatch, shipped in the package, does this
and refuses to run without SHARDS: a resubmitted task's SLURM_ARRAY_TASK_COUNT is not the sweep's):
  #SBATCH --array=0-7
  basin-atlas train --particles 1000000 --shard $SLURM_ARRAY_TASK_ID/$SHARDS --out shard-$SLURM_ARRAY_TASK_ID.json
then, once all have ended (sbatch --dependency=afterany:JOBID deploy/slurm/merge.sbatch):
  basin-atlas merge shard-*.json --out run.json
A Kubernetes Indexed Job of 64 completions: --shard $JOB_COMPLETION_INDEX/64. docs/sweeps.md
has both in full, and the container image.`;

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
  const cmd = program
    .command('merge')
    .description(MERGE_SUMMARY)
    .argument('<files...>', 'the shards\u2019 results (JSON, as train, decompose or hypermap --shard i/n --out writes them)')
    .option('--out <file.json>', 'write the merged result as JSON')
    .option('--json', 'print the merged result as JSON on stdout')
    .addHelpText('after', MERGE_HELP);
  for (const own of OWN_FLAGS) own.options(cmd);
  return cmd.action((files: string[], raw: FlagValues) => {
    checkOutputs(
      [...(raw.out !== undefined ? [{ flag: '--out', path: raw.out }] : []), ...OWN_FLAGS.flatMap((f) => f.outputs(raw))],
      [...files.map((path) => ({ flag: 'input', path })), ...OWN_FLAGS.flatMap((f) => f.inputs(raw))],
    );
    // each instrument's flag values are checked before the shards are read
    const writers = OWN_FLAGS.map((f) => f.prepare(raw, files));
    const merged = mergeResults(files.map((name) => ({ name, doc: readJson('merge', name) })));
    // each writer refuses its flags or adds its outputs, then hands on to the next; the last emits
    const write = writers.reduceRight<(more: readonly StagedOutput[]) => void>(
      (next, writer) => (more) => writer(merged, (own) => next([...more, ...own])),
      (more) => emit(raw, merged, human(merged), more),
    );
    write([]);
  });
}
