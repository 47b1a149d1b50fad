import type { Command } from 'commander';
import { comparePriorAndSgd, type PriorComparison } from '../../core/instruments/prior/prior';
import { priorFields } from '../../core/instruments/prior/priorJson';
import { priorScatterPicture } from '../../core/instruments/prior/priorPicture';
import { MAX_PRIOR_SAMPLES, samplePrior, trainedFunctions } from '../../core/instruments/prior/priorRun';
import { domainRows, priorProblem } from '../../core/instruments/prior/priorSampler';
import { MAX_PARTICLES, parseNumber, type NumberSpec } from '../../core/config';
import { UserError } from '../../core/errors';
import { trainResult } from '../../core/results';
import type { Fraction } from '../../core/stats';
import { checkOutputs, emitWithPicture } from '../outputs';
import { ProgressBar } from '../progress';
import { inputFileFields, inputFiles, refuseParticleFlags, resolveRun, type FlagValues } from '../resolve';
import { describeRun, deviceLine, si } from '../summary';
import type { CommandContext } from './context';

export interface PriorFlags {
  samples?: string;
  sgd?: string;
  png?: string;
}

const FIELDS = {
  samples: { flag: '--samples', label: 'prior samples', integer: true, min: 1, max: MAX_PRIOR_SAMPLES },
  sgd: { flag: '--sgd', label: 'SGD particles', integer: true, min: 1, max: MAX_PARTICLES },
} as const satisfies Record<string, NumberSpec>;

const DEFAULT_SAMPLES = 1 << 20;
/** --sgd's default follows the accepted count (equal sample sizes on both sides), up to this */
const DEFAULT_SGD_MAX = 4096;

export const PRIOR_SUMMARY =
  'prior vs SGD: how often each function appears among init samples that fit the training set, and among trained networks';

export function priorOptions(cmd: Command): Command {
  return cmd
    .option('--samples <n>', `parameter vectors drawn from the init distribution, 1 to ${MAX_PRIOR_SAMPLES} (default ${DEFAULT_SAMPLES})`)
    .option(
      '--sgd <n>',
      `SGD particles to train, 1 to ${MAX_PARTICLES} (default: as many as prior samples were accepted, at most ${DEFAULT_SGD_MAX})`,
    )
    .option('--png <file.png>', 'draw log10 P_SGD(f) against log10 P_prior(f), one point per function both found');
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 ? 4 : 1)}%`;
const share = (f: Fraction) => `${pct(f.fraction)} [${pct(f.low)}, ${pct(f.high)}]`;

function functionTable(c: PriorComparison, top: number): string {
  const rows = c.functions.slice(0, top).map((f) => {
    const err = Number.isFinite(f.generalisationError) ? f.generalisationError.toFixed(3) : '—';
    return `  ${f.bits}  ${err.padStart(6)}${String(f.priorCount).padStart(10)}${String(f.sgdCount).padStart(8)}`;
  });
  const width = c.functions[0]?.bits.length ?? 8;
  const more = c.functions.length > top ? [`  … and ${c.functions.length - top} more (all in the JSON)`] : [];
  return [`  ${'function (hex)'.padEnd(width)}  ${'error'.padStart(6)}${'prior'.padStart(10)}${'SGD'.padStart(8)}`, ...rows, ...more].join(
    '\n',
  );
}

/** `basin-atlas prior`: rejection samples from the init distribution against trained networks, function by function. */
export async function runPrior(raw: FlagValues & PriorFlags, ctx: CommandContext): Promise<void> {
  refuseParticleFlags(raw, 'prior', 'it trains particles 0..N−1 of --seed, N set by --sgd');
  const samples = raw.samples === undefined ? DEFAULT_SAMPLES : parseNumber(FIELDS.samples, raw.samples);
  const sgdGiven = raw.sgd === undefined ? undefined : parseNumber(FIELDS.sgd, raw.sgd);
  const { run } = await resolveRun(raw, undefined, ctx.signal);
  if (run.config.initDist === 'meanfield')
    throw new UserError(
      raw.initDist !== undefined
        ? '--init-dist must be default or gaussian for prior, got "meanfield"'
        : `prior samples the default or gaussian init; ${run.config.task}'s own init is meanfield: give --init-dist default or gaussian`,
    );
  const problem = priorProblem(run.layout, run.task, run.config.initDist);
  if (problem) throw new UserError(`--task: ${problem}`);
  ctx.checkOutputs(raw);
  if (raw.png !== undefined)
    checkOutputs([...(raw.out !== undefined ? [{ flag: '--out', path: raw.out }] : []), { flag: '--png', path: raw.png }], inputFiles(raw));
  const e = await ctx.withEngine(raw);
  const options = { signal: ctx.signal };
  const t0 = performance.now();
  const priorBar = new ProgressBar(`prior: ${si(samples)} samples`);
  const prior = await samplePrior(e, run, samples, { ...options, onProgress: priorBar.update });
  priorBar.done();
  const priorSeconds = (performance.now() - t0) / 1000;
  const sgdCount = sgdGiven ?? Math.min(DEFAULT_SGD_MAX, Math.max(1, prior.accepted.length));
  const sgdBar = new ProgressBar(`training ${sgdCount} SGD particles`);
  const sgd = await trainedFunctions(e, run, sgdCount, { ...options, onProgress: sgdBar.update });
  sgdBar.done();
  const seconds = (performance.now() - t0) / 1000;
  const c = comparePriorAndSgd(run.task, samples, prior, sgd, sgdCount, run.config.seed);
  const sgdRun = { ...run, config: { ...run.config, particles: sgdCount } };
  const { particles: _, ...base } = trainResult(sgdRun, e.kind, e.device, seconds, sgd.ensemble);
  const rows = domainRows(run.task);
  const errorOn = run.task.probes[0]?.name;
  const json = {
    ...base,
    kind: 'prior',
    ...inputFileFields(raw),
    priorSeconds,
    ...priorFields(c, rows, errorOn),
  };
  const both = c.functionCounts.both;
  const lines = [
    describeRun(sgdRun, `${samples} prior samples (${run.config.initDist} init) · ${sgdCount} SGD particles`),
    deviceLine(e.kind, e.device, seconds, `prior ${si(samples / priorSeconds)} samples/s`),
    `  prior: ${c.accepted} of ${samples} samples fit the training set: ${share(c.acceptance)} (95% Wilson)`,
    `  SGD:   ${c.sgdFitted} of ${sgdCount} particles fit it: ${share(c.sgdFit)}`,
    `  ${c.functions.length} distinct functions on the ${rows} rows: ${both} found by both, ${c.functionCounts.priorOnly} by the prior only, ${c.functionCounts.sgdOnly} by SGD only`,
    ...(c.sgdOnPriorFunctions ? [`  SGD particles whose function the prior also found: ${share(c.sgdOnPriorFunctions)}`] : []),
    ...(c.correlation
      ? [
          `  log P_SGD(f) vs log P_prior(f) over the ${c.correlation.functions} functions both found: r = ${c.correlation.value.toFixed(2)} [${c.correlation.low.toFixed(2)}, ${c.correlation.high.toFixed(2)}], Spearman ρ = ${c.correlation.spearman.value.toFixed(2)} [${c.correlation.spearman.low.toFixed(2)}, ${c.correlation.spearman.high.toFixed(2)}] (95% bootstrap over functions)`,
        ]
      : []),
    ...(errorOn ? [`  error: generalisation error on the probe "${errorOn}"`] : []),
    ...(['prior', 'sgd'] as const).flatMap((side) => {
      const m = c.meanError[side];
      const name = side === 'prior' ? 'prior samples' : 'SGD particles';
      return m
        ? [
            `  mean error of the ${name}: ${m.value.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}] (95% ${m.method}, ${m.networks} networks)`,
          ]
        : [];
    }),
    functionTable(c, 10),
    ...c.problems.map((p) => `  cannot answer: ${p}`),
  ];
  emitWithPicture(
    (more) => ctx.emit(raw, json, lines.join('\n'), more),
    raw,
    () => priorScatterPicture({ functions: json.functions, accepted: c.accepted, sgdFitted: c.sgdFitted, caption: scatterCaption(run, c) }),
  );
}

/** The picture's lines of text: the setting, the counts, the correlation or why there is none. */
export function scatterCaption(
  run: { config: { task: string; knobs: Record<string, number>; hidden: readonly number[] } },
  c: PriorComparison,
): string[] {
  const knobs = Object.entries(run.config.knobs)
    .map(([k, v]) => `${k.toLowerCase()} ${v}`)
    .join(', ');
  const r = c.correlation;
  return [
    `${run.config.task} (${knobs})`,
    `hidden ${run.config.hidden.join('-')}`,
    `prior: ${c.accepted} of ${c.samples} samples fit`,
    `sgd: ${c.sgdFitted} of ${c.sgdParticles} networks fit`,
    `functions: ${c.functionCounts.both} found by both (plotted)`,
    `${c.functionCounts.priorOnly} by the prior only, ${c.functionCounts.sgdOnly} by sgd only`,
    ...(r
      ? [
          `pearson r ${r.value.toFixed(2)} (${r.low.toFixed(2)}, ${r.high.toFixed(2)})`,
          `spearman ${r.spearman.value.toFixed(2)} (${r.spearman.low.toFixed(2)}, ${r.spearman.high.toFixed(2)}), 95 percent bootstrap`,
        ]
      : ['no correlation estimated (the json says why)']),
  ];
}
