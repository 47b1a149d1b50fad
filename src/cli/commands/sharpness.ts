import type { Command } from 'commander';
import { RELU_CAVEAT, sharpnessFields } from '../../core/instruments/geometry/geometryJson';
import { measureSharpness, type SharpnessResult } from '../../core/instruments/sharpness/sharpness';
import {
  DEFAULT_SHARPNESS,
  parseSharpnessSettings,
  SHARPNESS_FIELDS,
  type SharpnessSettings,
} from '../../core/instruments/sharpness/sharpnessSettings';
import { sharpnessByClass, type SharpnessStats } from '../../core/instruments/sharpness/sharpnessSummary';
import { describeRange } from '../../core/config';
import { summariseOutcomes, trainResult } from '../../core/results';
import { resolveMeasured } from '../measured';
import type { CommandContext } from './context';
import { ProgressBar } from '../progress';
import { inputFileFields, type FlagValues } from '../resolve';
import { describeRun, deviceLine, outcomeTable } from '../summary';

export interface SharpnessFlags {
  maxIter?: string;
  tol?: string;
  trace?: boolean;
  traceSamples?: string;
}

/** The host keeps a float64 vector per particle and sends two float32 points each per call: bounded. */
export const MAX_SHARPNESS_PARTICLES = 65536;

export const SHARPNESS_SUMMARY = `each particle's top Hessian eigenvalue of the training loss, by power iteration (at most ${MAX_SHARPNESS_PARTICLES} particles)`;

/** The power iteration's flags; the trace's too where the command offers it. */
export function sharpnessOptions(cmd: Command, { trace }: { trace: boolean }): Command {
  const f = SHARPNESS_FIELDS;
  const d = DEFAULT_SHARPNESS;
  cmd
    .option('--max-iter <n>', `most Hessian-vector products per particle, ${describeRange(f.maxIter)} (default ${d.maxIter})`)
    .option('--tol <number>', `stop when vᵀHv changes by less than this, relative, ${describeRange(f.tol)} (default ${d.tol})`);
  if (!trace) return cmd;
  return cmd
    .option('--trace', "also estimate the Hessian's trace (Hutchinson, Rademacher vectors), with its standard error")
    .option('--trace-samples <n>', `vectors per particle for --trace, ${describeRange(f.traceSamples)} (default ${d.traceSamples})`);
}

const short = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : '—');

function summaryTable(summary: Record<string, SharpnessStats>, r: SharpnessResult, settings: SharpnessSettings): string {
  const trace = r.trace !== undefined;
  const head = `  ${'top eigenvalue'.padEnd(14)}${'particles'.padStart(10)}${'converged'.padStart(11)}${'median'.padStart(11)}   ${'IQR'.padEnd(22)}${trace ? 'median trace'.padStart(13) : ''}`;
  const rows = Object.entries(summary).map(
    ([c, s]) =>
      `  ${c.padEnd(14)}${String(s.particles).padStart(10)}${String(s.converged).padStart(11)}${short(s.median).padStart(11)}   ${`[${short(s.q1)}, ${short(s.q3)}]`.padEnd(22)}${trace ? short(s.traceMedian ?? NaN).padStart(13) : ''}`,
  );
  const measured = r.iterations.filter((n) => n > 0).length;
  const unconverged = measured - r.converged.filter(Boolean).length;
  const skipped = r.iterations.length - measured;
  const notes = [
    `  ${unconverged} of ${measured} measured particles did not converge within ${settings.maxIter} iterations (tol ${settings.tol}): no eigenvalue reported for them, left out of the medians`,
  ];
  if (skipped > 0)
    notes.push(
      `  ${skipped} particles were not measured (non-finite parameters, or too large for the difference steps): sharpnessProblem in the JSON`,
    );
  return [head, ...rows, ...notes].map((line) => line.trimEnd()).join('\n');
}

/** `basin-atlas sharpness`: train (as train does) or read --params, then each particle's top Hessian eigenvalue. */
export async function runSharpness(raw: FlagValues & SharpnessFlags, ctx: CommandContext): Promise<void> {
  // --params or --particles past the limit, named by the flag given
  const resolved = await resolveMeasured(raw, MAX_SHARPNESS_PARTICLES, ctx.signal);
  const { run } = resolved;
  const settings = parseSharpnessSettings(raw, run.config.seed);
  ctx.checkOutputs(raw);
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const ensemble = await ctx.ensemble(raw, resolved, e, { signal: ctx.signal });
  const bar = new ProgressBar('sharpness');
  const problem = { layout: run.layout, task: run.task, params: ensemble.params, firstParticle: run.config.firstParticle };
  const result = await measureSharpness(e, problem, settings, { signal: ctx.signal, onProgress: bar.update });
  bar.done();
  const seconds = (performance.now() - t0) / 1000;
  const summary = sharpnessByClass(result, ensemble.classes, ensemble.outcomes);
  const relu = run.layout.activation === 'relu';
  const { perParticle, ...fields } = sharpnessFields(result, settings, summary, relu);
  const base = trainResult(run, e.kind, e.device, seconds, ensemble);
  const json = {
    ...base,
    kind: 'sharpness',
    ...inputFileFields(raw),
    ...fields,
    particles: base.particles.map((p, i) => ({ ...p, ...perParticle[i] })),
  };
  const m = run.config.particles;
  ctx.emit(
    raw,
    json,
    [
      describeRun(
        run,
        `${m} particles, top Hessian eigenvalue by power iteration${settings.trace ? `, trace from ${settings.traceSamples} samples` : ''}`,
      ),
      deviceLine(e.kind, e.device, seconds),
      outcomeTable(summariseOutcomes(ensemble.classes, ensemble.outcomes)),
      summaryTable(summary, result, settings),
      ...(relu ? [`  note: ${RELU_CAVEAT}`] : []),
    ].join('\n'),
  );
}
