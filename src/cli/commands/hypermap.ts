import type { Command } from 'commander';
import { isPerParticle, parseAxis, PLAIN_AXIS_NAMES } from '../../core/instruments/hypermap/hypermapAxes';
import { colouringProblem } from '../../core/instruments/hypermap/hypermapData';
import { hypermapResult } from '../../core/instruments/hypermap/hypermapJson';
import {
  HYPERMAP_OUTCOMES,
  MAX_HYPERMAP_RES,
  planHypermap,
  type HypermapOutcome,
  type HypermapSettings,
} from '../../core/instruments/hypermap/hypermapPlan';
import { runHypermap, TRAINABILITY_WINDOW } from '../../core/instruments/hypermap/hypermapRun';
import { HYPERMAP_COLOURINGS, hypermapPicture, type HypermapColouring } from '../../core/instruments/hypermap/hypermapPicture';
import { MAX_PARTICLES, parseChoice, parseNumber, type NumberSpec } from '../../core/config';
import { UserError } from '../../core/errors';
import { parseShard, shardRecord } from '../../core/shards';
import { findPreset } from '../../core/tasks';
import { readInset } from '../files';
import { checkOutputs, emitWithPicture } from '../outputs';
import { ProgressBar } from '../progress';
import { inputFileFields, inputFiles, refuseParticleFlags, resolveRun, type FlagValues } from '../resolve';
import { describeRun, deviceLine } from '../summary';
import type { CommandContext } from './context';

export interface HypermapFlags {
  x?: string;
  y?: string;
  perCell?: string;
  outcome?: string;
  png?: string;
  colour?: string;
  inset?: string;
}

const FIELDS = {
  res: { flag: '--res', label: 'cells per axis', integer: true, min: 2, max: MAX_HYPERMAP_RES },
  perCell: { flag: '--per-cell', label: 'particles per cell', integer: true, min: 1, max: 4096 },
} as const satisfies Record<string, NumberSpec>;

const DEFAULTS = { res: 32, perCell: 1, x: 'lr:0.01:10:log', y: 'init-scale:0.25:4:log' };

export const HYPERMAP_SUMMARY = 'a map of two hyperparameters: every cell K particles trained with its settings, coloured by outcome';

const HYPERMAP_HELP = `
Axes: --x and --y as NAME:MIN:MAX, or NAME:MIN:MAX:log for a log scale. NAME is one of
  ${PLAIN_AXIS_NAMES.join(', ').padEnd(45)}(the train flag of the same setting)
  knob:NAME                                    (a knob of the built-in task, e.g. knob:salience)
  lr:K                                         (layer K's learning-rate multiplier, --lr-layer K=)
Cell (i, j) is exactly \`train --particles K\` with x at xs[i] and y at ys[j]: particles 0..K-1
of --seed and --noise-seed. Cells that differ only in lr, lr:K, wd, momentum or init-scale
train together in one engine session; knob, batch and steps axes need a session per value.
A preset may name its own axes and outcome (fractal: lr:0 × lr:1, trainability).

--outcome trainability counts Sohl-Dickstein's outcome instead of train's classes: the training
loss after each of the last ${TRAINABILITY_WINDOW} steps over the loss at the start, averaged; converged
when below 1, diverged otherwise.`;

export function hypermapOptions(cmd: Command): Command {
  return cmd
    .option('--x <NAME:MIN:MAX[:log]>', `the horizontal axis (default: the preset's, or ${DEFAULTS.x})`)
    .option('--y <NAME:MIN:MAX[:log]>', `the vertical axis (default: the preset's, or ${DEFAULTS.y})`)
    .option('--res <R>', `cells per axis, 2 to ${MAX_HYPERMAP_RES} (default ${DEFAULTS.res})`)
    .option('--per-cell <K>', `particles per cell, 1 to ${FIELDS.perCell.max} (default ${DEFAULTS.perCell})`)
    .option('--outcome <kind>', `${HYPERMAP_OUTCOMES.join(' or ')} (default: the preset's, or classes)`)
    .option('--shard <i/n>', 'train block i of n of the cells, counted from 0; combine the results with merge')
    .option('--png <file.png>', 'draw the map: one pixel block per cell')
    .option('--colour <by>', `what the PNG shows: ${HYPERMAP_COLOURINGS.join(', ')} (default outcome)`)
    .option('--inset <zoom.json>', 'draw a zoomed map (a hypermap --out of a box inside this one) as an inset of the PNG')
    .addHelpText('after', HYPERMAP_HELP);
}

function checkTrainabilitySteps(steps: number): void {
  if (steps <= TRAINABILITY_WINDOW)
    throw new UserError(
      `--outcome trainability averages the last ${TRAINABILITY_WINDOW} steps: --steps must be above ${TRAINABILITY_WINDOW}, got ${steps}`,
    );
}

/** `train --outcome`: classes (undefined) or trainability, checked against the run's steps. */
export function parseTrainOutcome(raw: string | undefined, steps: number): HypermapOutcome | undefined {
  if (raw === undefined) return undefined;
  const outcome = parseChoice('--outcome', HYPERMAP_OUTCOMES, raw);
  if (outcome === 'trainability') checkTrainabilitySteps(steps);
  return outcome;
}

/** `basin-atlas hypermap`: a res × res map of two hyperparameters. */
export async function runHypermapCommand(raw: FlagValues & HypermapFlags, ctx: CommandContext): Promise<void> {
  refuseParticleFlags(raw, 'hypermap', 'every cell trains particles 0..K−1, K set by --per-cell');
  const res = raw.res === undefined ? DEFAULTS.res : parseNumber(FIELDS.res, raw.res);
  const perCell = raw.perCell === undefined ? DEFAULTS.perCell : parseNumber(FIELDS.perCell, raw.perCell);
  const colouring: HypermapColouring = raw.colour === undefined ? 'outcome' : parseChoice('--colour', HYPERMAP_COLOURINGS, raw.colour);
  if (raw.colour !== undefined && raw.png === undefined) throw new UserError('--colour applies to the picture: give --png FILE.png too');

  // --shard splits cells here, not particles as train's does
  const { run } = await resolveRun({ ...raw, shard: undefined }, undefined, ctx.signal);
  const preset = findPreset(run.config.task);
  const ctxAxis = { config: run.config, layers: run.layout.widths.length - 1, trainRows: run.task.train.rows };
  const x = parseAxis('--x', raw.x ?? preset?.hypermap?.x ?? DEFAULTS.x, ctxAxis);
  const y = parseAxis('--y', raw.y ?? preset?.hypermap?.y ?? DEFAULTS.y, ctxAxis);
  if (x.name === y.name) throw new UserError(`--x and --y must be different settings, got ${x.name} for both`);
  const outcome =
    raw.outcome === undefined ? (preset?.hypermap?.outcome ?? 'classes') : parseChoice('--outcome', HYPERMAP_OUTCOMES, raw.outcome);
  // before training: the inset must fit this map's axes
  const inset = readInset(raw, { x, y });
  const colourProblem = colouringProblem(colouring, outcome);
  if (colourProblem) throw new UserError(colourProblem);
  const cells = res * res;
  if (cells * perCell > MAX_PARTICLES)
    throw new UserError(`--res² × --per-cell must be at most ${MAX_PARTICLES} particles, got ${res}² × ${perCell} = ${cells * perCell}`);
  if (outcome === 'trainability')
    checkTrainabilitySteps(Math.min(run.config.steps, ...(x.name === 'steps' ? [x.min] : []), ...(y.name === 'steps' ? [y.min] : [])));
  const shard =
    raw.shard === undefined ? undefined : shardRecord(cells, parseShard('--shard', raw.shard, cells, `the map's ${cells} cells (--res²)`));
  const settings: HypermapSettings = { x, y, res, perCell, outcome };
  const plan = planHypermap(run, settings, shard?.first ?? 0, shard?.size ?? cells);
  if (raw.png !== undefined && shard)
    throw new UserError('--png draws the whole map and --shard trains a block of it: merge the shards first');
  ctx.checkOutputs(raw);
  if (raw.png !== undefined)
    checkOutputs(
      [...(raw.out !== undefined ? [{ flag: '--out', path: raw.out }] : []), { flag: '--png', path: raw.png }],
      [...inputFiles(raw), ...(raw.inset !== undefined ? [{ flag: '--inset', path: raw.inset }] : [])],
    );
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const bar = new ProgressBar(
    `training ${plan.count} cells × ${perCell} in ${plan.sessions.length} session${plan.sessions.length === 1 ? '' : 's'}`,
  );
  const result = await runHypermap(e, plan, run.task, { signal: ctx.signal, onProgress: bar.update });
  bar.done();
  const seconds = (performance.now() - t0) / 1000;
  const json = { ...hypermapResult(run, e.kind, e.device, seconds, plan, result, shard), ...inputFileFields(raw) };
  const perParticle = isPerParticle(x) && isPerParticle(y);
  const lines = [
    describeRun(run, `${plan.count} cells × ${perCell} particle${perCell === 1 ? '' : 's'}`),
    deviceLine(e.kind, e.device, seconds),
    `  x: ${x.name} ${x.min} … ${x.max}${x.log ? ' (log)' : ''}   y: ${y.name} ${y.min} … ${y.max}${y.log ? ' (log)' : ''}   ${res} × ${res} cells`,
    `  ${plan.sessions.length} engine session${plan.sessions.length === 1 ? '' : 's'}${perParticle ? ' (both axes per particle)' : ''}`,
    ...json.classes.map((c) => {
      const f = json.fractions[c];
      return `  ${c.padEnd(12)} ${String(json.totals[c]).padStart(8)}  ${(100 * f.fraction).toFixed(1)}% [${(100 * f.low).toFixed(1)}%, ${(100 * f.high).toFixed(1)}%]`;
    }),
  ];
  emitWithPicture(
    (more) => ctx.emit(raw, json, lines.join('\n'), more),
    raw,
    () => hypermapPicture(json, colouring, undefined, inset),
  );
}
