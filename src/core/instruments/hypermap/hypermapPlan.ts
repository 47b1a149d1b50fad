import type { RunConfig } from '../../config';
import type { TrainSpec } from '../../engine';
import { initEnsemble } from '../../init';
import { paramCount } from '../../layout';
import { hyperOf, makeRun, type Run } from '../../runs';
import { findPreset } from '../../tasks';
import type { Task } from '../../task';
import { axisValues, withAxis, type Axis } from './hypermapAxes';

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
 * index order. `run` is built when read, not kept: a knob axis gives every session its own task,
 * and a 256² map of them planned at once would hold 65,536 data sets before the first is trained.
 */
export interface HypermapSession {
  readonly config: RunConfig;
  readonly run: Run;
  readonly cells: readonly HypermapCell[];
}

function lazySession(config: RunConfig, cells: readonly HypermapCell[], build: () => Run): HypermapSession {
  return {
    config,
    cells,
    get run() {
      return build();
    },
  };
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

/** What cells of one session must share: the whole config but what is read per particle. */
function sessionKey(config: RunConfig): string {
  const { lr: _lr, lrScale: _s, weightDecay: _wd, momentum: _m, initScale: _i, ...rest } = config;
  return JSON.stringify(rest);
}

/** Cells first .. first + count − 1 grouped by what they must share to train together, in first-cell order. */
function groupCells(
  base: RunConfig,
  settings: HypermapSettings,
  xs: readonly number[],
  ys: readonly number[],
  first: number,
  count: number,
) {
  const { res } = settings;
  const groups = new Map<string, HypermapCell[]>();
  for (let index = first; index < first + count; index++) {
    const i = index % res;
    const j = Math.floor(index / res);
    const config = cellConfig(base, settings, xs[i], ys[j]);
    const key = sessionKey(config);
    const group = groups.get(key) ?? [];
    if (group.length === 0) groups.set(key, group);
    group.push({ index, i, j, config });
  }
  return [...groups.values()];
}

/** Cells one session trains at most: a group of more is split. */
const cellsPerSession = (settings: HypermapSettings) => Math.max(1, Math.floor(MAX_SESSION_PARTICLES / settings.perCell));

/**
 * Plans cells first .. first + count − 1 of `run` (default every cell). The task is rebuilt from
 * its preset where a knob axis changes it.
 */
export function planHypermap(run: Run, settings: HypermapSettings, first = 0, count = settings.res ** 2): HypermapPlan {
  const xs = axisValues(settings.x, settings.res);
  const ys = axisValues(settings.y, settings.res);
  const perSession = cellsPerSession(settings);
  const sessions: HypermapSession[] = [];
  for (const cells of groupCells(run.config, settings, xs, ys, first, count)) {
    const config = cells[0].config;
    // a knob axis changes the data: that session's task is built from the preset at its knobs, when the session is trained
    const shared = JSON.stringify(config.knobs) === JSON.stringify(run.config.knobs) ? makeRun(config, run.task) : undefined;
    const build = () => shared ?? makeRun(config, buildTask(config));
    for (let k = 0; k < cells.length; k += perSession) sessions.push(lazySession(config, cells.slice(k, k + perSession), build));
  }
  return { settings, xs, ys, first, count, sessions };
}

/**
 * The number of engine sessions one run of the whole map trains in (planHypermap's, without
 * building a task): what `merge` writes as a merged map's `sessions`, which its shards' sum would
 * overstate wherever a shard's block splits a session.
 */
export function hypermapSessionCount(base: RunConfig, settings: HypermapSettings, xs: readonly number[], ys: readonly number[]): number {
  const perSession = cellsPerSession(settings);
  return groupCells(base, settings, xs, ys, 0, settings.res ** 2).reduce((sum, cells) => sum + Math.ceil(cells.length / perSession), 0);
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
