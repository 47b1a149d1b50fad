import { describe, expect, it } from 'vitest';
import { axisValues, parseAxis } from '../../../../src/core/instruments/hypermap/hypermapAxes';
import {
  cellConfig,
  hypermapSessionCount,
  MAX_SESSION_PARTICLES,
  planHypermap,
  type HypermapSettings,
} from '../../../../src/core/instruments/hypermap/hypermapPlan';
import { DEFAULT_CONFIG, type RunConfig } from '../../../../src/core/config';
import { makeRun } from '../../../../src/core/runs';
import { defaultKnobs, findPreset } from '../../../../src/core/tasks';

function presetRun(overrides: Partial<RunConfig> = {}) {
  const preset = findPreset('thneeb')!;
  const task = preset.build(defaultKnobs(preset));
  return makeRun({ ...DEFAULT_CONFIG, ...preset.defaults, task: 'thneeb', knobs: { ...task.params }, ...overrides }, task);
}

const run = presetRun({ lrScale: [1, 1], optimizer: 'momentum' });
const ctx = { config: run.config, layers: run.layout.widths.length - 1, trainRows: run.task.train.rows };
const settings = (x: string, y: string, res: number, perCell = 2): HypermapSettings => ({
  x: parseAxis('--x', x, ctx),
  y: parseAxis('--y', y, ctx),
  res,
  perCell,
  outcome: 'classes',
});

/**
 * The grouping as it was first written, cell by cell: cells share a session when their whole
 * configs agree but for the settings read per particle. The plan built from the axes alone must
 * give the very same sessions (merge's session count depends on it).
 */
function reference(s: HypermapSettings, first: number, count: number): number[][] {
  const xs = axisValues(s.x, s.res);
  const ys = axisValues(s.y, s.res);
  const groups = new Map<string, number[]>();
  for (let index = first; index < first + count; index++) {
    const config = cellConfig(run.config, s, xs[index % s.res], ys[Math.floor(index / s.res)]);
    const { lr: _lr, lrScale: _s, weightDecay: _wd, momentum: _m, initScale: _i, ...rest } = config;
    const key = JSON.stringify(rest);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  }
  const per = Math.max(1, Math.floor(MAX_SESSION_PARTICLES / s.perCell));
  return [...groups.values()].flatMap((cells) =>
    Array.from({ length: Math.ceil(cells.length / per) }, (_, k) => cells.slice(k * per, (k + 1) * per)),
  );
}

describe('a hyper map plan built from its axes', () => {
  it.each([
    ['lr:0.1:1', 'init-scale:0.5:2', 5],
    ['knob:salience:0.5:2', 'wd:0:0.01', 4],
    ['steps:10:30', 'batch:2:8', 3],
    // integer axes with repeated values (steps 10..12 over 7 cells): equal values share a session
    ['steps:10:12', 'lr:0.1:0.5', 7],
    ['momentum:0:0.9', 'knob:examples:4:8', 6],
    ['lr:1:0.5:2', 'lr:0:0.5:2', 4],
  ])('%s × %s: the same sessions, cells and configs as grouping cell by cell', (x, y, res) => {
    for (const [first, count] of [
      [0, res * res],
      [3, res * res - 5],
    ]) {
      const s = settings(x, y, res);
      const plan = planHypermap(run, s, first, count);
      const want = reference(s, first, count);
      expect(plan.sessions.map((session) => session.cells.map((c) => c.index))).toEqual(want);
      for (const session of plan.sessions) {
        expect(session.size).toBe(session.cells.length);
        expect(session.steps).toBe(session.config.steps);
        for (const c of session.cells) expect(c.config).toEqual(cellConfig(run.config, s, plan.xs[c.i], plan.ys[c.j]));
      }
      if (first === 0) expect(hypermapSessionCount(run.config, s, plan.xs, plan.ys)).toBe(want.length);
    }
  });

  it('splits a group bigger than a session takes', () => {
    const s = settings('lr:0.1:1', 'wd:0:0.01', 64, 64);
    const plan = planHypermap(run, s);
    expect(plan.sessions.map((session) => session.size)).toEqual(reference(s, 0, 64 * 64).map((cells) => cells.length));
    expect(plan.sessions.length).toBeGreaterThan(1);
  });

  it('a 256² map of two knob axes is planned without building one cell: each session builds its own when read', () => {
    // every read of the run's config is counted: planning cell by cell copies it once per cell
    let reads = 0;
    const counted = new Proxy(run.config, {
      get: (target, key, receiver) => {
        reads++;
        return Reflect.get(target, key, receiver);
      },
      ownKeys: (target) => {
        reads++;
        return Reflect.ownKeys(target);
      },
    });
    const s = settings('knob:salience:0.5:2', 'knob:examples:4:4096', 256, 8);
    const plan = planHypermap({ ...run, config: counted }, s);
    expect(plan.sessions).toHaveLength(256 * 256);
    const total = plan.sessions.reduce((sum, session) => sum + session.size * session.steps, 0);
    expect(total).toBe(256 * 256 * run.config.steps);
    // a handful of reads per session at most (its steps), none per cell
    expect(reads).toBeLessThanOrEqual(2 * 256 * 256);
    const before = reads;
    const one = plan.sessions[12345];
    expect(one.cells).toHaveLength(1);
    expect(one.run.task.train.rows).toBe(one.config.knobs.examples);
    expect(reads).toBeGreaterThan(before);
  });
});
