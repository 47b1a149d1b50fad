import type { Command } from 'commander';
import { decompositionFields, decompositionShardFields } from '../../core/instruments/decompose/decomposeJson';
import {
  DECOMPOSE_FIELDS,
  DEFAULT_DECOMPOSE_RESAMPLES,
  MAX_DECOMPOSE_SIDE,
  tooManyCells,
  trainDecomposition,
} from '../../core/instruments/decompose/decomposeRun';
import { outcomeClasses } from '../../core/classify';
import { parseNumber } from '../../core/config';
import { UserError } from '../../core/errors';
import { parseShard, rangeText, shardRecord } from '../../core/shards';
import { summariseOutcomes, trainResult } from '../../core/results';
import { ProgressBar } from '../progress';
import { inputFileFields, refuseParticleFlags, resolveRun, type FlagValues } from '../resolve';
import { describeRun, deviceLine, outcomeTable } from '../summary';
import type { CommandContext } from './context';
import { decompositionLines } from '../../core/instruments/decompose/decomposeSummary';

export interface DecomposeFlags {
  inits?: string;
  noises?: string;
  resamples?: string;
}

const FIELDS = DECOMPOSE_FIELDS;

const DEFAULTS = { inits: 64, noises: 64, resamples: DEFAULT_DECOMPOSE_RESAMPLES };

export const DECOMPOSE_SUMMARY = 'init seed vs noise seed: an inits × noises matrix of outcomes, and how much of the outcome each explains';

export function decomposeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--inits <I>',
      `init seeds (rows: the inits of particles 0..I−1 of --seed), 1 to ${MAX_DECOMPOSE_SIDE} (default ${DEFAULTS.inits})`,
    )
    .option(
      '--noises <J>',
      `noise streams (columns: streams 0..J−1 of --noise-seed), 1 to ${MAX_DECOMPOSE_SIDE} (default ${DEFAULTS.noises})`,
    )
    .option('--resamples <n>', `bootstrap resamples for the intervals, 10 to 100000 (default ${DEFAULTS.resamples})`)
    .option('--shard <i/n>', 'train rows (inits) slice i of n, counted from 0 (0/3, 1/3, 2/3); combine the results with merge');
}

/** `basin-atlas decompose`: an I × J matrix of init seeds × noise streams, and the entropy decomposition of its outcomes. */
export async function runDecompose(raw: FlagValues & DecomposeFlags, ctx: CommandContext): Promise<void> {
  refuseParticleFlags(raw, 'decompose', 'its cells are set by --inits and --noises');
  const inits = raw.inits === undefined ? DEFAULTS.inits : parseNumber(FIELDS.inits, raw.inits);
  const noises = raw.noises === undefined ? DEFAULTS.noises : parseNumber(FIELDS.noises, raw.noises);
  const resamples = raw.resamples === undefined ? DEFAULTS.resamples : parseNumber(FIELDS.resamples, raw.resamples);
  const tooMany = tooManyCells(inits, noises);
  if (tooMany) throw new UserError(tooMany);
  // a shard is a block of rows: rows train apart, so blocks of them compose exactly
  const shard =
    raw.shard === undefined ? undefined : shardRecord(inits, parseShard('--shard', raw.shard, inits, `the ${inits} inits (--inits)`));
  // --shard slices the inits here, not the particles as resolveRun would
  const { run } = await resolveRun({ ...raw, shard: undefined }, undefined, ctx.signal);
  ctx.checkOutputs(raw);
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const rows = shard ?? { first: 0, size: inits };
  const bar = new ProgressBar(`training ${rows.size} × ${noises}`);
  const matrix = await trainDecomposition(e, run, rows.size, noises, { signal: ctx.signal, onProgress: bar.update }, rows.first);
  bar.done();
  // a shard computes no shares: they need every row, and merge computes them from all of them
  const fields = shard ? undefined : decompositionFields(matrix, resamples, run.config.seed);
  const tail = fields ?? decompositionShardFields(matrix, inits, resamples);
  const seconds = (performance.now() - t0) / 1000;
  const classes = outcomeClasses(run.task);
  // the whole matrix's cells, in a shard too: config describes the run, `shard` the slice
  const cellsRun = { ...run, config: { ...run.config, particles: inits * noises } };
  const { particles: _, ...base } = trainResult(cellsRun, e.kind, e.device, seconds, {
    classes,
    outcomes: matrix.outcomes,
    metrics: new Float32Array(0),
    diverged: new Uint8Array(0),
    params: new Float32Array(0),
  });
  const json = { ...base, kind: 'decompose', ...inputFileFields(raw), ...tail, ...(shard ? { shard } : {}) };
  const what = shard
    ? `shard ${shard.index}/${shard.count}: inits ${rangeText(shard.first, shard.first + shard.size)} of ${inits} × ${noises} noise streams = ${shard.size * noises} particles`
    : `${inits} inits × ${noises} noise streams = ${inits * noises} particles`;
  ctx.emit(
    raw,
    json,
    [
      describeRun(cellsRun, what),
      deviceLine(e.kind, e.device, seconds),
      outcomeTable(summariseOutcomes(classes, matrix.outcomes)),
      ...(fields ? decompositionLines(fields) : ['  the shares need every row: merge the shards (basin-atlas merge) for them']),
    ].join('\n'),
  );
}
