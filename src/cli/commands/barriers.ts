import type { Command } from 'commander';
import {
  BARRIER_FIELDS,
  barrierAnalysis,
  DEFAULT_BARRIER_SETTINGS,
  MAX_BARRIER_PARTICLES,
  resolveBarrierSettings,
  type BarrierAnalysis,
} from '../../core/instruments/barriers/barrierAnalysis';
import { barrierFields } from '../../core/instruments/barriers/barrierJson';
import { summariseOutcomes, trainResult } from '../../core/results';
import { resolveMeasured } from '../measured';
import type { CommandContext } from './context';
import { ProgressBar } from '../progress';
import { inputFileFields, type FlagValues } from '../resolve';
import { describeRun, deviceLine, outcomeTable } from '../summary';

export interface BarrierFlags {
  points?: string;
  clusters?: string;
  minBarrier?: string;
  align?: boolean;
  set?: string;
}

export const BARRIERS_SUMMARY = `loss barriers along straight lines between every pair of particles (at most ${MAX_BARRIER_PARTICLES}), clustered`;

export function barrierOptions(cmd: Command): Command {
  const b = BARRIER_FIELDS;
  const d = DEFAULT_BARRIER_SETTINGS;
  return cmd
    .option(
      '--points <n>',
      `evenly spaced points per line before refinement around its highest, ends included, ${b.points.min} to ${b.points.max} (default ${d.points})`,
    )
    .option('--clusters <k>', 'number of clusters (default: chosen by the data, at the largest gap in the dendrogram)')
    .option('--align', "match each pair's hidden units by weight matching (Ainsworth et al. 2023) before drawing the line")
    .option('--set <train|NAME>', 'the set whose loss is measured along the lines: train (default) or a probe set of the task')
    .option('--min-barrier <nats>', `the smallest merge height that may split clusters when the data chooses (default ${d.minBarrier})`);
}

const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');

function summaryTable(a: BarrierAnalysis): string {
  const rows = Object.entries(a.summary).map(
    ([key, s]) =>
      `  ${key.padEnd(24)}${String(s.pairs).padStart(8)}${fixed(s.mean).padStart(9)}${fixed(s.sd).padStart(8)}${fixed(s.median).padStart(9)}`,
  );
  const { lo, hi } = a.ariInterval;
  const interval = Number.isFinite(lo) ? ` (95% bootstrap interval over particles ${lo.toFixed(3)} to ${hi.toFixed(3)})` : '';
  const ari = Number.isFinite(a.ari)
    ? `${a.ari.toFixed(3)}${interval}`
    : 'undefined (one class or one cluster, or no two particles share a class or a cluster)';
  return [
    `  ${'barrier (nats) within | between'.padEnd(24)}${'pairs'.padStart(8)}${'mean'.padStart(9)}${'sd'.padStart(8)}${'median'.padStart(9)}`,
    ...rows,
    `  ${a.clustering.clusters} clusters (average linkage, ${a.clustering.chosenBy.startsWith('given') ? 'given' : 'chosen by the largest gap'}); adjusted Rand index with the outcomes ${ari}${a.clustering.leftOut ? `; ${a.clustering.leftOut} diverged particles left out` : ''}`,
  ].join('\n');
}

/** `basin-atlas barriers`: train (as train does) or read --params, then the loss barrier between every pair of particles. */
export async function runBarriers(raw: FlagValues & BarrierFlags, ctx: CommandContext): Promise<void> {
  // --params or --particles past the limit, named by the flag given
  const resolved = await resolveMeasured(raw, MAX_BARRIER_PARTICLES, ctx.signal);
  const { run } = resolved;
  const probes = run.task.probes.map((probe) => probe.name);
  const settings = resolveBarrierSettings(raw, run.config.particles, probes);
  ctx.checkOutputs(raw);
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const ensemble = await ctx.ensemble(raw, resolved, e, { signal: ctx.signal });
  const lineBar = new ProgressBar('barriers');
  const analysis = await barrierAnalysis(e, run, ensemble, settings, { signal: ctx.signal, onProgress: lineBar.update });
  lineBar.done();
  const seconds = (performance.now() - t0) / 1000;
  const m = run.config.particles;
  const json = {
    ...trainResult(run, e.kind, e.device, seconds, ensemble),
    kind: 'barriers',
    ...inputFileFields(raw),
    ...barrierFields(analysis),
  };
  ctx.emit(
    raw,
    json,
    [
      describeRun(
        run,
        `${m} particles, barriers along ${(m * (m - 1)) / 2} lines at ${settings.points} points, refined around each line's highest${settings.align ? ', hidden units aligned' : ''}, loss on ${analysis.set}`,
      ),
      deviceLine(e.kind, e.device, seconds),
      outcomeTable(summariseOutcomes(ensemble.classes, ensemble.outcomes)),
      summaryTable(analysis),
    ].join('\n'),
  );
}
