import type { Fraction } from '../../core/stats';
import type { ToolCommand } from '../commandRunner';
import { shareCell, table } from '../markdown';
import { readTrain, type TrainJson } from '../results';
import type { ReportSize, SectionContext } from '../section';

/** What the sections share: the seeds a sweep point runs, one `train` per knob value, a share in percent. */

export type { TrainJson };

export const seeds = (size: ReportSize): number => (size === 'full' ? 1024 : 32);

/** One `train` per value of a knob: the share of every class with its interval, one row per value. */
export async function knobSweep(
  ctx: SectionContext,
  task: string | undefined,
  knob: string,
  values: readonly number[],
  extra: readonly string[] = [],
): Promise<{ commands: ToolCommand[]; results: TrainJson[]; found: string }> {
  const commands = values.map((v) => ({
    args: ['train', ...(task ? ['--task', task] : []), '--particles', String(seeds(ctx.size)), '--knob', `${knob}=${v}`, ...extra],
  }));
  const results: TrainJson[] = [];
  for (const c of commands) results.push(readTrain(await ctx.run(c)));
  const classes = results[0].classes;
  const found = table(
    [knob, ...classes],
    results.map((r, i) => [String(values[i]), ...classes.map((c) => shareCell(r.fractions[c]))]),
  );
  return {
    commands,
    results,
    found: `${found}\n\nOver ${seeds(ctx.size)} seeds per row (init seed 1, noise seed 2), 95% Wilson intervals.`,
  };
}

export const share = (r: TrainJson, c: string): number => r.fractions[c]?.fraction ?? 0;

/** Particles a geometry or barrier run measures: at most 64, so the report keeps every particle's numbers beside it. */
export const measured = (size: ReportSize) => (size === 'full' ? 64 : 12);

/** A measurement in three significant figures, — where it is not finite. */
export const fmt = (x: number) => (x === 0 ? '0' : Number.isFinite(x) ? x.toPrecision(3) : '—');

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
export const interval = (f: Fraction) => `${pct(f.fraction)} [${(100 * f.low).toFixed(1)}, ${(100 * f.high).toFixed(1)}]`;
