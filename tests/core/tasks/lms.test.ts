import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/core/task';
import { lms, LMS_DEFAULTS, LMS_PROBE_ROWS, lmsRotation } from '../../../src/core/tasks/lms';
import { testSeed } from '../helpers';
import { expectSameTask, expectWellFormed, row } from './shared';
import { trainPreset } from './presetRun';

/** The class a 5-slab coordinate gives (slab parity), or -1 outside the slabs' central 80%. */
function slabClass(x: number): number {
  const pos = (x + 1) / 0.4;
  const s = Math.floor(pos);
  const f = pos - s;
  return s >= 0 && s < 5 && f >= 0.1 - 1e-4 && f <= 0.9 + 1e-4 ? s % 2 : -1;
}

/** Row r of a set, rotated back to the unrotated coordinates: Qᵀx. */
function unrotated(q: number[][], d: Dataset, r: number): number[] {
  const x = row(d, r);
  return q[0].map((_, j) => q.reduce((s, qi, i) => s + qi[j] * x[i], 0));
}

describe('lms (Shah et al. 2020, LMS-5)', () => {
  it('shapes: dimension inputs, 2 classes, the randomisation probes linear and slab', () => {
    const task = lms();
    expectWellFormed(task);
    expect([task.name, task.inputs, task.classes, task.train.rows]).toEqual(['lms', 50, 2, LMS_DEFAULTS.examples]);
    expect(task.probes.map((p) => [p.name, p.data.rows])).toEqual([
      ['linear', LMS_PROBE_ROWS],
      ['slab', LMS_PROBE_ROWS],
    ]);
    expect(lms({ ...LMS_DEFAULTS, dimension: 7 }).inputs).toBe(7);
  });

  it('the rotation is orthonormal and mixes every coordinate', () => {
    const q = lmsRotation(20, testSeed('lms rotation'));
    for (let i = 0; i < 20; i++)
      for (let k = 0; k < 20; k++) {
        const dot = q[i].reduce((s, v, j) => s + v * q[k][j], 0);
        expect(dot, `row ${i} · row ${k}`).toBeCloseTo(i === k ? 1 : 0, 12);
      }
    // no input is one feature: every entry is well away from ±1
    expect(Math.max(...q.flat().map(Math.abs))).toBeLessThan(0.9);
  });

  it('rotated back, training rows have a linear coordinate with margin and 5-slab coordinates, all giving the label', () => {
    const dataSeed = testSeed('lms train');
    const knobs = { dimension: 12, margin: 0.2, examples: 64, dataSeed };
    const task = lms(knobs);
    const q = lmsRotation(12, dataSeed);
    for (let r = 0; r < task.train.rows; r++) {
      const x = unrotated(q, task.train, r);
      const y = task.train.y[r];
      const linearOk = (x[0] > 0 ? 1 : 0) === y && Math.abs(x[0]) >= 0.2 - 1e-5 && Math.abs(x[0]) <= 1 + 1e-5;
      const slabsOk = x.slice(1).every((v) => slabClass(v) === y);
      if (!linearOk || !slabsOk) expect.fail(`train row ${r}: ${x}, label ${y} (dataSeed ${dataSeed})`);
    }
  });

  it('probes randomise one kind of coordinate: linear keeps only the linear coordinate right, slab only the slabs', () => {
    const dataSeed = testSeed('lms probes');
    const d = 12;
    const task = lms({ dimension: d, margin: 0.1, examples: 16, dataSeed });
    const q = lmsRotation(d, dataSeed);
    const [linear, slab] = task.probes;
    let slabsAgreeing = 0;
    let linearAgreeing = 0;
    for (let r = 0; r < LMS_PROBE_ROWS; r++) {
      const a = unrotated(q, linear.data, r);
      if ((a[0] > 0 ? 1 : 0) !== linear.data.y[r])
        expect.fail(`linear probe row ${r}: linear coordinate ${a[0]}, label ${linear.data.y[r]}`);
      slabsAgreeing += a.slice(1).filter((v) => slabClass(v) === linear.data.y[r]).length;
      const b = unrotated(q, slab.data, r);
      if (!b.slice(1).every((v) => slabClass(v) === slab.data.y[r])) expect.fail(`slab probe row ${r}: ${b}, label ${slab.data.y[r]}`);
      if (Math.abs(b[0]) < 0.1 - 1e-5) expect.fail(`slab probe row ${r}: linear coordinate ${b[0]} inside the margin`);
      linearAgreeing += (b[0] > 0 ? 1 : 0) === slab.data.y[r] ? 1 : 0;
    }
    // randomised coordinates carry each class half the time: 256·11 slab draws, 256 linear draws
    const slabShare = slabsAgreeing / (LMS_PROBE_ROWS * (d - 1));
    const linearShare = linearAgreeing / LMS_PROBE_ROWS;
    expect(slabShare, `slab coordinates agreeing with the label in the linear probe (dataSeed ${dataSeed})`).toBeGreaterThan(0.45);
    expect(slabShare).toBeLessThan(0.55);
    expect(linearShare, `linear coordinates agreeing with the label in the slab probe (dataSeed ${dataSeed})`).toBeGreaterThan(0.38);
    expect(linearShare).toBeLessThan(0.62);
  });

  it('the randomisation test: randomising the slabs leaves accuracy unchanged, randomising the linear coordinate drops it to chance', async () => {
    // 32 seeds of a 10-input version on the CPU engine; docs/tasks.md has the 50-input preset over 1,024
    const { shares, probeAcc } = await trainPreset('lms', { dimension: 10, examples: 128 }, { particles: 32, steps: 300 });
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    const what = `shares ${JSON.stringify(shares)}; accuracy slabs randomised ${probeAcc.linear}, linear randomised ${probeAcc.slab}`;
    expect(shares.linear, what).toBeGreaterThanOrEqual(0.9);
    expect(median(probeAcc.linear), what).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(median(probeAcc.slab) - 0.5), what).toBeLessThan(0.15);
  });

  it('is deterministic given dataSeed, and another dataSeed gives other data', () => {
    const seed = testSeed('lms determinism');
    const knobs = { ...LMS_DEFAULTS, dimension: 10, dataSeed: seed };
    expectSameTask(lms(knobs), lms({ ...knobs }), `dataSeed ${seed}`);
    expect(Array.from(lms({ ...knobs, dataSeed: (seed + 1) >>> 0 }).train.x)).not.toEqual(Array.from(lms(knobs).train.x));
  });
});
