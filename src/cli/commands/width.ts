import type { Command } from 'commander';
import { spreadByClass, spreadJson, type Spread } from '../../core/maths/classSpread';
import {
  DEFAULT_WIDTH_SETTINGS,
  parseWidthSettings,
  WIDTH_FIELDS,
  widthAnalysis,
  type WidthAnalysis,
} from '../../core/instruments/width/width';
import { crossingValue, widthFields } from '../../core/instruments/geometry/geometryJson';
import { NUMBER_FIELDS, parseNumber } from '../../core/config';
import { summariseOutcomes, trainResult } from '../../core/results';
import type { EnsembleResult } from '../../core/runs';
import { resolveMeasured } from '../measured';
import { ProgressBar } from '../progress';
import { inputFileFields, type FlagValues } from '../resolve';
import { describeRun, deviceLine, outcomeTable } from '../summary';
import type { CommandContext } from './context';

export interface WidthFlags {
  directions?: string;
  radii?: string;
  rMin?: string;
  rMax?: string;
  delta?: string;
  directionSeed?: string;
}

/** --direction-seed: a seed, named as the user gave it */
export const DIRECTION_SEED = { ...NUMBER_FIELDS.seed, flag: '--direction-seed', label: 'direction seed' };

export const WIDTH_SUMMARY = 'how far each network can be pushed along random directions before it becomes another algorithm (r50, rLoss)';

export function widthOptions(cmd: Command): Command {
  const w = DEFAULT_WIDTH_SETTINGS;
  const range = (key: keyof typeof WIDTH_FIELDS) => `${WIDTH_FIELDS[key].min} to ${WIDTH_FIELDS[key].max}`;
  return cmd
    .option('--directions <n>', `random filter-normalised directions per particle, ${range('directions')} (default ${w.directions})`)
    .option('--radii <n>', `radii on a log grid, ${range('radii')} (default ${w.radii})`)
    .option('--r-min <number>', `smallest radius, relative to each neuron's norm, above 0 (default ${w.rMin})`)
    .option('--r-max <number>', `largest radius, up to ${WIDTH_FIELDS.rMax.max} (default ${w.rMax})`)
    .option('--delta <nats>', `the train-loss rise that defines rLoss, above 0 (default ${w.delta})`)
    .option('--direction-seed <n>', 'seed of the random directions (default: the init seed)');
}

const radius = (x: number) => (x === 0 ? '< r-min' : x === Infinity ? '> r-max' : Number.isFinite(x) ? x.toPrecision(3) : '—');

/** One table row per class: n, then median [q1, q3] of each measurement. */
export function spreadTable(title: string, columns: [string, Record<string, Spread>, (x: number) => string][]): string {
  const classes = Object.keys(columns[0][1]);
  const head = `  ${title.padEnd(14)}${'n'.padStart(6)}${columns.map(([name]) => `   ${name.padEnd(26)}`).join('')}`;
  const rows = classes.map((c) => {
    const n = columns[0][1][c].n;
    const cells = columns.map(([, s, f]) => {
      const v = s[c];
      return `   ${`${f(v.median)} [${f(v.q1)}, ${f(v.q3)}]`.padEnd(26)}`;
    });
    return `  ${c.padEnd(14)}${String(n).padStart(6)}${cells.join('')}${columns[0][1][c].few ? '  (fewer than 5)' : ''}`.trimEnd();
  });
  return [head.trimEnd(), ...rows].join('\n');
}

/** Per class: the spread of r50 or rLoss (below the grid counts as 0, beyond it as +∞). */
export function widthByClass(a: WidthAnalysis, ensemble: EnsembleResult, pick: 'r50' | 'rLoss'): Record<string, Spread> {
  return spreadByClass(
    a.particles.map((p) => crossingValue(p?.[pick])),
    ensemble.outcomes,
    ensemble.classes,
  );
}

export function widthTable(a: WidthAnalysis, ensemble: EnsembleResult): string {
  const by = (pick: 'r50' | 'rLoss') => widthByClass(a, ensemble, pick);
  return spreadTable('width', [
    ['r50 median [IQR]', by('r50'), radius],
    [`rLoss (+${a.settings.delta} nats)`, by('rLoss'), radius],
  ]);
}

/** `basin-atlas width`: train (as train does) or read --params, then how far each network can be pushed. */
export async function runWidth(raw: FlagValues & WidthFlags, ctx: CommandContext): Promise<void> {
  const resolved = await resolveMeasured(raw, undefined, ctx.signal);
  const { run } = resolved;
  const settings = parseWidthSettings(raw);
  const seed = raw.directionSeed !== undefined ? parseNumber(DIRECTION_SEED, raw.directionSeed) : run.config.seed;
  ctx.checkOutputs(raw);
  const e = await ctx.withEngine(raw);
  const t0 = performance.now();
  const ensemble = await ctx.ensemble(raw, resolved, e, { signal: ctx.signal });
  const bar = new ProgressBar('width');
  const analysis = await widthAnalysis(e, run, ensemble, settings, seed, { signal: ctx.signal, onProgress: bar.update });
  bar.done();
  const seconds = (performance.now() - t0) / 1000;
  const base = trainResult(run, e.kind, e.device, seconds, ensemble);
  const fields = widthFields(analysis);
  const json = {
    ...base,
    kind: 'width',
    ...inputFileFields(raw),
    width: {
      ...fields.width,
      byClass: Object.fromEntries(
        (['r50', 'rLoss'] as const).map((k) => [
          k,
          spreadJson(widthByClass(analysis, ensemble, k), { below: `< ${settings.rMin}`, beyond: `> ${settings.rMax}` }),
        ]),
      ),
    },
    particles: base.particles.map((p, i) => ({ ...p, ...fields.particles[i] })),
  };
  const m = run.config.particles;
  ctx.emit(
    raw,
    json,
    [
      describeRun(
        run,
        `${m} particles × ${settings.directions} directions × ${settings.radii} radii from ${settings.rMin} to ${settings.rMax}`,
      ),
      deviceLine(e.kind, e.device, seconds),
      outcomeTable(summariseOutcomes(ensemble.classes, ensemble.outcomes)),
      widthTable(analysis, ensemble),
    ].join('\n'),
  );
}
