import type { Command } from 'commander';
import { decompose, type Decomposition } from '../../core/analysis/decompose';
import { MAX_DECOMPOSE_CELLS, MAX_DECOMPOSE_SIDE, trainDecomposition } from '../../core/analysis/decomposeRun';
import { outcomeClasses } from '../../core/classify';
import { parseNumber, type NumberSpec } from '../../core/config';
import { UserError } from '../../core/errors';
import { summariseOutcomes, trainResult } from '../../core/results';
import { ProgressBar } from '../progress';
import { inputFileFields, resolveRun, type RawOptions } from '../resolve';
import { describeRun, deviceLine, outcomeTable } from '../summary';
import type { CommandContext } from './context';

export interface DecomposeFlags {
  inits?: string;
  noises?: string;
  resamples?: string;
}

const FIELDS = {
  inits: { flag: '--inits', label: 'inits', integer: true, min: 1, max: MAX_DECOMPOSE_SIDE },
  noises: { flag: '--noises', label: 'noise streams', integer: true, min: 1, max: MAX_DECOMPOSE_SIDE },
  resamples: { flag: '--resamples', label: 'bootstrap resamples', integer: true, min: 10, max: 100000 },
} as const satisfies Record<string, NumberSpec>;

const DEFAULTS = { inits: 64, noises: 64, resamples: 1000 };

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
    .option('--resamples <n>', `bootstrap resamples for the intervals, 10 to 100000 (default ${DEFAULTS.resamples})`);
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
const bits = (x: number) => x.toFixed(3);

/** The decomposition's JSON fields. */
export function decompositionFields(d: Decomposition, outcomes: Uint8Array, inits: number, noises: number) {
  const num = (x: number) => (Number.isFinite(x) ? x : null);
  const interval = (i: { value: number; low: number; high: number }) => ({ value: num(i.value), low: num(i.low), high: num(i.high) });
  return {
    inits,
    noises,
    outcomes: Array.from({ length: inits }, (_, i) => Array.from(outcomes.subarray(i * noises, (i + 1) * noises))),
    H: d.h,
    HGivenInit: d.hGivenInit,
    HGivenNoise: d.hGivenNoise,
    initShare: interval(d.initShareInterval),
    noiseShare: interval(d.noiseShareInterval),
    shuffledShare: d.shuffledShare,
    purity: Array.from(d.purity),
    bootstrap: d.bootstrap,
    entropyUnit: 'bits',
    ...(d.h > 0 ? {} : { problem: 'every cell has the same outcome: there is nothing for init or noise to explain' }),
  };
}

/** `basin-atlas decompose`: an I × J matrix of init seeds × noise streams, and the entropy decomposition of its outcomes. */
export async function runDecompose(raw: RawOptions & DecomposeFlags, ctx: CommandContext): Promise<void> {
  for (const [flag, given] of [
    ['--particles', raw.particles],
    ['--first-particle', raw.firstParticle],
    ['--init', raw.init],
  ] as const) {
    if (given !== undefined) throw new UserError(`decompose takes no ${flag}: its cells are set by --inits and --noises`);
  }
  const inits = raw.inits === undefined ? DEFAULTS.inits : parseNumber(FIELDS.inits, raw.inits);
  const noises = raw.noises === undefined ? DEFAULTS.noises : parseNumber(FIELDS.noises, raw.noises);
  const resamples = raw.resamples === undefined ? DEFAULTS.resamples : parseNumber(FIELDS.resamples, raw.resamples);
  if (inits * noises > MAX_DECOMPOSE_CELLS)
    throw new UserError(`--inits × --noises must be at most ${MAX_DECOMPOSE_CELLS} cells, got ${inits} × ${noises} = ${inits * noises}`);
  const { run } = resolveRun(raw);
  ctx.checkOutputs(raw);
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const bar = new ProgressBar(`training ${inits} × ${noises}`);
  const matrix = await trainDecomposition(e, run, inits, noises, { signal: ctx.signal, onProgress: bar.update });
  bar.done();
  const d = decompose(matrix, resamples, run.config.seed);
  const seconds = (performance.now() - t0) / 1000;
  const classes = outcomeClasses(run.task);
  const cellsRun = { ...run, config: { ...run.config, particles: inits * noises } };
  const { particles: _, ...base } = trainResult(cellsRun, e.kind, e.device, seconds, {
    classes,
    outcomes: matrix.outcomes,
    metrics: new Float32Array(0),
    diverged: new Uint8Array(0),
    params: new Float32Array(0),
  });
  const json = {
    ...base,
    kind: 'decompose',
    ...inputFileFields(raw),
    ...decompositionFields(d, matrix.outcomes, inits, noises),
    rerun: `cell (i, j) is exactly: basin-atlas train <these run flags> --init-index i --first-particle j --particles 1`,
  };
  const split = Array.from(d.purity).filter((p) => p < 0.9).length;
  ctx.emit(
    raw,
    json,
    [
      describeRun(cellsRun, `${inits} inits × ${noises} noise streams = ${inits * noises} particles`),
      deviceLine(e.kind, e.device, seconds),
      outcomeTable(summariseOutcomes(classes, matrix.outcomes)),
      `  outcome entropy H = ${bits(d.h)} bits; within an init ${bits(d.hGivenInit)}, within a noise stream ${bits(d.hGivenNoise)}`,
      `  init share  ${pct(d.initShare)}  [${pct(d.initShareInterval.low)}, ${pct(d.initShareInterval.high)}]`,
      `  noise share ${pct(d.noiseShare)}  [${pct(d.noiseShareInterval.low)}, ${pct(d.noiseShareInterval.high)}]   (95% crossed bootstrap, ${resamples} resamples)`,
      `  with the cells shuffled (no structure at all) the same estimator gives ${pct(d.shuffledShare.init)} and ${pct(d.shuffledShare.noise)}: a share near these is no evidence`,
      `  ${split} of ${inits} inits have no class at 90% of their noise streams`,
    ].join('\n'),
  );
}
