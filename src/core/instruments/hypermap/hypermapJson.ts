import { common, list } from '../../results';
import type { Run } from '../../runs';
import type { ShardRecord } from '../../shards';
import { wilson } from '../../stats';
import { axisFlag, type Axis } from './hypermapAxes';
import type { HypermapPlan } from './hypermapPlan';
import type { HypermapCells } from './hypermapRun';

const axisJson = (a: Axis) => ({ name: a.name, min: a.min, max: a.max, log: a.log, integer: a.integer });

/**
 * The hyper map's JSON: the run's config (without the axes applied), the axes and their values,
 * and per cell (row-major, x fastest) its class counts and mean final loss. With a shard, `cells`
 * says which block of cells the lists hold; `merge` puts the blocks back together.
 */
export function hypermapResult(
  run: Run,
  engine: 'gpu' | 'cpu',
  device: string,
  seconds: number,
  plan: HypermapPlan,
  result: HypermapCells,
  shard?: ShardRecord,
) {
  const { settings } = plan;
  const k = result.classes.length;
  const totals = result.classes.map((_, c) => {
    let n = 0;
    for (let cell = 0; cell < plan.count; cell++) n += result.counts[cell * k + c];
    return n;
  });
  const particles = plan.count * settings.perCell;
  return {
    // the config every cell shares (its K particles from 0), the axes not applied
    ...common('hypermap', { ...run, config: { ...run.config, particles: settings.perCell, firstParticle: 0 } }, engine, device, seconds),
    x: axisJson(settings.x),
    y: axisJson(settings.y),
    res: settings.res,
    perCell: settings.perCell,
    outcome: settings.outcome,
    xs: [...plan.xs],
    ys: [...plan.ys],
    classes: [...result.classes],
    // over every particle of the block: a count and a Wilson interval per class
    totals: Object.fromEntries(result.classes.map((c, i) => [c, totals[i]])),
    fractions: Object.fromEntries(result.classes.map((c, i) => [c, wilson(totals[i], particles)])),
    cells: { first: plan.first, count: plan.count },
    counts: Array.from({ length: plan.count }, (_, cell) => Array.from(result.counts.subarray(cell * k, (cell + 1) * k))),
    meanLoss: list(result.meanLoss),
    ...(result.meanScore ? { meanScore: list(result.meanScore) } : {}),
    sessions: plan.sessions.length,
    ...(shard ? { shard } : {}),
    rerun: `cell (i, j) is exactly: basin-atlas train <these run flags> --particles ${settings.perCell} ${axisFlag(settings.x, 'xs[i]')} ${axisFlag(settings.y, 'ys[j]')}${settings.outcome === 'trainability' ? ' --outcome trainability' : ''}`,
  };
}

export type HypermapJson = ReturnType<typeof hypermapResult>;
