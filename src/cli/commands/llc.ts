import type { Command } from 'commander';
import {
  DEFAULT_LLC_SETTINGS,
  LLC_FIELDS,
  llcAnalysis,
  parseLlcSettings,
  type LlcAnalysis,
  type LlcFlags,
} from '../../core/instruments/llc/llcAnalysis';
import { describeRange } from '../../core/config';
import { llcFields } from '../../core/instruments/geometry/geometryJson';
import { summariseOutcomes, trainResult } from '../../core/results';
import { resolveMeasured } from '../measured';
import type { CommandContext } from './context';
import { ProgressBar } from '../progress';
import { inputFileFields, type FlagValues } from '../resolve';
import { describeRun, deviceLine, outcomeTable } from '../summary';

export const LLC_SUMMARY = 'local learning coefficient of every particle, from SGLD chains localised at its trained parameters';

export function llcOptions(cmd: Command): Command {
  const l = LLC_FIELDS;
  const d = DEFAULT_LLC_SETTINGS;
  return cmd
    .option(
      '--llc-eps <number|auto>',
      `SGLD step size ε, ${describeRange(l.eps)}, or "auto": per particle from its top Hessian eigenvalue (default ${d.eps})`,
    )
    .option('--llc-gamma <number>', `localisation strength γ, ${describeRange(l.gamma)} (default ${d.gamma})`)
    .option('--llc-beta <number>', `nβ itself (inverse temperature × n), ${describeRange(l.nbeta)} (default n / log n, n = training rows)`)
    .option('--chains <n>', `SGLD chains per particle, ${describeRange(l.chains)} (default ${d.chains})`)
    .option('--burnin <n>', `steps per chain before the draws, ${describeRange(l.burnin)} (default ${d.burnin})`)
    .option('--draws <n>', `steps per chain whose loss is recorded, ${describeRange(l.draws)} (default ${d.draws})`)
    .option('--llc-batch <n|full>', `rows per SGLD step, drawn with replacement, or "full" (default ${d.batch})`);
}

const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

/** The step size in words: one ε, or the range chosen per particle. */
function epsText(a: LlcAnalysis): string {
  if (!a.topEigenvalue) return String(a.sgld.eps);
  const finite = Array.from(a.epsByParticle).filter(Number.isFinite);
  return `auto, ${Math.min(...finite).toExponential(1)} to ${Math.max(...finite).toExponential(1)} by particle (llcEps in the JSON)`;
}

/** Per-class median and interquartile range of the LLC, and how many particles have no meaningful estimate. */
function llcTable(a: LlcAnalysis, particles: number, parameters: number): string {
  const rows = Object.entries(a.byClass)
    .filter(([, s]) => s.count > 0)
    .map(
      ([name, s]) =>
        `  ${name.padEnd(24)}${String(s.count).padStart(8)}${fixed(s.median).padStart(9)}${`${fixed(s.q1)}–${fixed(s.q3)}`.padStart(15)}`,
    );
  const problems =
    a.problems === 0
      ? 'every particle has a meaningful estimate'
      : `${a.problems} of ${particles} particles have a problem (llcProblem in the JSON): left out above`;
  return [
    `  ${'local learning coeff.'.padEnd(24)}${'counted'.padStart(8)}${'median'.padStart(9)}${'IQR'.padStart(15)}`,
    ...rows,
    `  d/2 = ${parameters / 2} for this model; ${problems}`,
    `  SGLD: ε ${epsText(a)}, γ ${a.sgld.gamma}, nβ ${a.sgld.nbeta.toFixed(2)}, ${a.sgld.chains} chains × (${a.sgld.burnin} burn-in + ${a.sgld.draws} draws), batch ${a.sgld.batch}`,
  ].join('\n');
}

/** `basin-atlas llc`: train (as train does) or read --params, then the local learning coefficient of every particle. */
export async function runLlc(raw: FlagValues & LlcFlags, ctx: CommandContext): Promise<void> {
  const resolved = await resolveMeasured(raw, undefined, ctx.signal);
  const { run } = resolved;
  const settings = parseLlcSettings(raw, run.task.train.rows);
  ctx.checkOutputs(raw);
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const ensemble = await ctx.ensemble(raw, resolved, e, { signal: ctx.signal });
  const bar = new ProgressBar('SGLD chains');
  const analysis = await llcAnalysis(e, run, ensemble, settings, { signal: ctx.signal, onProgress: bar.update });
  bar.done();
  const seconds = (performance.now() - t0) / 1000;
  const base = trainResult(run, e.kind, e.device, seconds, ensemble);
  const { llc, perParticle } = llcFields(analysis, settings, run.task.train.rows);
  const json = {
    ...base,
    kind: 'llc',
    ...inputFileFields(raw),
    llc,
    particles: base.particles.map((p, i) => ({ ...p, ...perParticle[i] })),
  };
  const { sgld } = analysis;
  const m = run.config.particles;
  ctx.emit(
    raw,
    json,
    [
      describeRun(run, `${m} particles, local learning coefficient from ${sgld.chains} SGLD chains each`),
      deviceLine(e.kind, e.device, seconds),
      outcomeTable(summariseOutcomes(ensemble.classes, ensemble.outcomes)),
      llcTable(analysis, m, base.model.parameters),
    ].join('\n'),
  );
}
