import type { Command } from 'commander';
import { spreadByClass, type Spread } from '../../core/analysis/classSpread';
import { crossingValue, llcFields, sharpnessFields, widthFields } from '../../core/analysis/geometryJson';
import { llcAnalysis, parseLlcSettings, type LlcFlags } from '../../core/analysis/llcAnalysis';
import { measureSharpness } from '../../core/analysis/sharpness';
import { parseSharpnessSettings } from '../../core/analysis/sharpnessSettings';
import { sharpnessByClass } from '../../core/analysis/sharpnessSummary';
import { parseWidthSettings, widthAnalysis } from '../../core/analysis/width';
import { parseNumber } from '../../core/config';
import { summariseOutcomes, trainResult } from '../../core/results';
import { resolveMeasured } from '../measured';
import { DIRECTION_SEED } from './width';
import { ProgressBar } from '../progress';
import { inputFileFields, type RawOptions } from '../resolve';
import { describeRun, deviceLine } from '../summary';
import type { CommandContext } from './context';
import { llcOptions } from './llc';
import { MAX_SHARPNESS_PARTICLES, sharpnessOptions, type SharpnessFlags } from './sharpness';
import { spreadJson, widthOptions, type WidthFlags } from './width';

export const GEOMETRY_SUMMARY =
  'per outcome class: its share and the median and IQR of top Hessian eigenvalue, width (r50) and local learning coefficient';

export function geometryOptions(cmd: Command): Command {
  return llcOptions(widthOptions(sharpnessOptions(cmd, { trace: false }))).option(
    '--skip-llc',
    'leave the local learning coefficient out: its SGLD chains take most of the time (thousands of steps per chain)',
  );
}

export interface GeometryFlags extends SharpnessFlags, WidthFlags, LlcFlags {
  skipLlc?: boolean;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const short = (x: number) => (x === Infinity ? '∞' : Number.isFinite(x) ? x.toPrecision(3) : '—');

/** One row per class with particles: count, share [Wilson], then median [q1, q3] of each measurement. */
function geometryTable(
  counts: Record<string, number>,
  fractions: Record<string, { fraction: number; low: number; high: number }>,
  columns: [string, Record<string, Spread>][],
): string {
  const head = `  ${'class'.padEnd(14)}${'n'.padStart(6)}   ${'share [95%]'.padEnd(24)}${columns.map(([name]) => name.padEnd(28)).join('')}`;
  const rows = Object.keys(counts)
    .filter((c) => counts[c] > 0)
    .map((c) => {
      const f = fractions[c];
      const share = `${pct(f.fraction)} [${pct(f.low)}, ${pct(f.high)}]`;
      const cells = columns.map(([, by]) => {
        const s = by[c];
        return (s ? `${short(s.median)} [${short(s.q1)}, ${short(s.q3)}]${s.few ? '*' : ''}` : '—').padEnd(28);
      });
      return `  ${c.padEnd(14)}${String(counts[c]).padStart(6)}   ${share.padEnd(24)}${cells.join('')}`.trimEnd();
    });
  return [head.trimEnd(), ...rows, '  median [interquartile range] per class; * fewer than 5 particles with a value'].join('\n');
}

/**
 * `basin-atlas geometry`: the question the measurements answer together. One ensemble (trained,
 * or --params), then sharpness, width and LLC of every particle, summarised per outcome class, so
 * a reader can see whether the class more seeds find is the flatter, wider, lower-LLC one.
 */
export async function runGeometry(raw: RawOptions & GeometryFlags, ctx: CommandContext): Promise<void> {
  // --params or --particles past the limit, named by the flag given
  const resolved = resolveMeasured(raw, MAX_SHARPNESS_PARTICLES);
  const { run } = resolved;
  const sharpnessSettings = parseSharpnessSettings(raw, run.config.seed);
  const widthSettings = parseWidthSettings(raw);
  const directionSeed = raw.directionSeed !== undefined ? parseNumber(DIRECTION_SEED, raw.directionSeed) : run.config.seed;
  // checked even with --skip-llc: a flag given is a flag checked, used or not
  const llcChecked = parseLlcSettings(raw, run.task.train.rows);
  const llcSettings = raw.skipLlc ? undefined : llcChecked;
  ctx.checkOutputs(raw);
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const options = { signal: ctx.signal };
  const ensemble = await ctx.ensemble(raw, resolved, e, options);

  const sharpBar = new ProgressBar('sharpness');
  const problem = { layout: run.layout, task: run.task, params: ensemble.params, firstParticle: run.config.firstParticle };
  const sharp = await measureSharpness(e, problem, sharpnessSettings, { ...options, onProgress: sharpBar.update });
  sharpBar.done();
  const widthBar = new ProgressBar('width');
  const width = await widthAnalysis(e, run, ensemble, widthSettings, directionSeed, { ...options, onProgress: widthBar.update });
  widthBar.done();
  let llc: Awaited<ReturnType<typeof llcAnalysis>> | undefined;
  if (llcSettings) {
    const llcBar = new ProgressBar('SGLD chains');
    // ε 'auto' reads the top eigenvalue just measured instead of measuring it again
    llc = await llcAnalysis(e, run, ensemble, llcSettings, { ...options, onProgress: llcBar.update }, sharp);
    llcBar.done();
  }
  const seconds = (performance.now() - t0) / 1000;

  const { classes, outcomes } = ensemble;
  const byClass = {
    topEigenvalue: spreadByClass(sharp.topEigenvalue, outcomes, classes),
    r50: spreadByClass(
      width.particles.map((p) => crossingValue(p?.r50)),
      outcomes,
      classes,
    ),
    // estimates with a problem (llcProblem) are left out, as the llc command's summary leaves them out
    llc:
      llc &&
      spreadByClass(
        Array.from(llc.estimate.llc, (x, i) => (llc.estimate.problems[i] === undefined ? x : NaN)),
        outcomes,
        classes,
      ),
  };
  const base = trainResult(run, e.kind, e.device, seconds, ensemble);
  const relu = run.layout.activation === 'relu';
  const { perParticle: sharpParticles, sharpness } = sharpnessFields(
    sharp,
    sharpnessSettings,
    sharpnessByClass(sharp, classes, outcomes),
    relu,
  );
  const widthJson = widthFields(width);
  const bounds = { below: `< ${widthSettings.rMin}`, beyond: `> ${widthSettings.rMax}` };
  const spreads = {
    topEigenvalue: spreadJson(byClass.topEigenvalue),
    r50: spreadJson(byClass.r50, bounds),
    llc: byClass.llc && spreadJson(byClass.llc),
  };
  const llcJson = llc && llcSettings && llcFields(llc, llcSettings, run.task.train.rows);
  const json = {
    ...base,
    kind: 'geometry',
    ...inputFileFields(raw),
    sharpness,
    width: widthJson.width,
    ...(llcJson ? { llc: llcJson.llc } : {}),
    geometry: {
      byClass: Object.fromEntries(
        classes
          .filter((c) => base.counts[c] > 0)
          .map((c) => [
            c,
            {
              count: base.counts[c],
              share: base.fractions[c],
              // null: no particle of the class has a value (diverged, or none converged)
              topEigenvalue: spreads.topEigenvalue[c] ?? null,
              r50: spreads.r50[c] ?? null,
              ...(spreads.llc ? { llc: spreads.llc[c] ?? null } : {}),
            },
          ]),
      ),
    },
    particles: base.particles.map((p, i) => ({ ...p, ...sharpParticles[i], ...widthJson.particles[i], ...llcJson?.perParticle[i] })),
  };
  const summary = summariseOutcomes(classes, outcomes);
  ctx.emit(
    raw,
    json,
    [
      describeRun(
        run,
        `${run.config.particles} particles: top Hessian eigenvalue, width over ${widthSettings.directions} directions${llc ? `, LLC from ${llc.sgld.chains} SGLD chains` : ''}`,
      ),
      deviceLine(e.kind, e.device, seconds),
      geometryTable(summary.counts, summary.fractions, [
        ['top eigenvalue', byClass.topEigenvalue],
        ['r50', byClass.r50],
        ...(byClass.llc ? [['LLC', byClass.llc] as [string, Record<string, Spread>]] : []),
      ]),
      ...(llc
        ? [`  LLC: ${llc.problems} particles with a problem left out (llcProblem in the JSON); d/2 = ${base.model.parameters / 2}`]
        : []),
    ].join('\n'),
  );
}
