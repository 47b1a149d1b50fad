import type { Command } from 'commander';
import type { Spread } from '../../core/maths/classSpread';
import { CancelledError } from '../../core/errors';
import {
  geometryByClass,
  geometryFields,
  geometrySummaryJson,
  measureGeometry,
  type GeometryStage,
} from '../../core/instruments/geometry/geometry';
import { parseLlcSettings, type LlcFlags } from '../../core/instruments/llc/llcAnalysis';
import { parseSharpnessSettings } from '../../core/instruments/sharpness/sharpnessSettings';
import { parseWidthSettings } from '../../core/instruments/width/width';
import { parseNumber } from '../../core/config';
import { summariseOutcomes, trainResult } from '../../core/results';
import { resolveMeasured } from '../measured';
import { DIRECTION_SEED } from './width';
import { ProgressBar } from '../progress';
import { inputFileFields, type FlagValues } from '../resolve';
import { describeRun, deviceLine } from '../summary';
import type { CommandContext } from './context';
import { llcOptions } from './llc';
import { MAX_SHARPNESS_PARTICLES, sharpnessOptions, type SharpnessFlags } from './sharpness';
import { widthOptions, type WidthFlags } from './width';

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
export async function runGeometry(raw: FlagValues & GeometryFlags, ctx: CommandContext): Promise<void> {
  // --params or --particles past the limit, named by the flag given
  const resolved = await resolveMeasured(raw, MAX_SHARPNESS_PARTICLES, ctx.signal);
  const { run } = resolved;
  const widthSettings = parseWidthSettings(raw);
  // checked even with --skip-llc: a flag given is a flag checked, used or not
  const llcChecked = parseLlcSettings(raw, run.task.train.rows);
  const settings = {
    sharpness: parseSharpnessSettings(raw, run.config.seed),
    width: widthSettings,
    directionSeed: raw.directionSeed !== undefined ? parseNumber(DIRECTION_SEED, raw.directionSeed) : run.config.seed,
    llc: raw.skipLlc ? undefined : llcChecked,
  };
  ctx.checkOutputs(raw);
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const options = { signal: ctx.signal };
  const ensemble = await ctx.ensemble(raw, resolved, e, options);

  const bars = new StageBars();
  const m = await measureGeometry(e, run, ensemble, settings, { ...options, onProgress: bars.update });
  // the sandbox keeps a stopped LLC's sharpness and width; the command line writes all or nothing
  if (m.cancelledStage) throw new CancelledError();
  bars.done();
  const llc = m.llc;
  const seconds = (performance.now() - t0) / 1000;

  const base = trainResult(run, e.kind, e.device, seconds, ensemble);
  const fields = geometryFields(m);
  const json = {
    ...base,
    kind: 'geometry',
    ...inputFileFields(raw),
    ...fields.blocks,
    geometry: geometrySummaryJson(m, base.counts, base.fractions),
    particles: base.particles.map((p, i) => ({ ...p, ...fields.perParticle[i] })),
  };
  const summary = summariseOutcomes(ensemble.classes, ensemble.outcomes);
  const byClass = geometryByClass(m);
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

const BAR_LABELS: Record<GeometryStage, string> = { sharpness: 'sharpness', width: 'width', llc: 'SGLD chains' };

/** One progress bar per stage, the next started as the chain reaches it. */
class StageBars {
  private stage: GeometryStage | undefined;
  private bar: ProgressBar | undefined;
  readonly update = (stage: GeometryStage, fraction: number): void => {
    if (stage !== this.stage) {
      this.bar?.done();
      [this.stage, this.bar] = [stage, new ProgressBar(BAR_LABELS[stage])];
    }
    this.bar!.update(fraction);
  };
  done(): void {
    this.bar?.done();
  }
}
