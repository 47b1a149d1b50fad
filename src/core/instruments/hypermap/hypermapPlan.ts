import type { RunConfig } from '../../config';
import type { TrainSpec } from '../../engine';
import { initEnsemble } from '../../init';
import { paramCount } from '../../layout';
import { hyperOf, makeRun, type Run } from '../../runs';
import { findPreset } from '../../tasks';
import type { Task } from '../../task';
import { axisValues, isPerParticle, withAxis, type Axis } from './hypermapAxes';

/**
 * A hyper map's plan: cells → sessions → TrainSpecs, pure. Cell (i, j) is the run `train
 * --particles K` gives with the x axis at xs[i] and the y axis at ys[j] (first particle 0 of
 * the run's seeds). Cells that differ only in settings a kernel reads per particle (learning
 * rates, weight decay, momentum, init scale) share one engine session (CellBlocks); an axis that
 * changes the data or the loop (a knob, the batch, the steps) puts its cells in sessions of their own.
 */

/** 'classes': outcomes as `train` classifies them; 'trainability': converged or diverged (Sohl-Dickstein 2024). */
export type HypermapOutcome = 'classes' | 'trainability';
export const HYPERMAP_OUTCOMES: readonly HypermapOutcome[] = ['classes', 'trainability'];

export interface HypermapSettings {
  readonly x: Axis;
  readonly y: Axis;
  /** cells per axis: res × res cells */
  readonly res: number;
  /** particles per cell: particles 0 .. perCell − 1 of the run's seeds */
  readonly perCell: number;
  readonly outcome: HypermapOutcome;
}

export const MAX_HYPERMAP_RES = 256;
/** Most particles one session trains: bigger groups of cells are split. */
export const MAX_SESSION_PARTICLES = 1 << 16;

export interface HypermapCell {
  /** row-major, x fastest: index = j · res + i */
  readonly index: number;
  readonly i: number;
  readonly j: number;
  /** the run's config with both axes set, particles = perCell, firstParticle = 0 */
  readonly config: RunConfig;
}

/**
 * Cells trained together: the config and run they share (task, model, loop) and the cells, in
 * index order. Nothing of a session is kept but where its cells lie: `config`, `cells` and `run`
 * are built when read, so a 256² map of 65,536 sessions is planned at once, in little memory, and
 * each session's cells and task exist only while it trains.
 */
export interface HypermapSession {
  readonly config: RunConfig;
  readonly run: Run;
  readonly cells: readonly HypermapCell[];
  /** the number of cells, without building them */
  readonly size: number;
  /** the steps each particle trains (config.steps), without building the config */
  readonly steps: number;
}

export interface HypermapPlan {
  readonly settings: HypermapSettings;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** the block of cells planned: first .. first + count − 1 (all res² without a shard) */
  readonly first: number;
  readonly count: number;
  readonly sessions: readonly HypermapSession[];
}

/** The cell's config: both axes applied to the run's config, K particles from particle 0. */
export function cellConfig(base: RunConfig, s: HypermapSettings, x: number, y: number): RunConfig {
  return { ...withAxis(withAxis(base, s.x, x), s.y, y), particles: s.perCell, firstParticle: 0 };
}

/**
 * Each axis index's group on that axis: cells of one session must share every setting but those a
 * kernel reads per particle, so an axis of those (lr, init scale, wd, momentum) puts all its
 * values in group 0, and any other axis groups its equal values (an integer axis can repeat one).
 */
function axisGroups(axis: Axis, values: readonly number[]): Int32Array {
  const groups = new Int32Array(values.length);
  if (isPerParticle(axis)) return groups;
  values.forEach((v, i) => (groups[i] = values.indexOf(v)));
  return groups;
}

/** Cells first .. first + count − 1 in groups, in first-cell order: `order[starts[g] .. starts[g + 1])` are group g's cells. */
interface CellGroups {
  readonly order: Uint32Array;
  readonly starts: readonly number[];
}

/**
 * Groups the cells by what they must share to train together, in first-cell order, from the axes
 * alone (no config is built): integer work per cell, so even 65,536 cells take milliseconds.
 */
function groupCells(settings: HypermapSettings, xs: readonly number[], ys: readonly number[], first: number, count: number): CellGroups {
  const { res } = settings;
  const gx = axisGroups(settings.x, xs);
  const gy = axisGroups(settings.y, ys);
  const groupOf = new Int32Array(res * res).fill(-1);
  const cellGroup = new Int32Array(count);
  const sizes: number[] = [];
  for (let n = 0; n < count; n++) {
    const index = first + n;
    const key = gy[Math.floor(index / res)] * res + gx[index % res];
    if (groupOf[key] < 0) {
      groupOf[key] = sizes.length;
      sizes.push(0);
    }
    cellGroup[n] = groupOf[key];
    sizes[groupOf[key]]++;
  }
  const starts = [0];
  for (const size of sizes) starts.push(starts[starts.length - 1] + size);
  const next = starts.slice(0, -1);
  const order = new Uint32Array(count);
  for (let n = 0; n < count; n++) order[next[cellGroup[n]]++] = first + n;
  return { order, starts };
}

/** Cells one session trains at most: a group of more is split. */
const cellsPerSession = (settings: HypermapSettings) => Math.max(1, Math.floor(MAX_SESSION_PARTICLES / settings.perCell));

/**
 * Plans cells first .. first + count − 1 of `run` (default every cell). The task is rebuilt from
 * its preset where a knob axis changes it, when that session is trained.
 */
export function planHypermap(run: Run, settings: HypermapSettings, first = 0, count = settings.res ** 2): HypermapPlan {
  const xs = axisValues(settings.x, settings.res);
  const ys = axisValues(settings.y, settings.res);
  const perSession = cellsPerSession(settings);
  const { order, starts } = groupCells(settings, xs, ys, first, count);
  const plan = { run, settings, xs, ys, order };
  const sessions: HypermapSession[] = [];
  for (let g = 0; g + 1 < starts.length; g++) {
    for (let from = starts[g]; from < starts[g + 1]; from += perSession) {
      sessions.push(new LazySession(plan, from, Math.min(starts[g + 1], from + perSession)));
    }
  }
  return { settings, xs, ys, first, count, sessions };
}

/** What a LazySession builds its cells from. */
interface PlanBasis {
  readonly run: Run;
  readonly settings: HypermapSettings;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** the cells of every session, a session's cells one stretch of it */
  readonly order: Uint32Array;
}

/** A session as a stretch `from .. to` of the plan's cell order; everything else is built when read. */
class LazySession implements HypermapSession {
  constructor(
    private readonly plan: PlanBasis,
    private readonly from: number,
    private readonly to: number,
  ) {}

  get size(): number {
    return this.to - this.from;
  }

  get steps(): number {
    const { settings, xs, ys, order, run } = this.plan;
    const index = order[this.from];
    if (settings.x.name === 'steps') return xs[index % settings.res];
    if (settings.y.name === 'steps') return ys[Math.floor(index / settings.res)];
    return run.config.steps;
  }

  get config(): RunConfig {
    return this.cell(this.plan.order[this.from]).config;
  }

  get cells(): readonly HypermapCell[] {
    return Array.from(this.plan.order.subarray(this.from, this.to), (index) => this.cell(index));
  }

  get run(): Run {
    const config = this.config;
    const base = this.plan.run;
    // a knob axis changes the data: that session's task is built from the preset at its knobs
    const same = JSON.stringify(config.knobs) === JSON.stringify(base.config.knobs);
    return makeRun(config, same ? base.task : buildTask(config));
  }

  private cell(index: number): HypermapCell {
    const { settings, xs, ys, run } = this.plan;
    const i = index % settings.res;
    const j = Math.floor(index / settings.res);
    return { index, i, j, config: cellConfig(run.config, settings, xs[i], ys[j]) };
  }
}

/**
 * The number of engine sessions one run of the whole map trains in (planHypermap's, without
 * building a task): what `merge` writes as a merged map's `sessions`, which its shards' sum would
 * overstate wherever a shard's block splits a session.
 */
export function hypermapSessionCount(_base: RunConfig, settings: HypermapSettings, xs: readonly number[], ys: readonly number[]): number {
  const perSession = cellsPerSession(settings);
  const { starts } = groupCells(settings, xs, ys, 0, settings.res ** 2);
  let sessions = 0;
  for (let g = 0; g + 1 < starts.length; g++) sessions += Math.ceil((starts[g + 1] - starts[g]) / perSession);
  return sessions;
}

function buildTask(config: RunConfig): Task {
  const preset = findPreset(config.task);
  if (!preset) throw new Error(`knob axes need a built-in task, not ${config.task}`);
  return preset.build(config.knobs);
}

/** The session's TrainSpec: every cell's K inits (at its init scale) and its optimizer settings. */
export function sessionSpec(session: HypermapSession, run = session.run): TrainSpec {
  const { cells } = session;
  const { layout, task, config } = run;
  const k = config.particles;
  const p = paramCount(layout);
  const init = new Float32Array(cells.length * k * p);
  cells.forEach((c, n) => init.set(initEnsemble(layout, c.config.seed, 0, k, c.config.initScale, c.config.initDist), n * k * p));
  const hypers = cells.map((c) => hyperOf(c.config, layout));
  return {
    layout,
    task,
    hyper: hypers[0],
    init,
    particles: cells.length * k,
    noiseSeed: config.noiseSeed,
    firstParticle: 0,
    cells: { size: k, hypers },
  };
}
