import { printable } from '../core/describe';
import { quantiles } from '../core/stats';
import type { OutcomeSummary } from '../core/results';
import type { Run } from '../core/runs';
import type { RunConfig } from '../core/config';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function describeRun(run: Run, what: string): string {
  return describeConfig(run.config, run.task.name, run.layout.widths, what, run.task.loss === 'mse');
}

/** describeRun's two lines from what a results file records: its config, task name and model widths. */
export function describeConfig(c: RunConfig, taskName: string, widths: readonly number[], what: string, mse = false): string {
  const betas = c.beta1 !== undefined && (c.beta1 !== 0.9 || c.beta2 !== 0.999) ? ` β (${c.beta1}, ${c.beta2})` : '';
  const opt =
    c.optimizer === 'momentum' ? `momentum ${c.momentum}` : c.optimizer.startsWith('adam') ? `${c.optimizer}${betas}` : c.optimizer;
  const model = `${widths.join('-')} ${c.activation}${c.bias === false ? ' no bias' : ''}${mse ? ' mse' : ''}`;
  const layers = c.lrScale?.some((s) => s !== 1) ? ` (layers × ${c.lrScale.join(', ')})` : '';
  return [
    `${printable(taskName)} · ${model} · ${opt} lr ${c.lr}${layers} batch ${c.batch}${c.weightDecay ? ` wd ${c.weightDecay}` : ''} · ${c.steps} steps`,
    `${what} · init seed ${c.seed}, noise seed ${c.noiseSeed}${c.firstParticle ? `, first particle ${c.firstParticle}` : ''} · init scale ${c.initScale}${c.initDist && c.initDist !== 'default' ? ` (${c.initDist})` : ''}`,
  ].join('\n');
}

export function outcomeTable(summary: OutcomeSummary): string {
  const rows = summary.classes.map((c) => {
    const f = summary.fractions[c];
    return `  ${c.padEnd(14)}${String(summary.counts[c]).padStart(8)}${pct(f.fraction).padStart(9)}   [${pct(f.low)}, ${pct(f.high)}]`;
  });
  return [`  ${'outcome'.padEnd(14)}${'count'.padStart(8)}${'share'.padStart(9)}   95% interval (Wilson)`, ...rows].join('\n');
}

export function deviceLine(engine: string, device: string, seconds: number, rate?: string): string {
  return `${engine === 'gpu' ? 'GPU' : 'CPU'} engine on ${device} · ${seconds.toFixed(1)} s${rate ? ` · ${rate}` : ''}`;
}

/** "12.3 k" style numbers for rates */
export function si(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

/** One line per set: how many particles reached the threshold, and the median step with its 10–90% spread. */
/** A particle of a recorded run, as the results write it: the first steps at the threshold. */
export interface Reached {
  readonly steps?: { train: number | null; probe: Record<string, number | null> };
}

export function reachedLines(every: number, threshold: number, particles: readonly Reached[]): string {
  const line = (name: string, at: (number | null)[]) => {
    const reached = at.filter((s): s is number => s !== null);
    const [q10, q50, q90] = quantiles(reached, [0.1, 0.5, 0.9]);
    const where = reached.length ? `median step ${q50}, 10–90% ${q10}–${q90}` : 'never';
    return `  ${name.padEnd(14)}${`${reached.length}/${at.length}`.padStart(8)}   ${where}`;
  };
  const names = Object.keys(particles[0]?.steps?.probe ?? {});
  return [
    `  first step at accuracy ≥ ${threshold} (recorded every ${every} steps):`,
    line(
      'train',
      particles.map((p) => p.steps?.train ?? null),
    ),
    ...names.map((n) =>
      line(
        n,
        particles.map((p) => p.steps?.probe[n] ?? null),
      ),
    ),
  ].join('\n');
}
