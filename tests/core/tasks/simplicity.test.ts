import { describe, expect, it } from 'vitest';
import { simplicity, SIMPLICITY_DEFAULTS } from '../../../src/core/tasks/simplicity';
import { testSeed } from '../helpers';
import { bestStumpAccuracy, expectProbesDisagree, expectSameTask, expectWellFormed, row } from './shared';

const LINEAR = 0;
const SLAB = 1;

/** Which slab x falls in, and whether it lies inside the slab's central 80%. */
function slabOf(x: number, slabs: number): { s: number; inner: boolean } {
  const width = 2 / slabs;
  const pos = (x + 1) / width;
  const s = Math.floor(pos);
  const f = pos - s;
  return { s, inner: f >= 0.1 - 1e-6 && f <= 0.9 + 1e-6 };
}

describe('simplicity (Shah et al. 2020)', () => {
  it('shapes: 2 inputs, 2 classes, probes linear and slab', () => {
    const task = simplicity();
    expectWellFormed(task);
    expect([task.name, task.inputs, task.classes, task.train.rows]).toEqual(['simplicity', 2, 2, SIMPLICITY_DEFAULTS.examples]);
    expect(task.probes.map((p) => [p.name, p.data.rows])).toEqual([
      ['linear', SIMPLICITY_DEFAULTS.examples],
      ['slab', SIMPLICITY_DEFAULTS.examples],
    ]);
    expect(task.params).toEqual({ ...SIMPLICITY_DEFAULTS });
  });

  for (const slabs of [3, 5, 7]) {
    it(`${slabs} slabs: the linear coordinate separates with a margin, the slab coordinate by slab parity only`, () => {
      const dataSeed = testSeed(`simplicity ${slabs} slabs`);
      const margin = 0.2;
      const task = simplicity({ ...SIMPLICITY_DEFAULTS, slabs, margin, dataSeed, examples: 128 });
      for (let r = 0; r < task.train.rows; r++) {
        const x = row(task.train, r);
        const y = task.train.y[r];
        const { s, inner } = slabOf(x[SLAB], slabs);
        const ok =
          (x[LINEAR] > 0 ? 1 : 0) === y &&
          Math.abs(x[LINEAR]) >= Math.fround(margin) &&
          Math.abs(x[LINEAR]) <= 1 &&
          s % 2 === y &&
          inner &&
          s < slabs;
        if (!ok) expect.fail(`row ${r}: ${x}, label ${y}, slab ${s}`);
      }
      expect(bestStumpAccuracy(task.train, LINEAR)).toBe(1);
      // the slab classes alternate: no single threshold separates them
      expect(bestStumpAccuracy(task.train, SLAB), `best threshold on the slab coordinate (dataSeed ${dataSeed})`).toBeLessThan(1);
      // every slab is used
      const used = new Set(Array.from({ length: task.train.rows }, (_, r) => slabOf(row(task.train, r)[SLAB], slabs).s));
      expect(used.size).toBe(slabs);
    });
  }

  it('probes pair one class on the linear coordinate with the other class on the slab coordinate', () => {
    const dataSeed = testSeed('simplicity probes');
    const task = simplicity({ ...SIMPLICITY_DEFAULTS, dataSeed });
    expectProbesDisagree(task);
    const [linear, slab] = task.probes;
    for (let r = 0; r < linear.data.rows; r++) {
      const x = row(linear.data, r);
      if ((x[LINEAR] > 0 ? 1 : 0) !== linear.data.y[r]) expect.fail(`linear probe row ${r}: ${x}, label ${linear.data.y[r]}`);
      if (slabOf(x[SLAB], SIMPLICITY_DEFAULTS.slabs).s % 2 !== slab.data.y[r])
        expect.fail(`slab probe row ${r}: ${x}, label ${slab.data.y[r]}`);
    }
  });

  it('is deterministic given dataSeed, and another dataSeed gives other data', () => {
    const seed = testSeed('simplicity determinism');
    const knobs = { ...SIMPLICITY_DEFAULTS, dataSeed: seed };
    expectSameTask(simplicity(knobs), simplicity({ ...knobs }), `dataSeed ${seed}`);
    expect(Array.from(simplicity({ ...knobs, dataSeed: (seed + 1) >>> 0 }).train.x)).not.toEqual(Array.from(simplicity(knobs).train.x));
  });
});
