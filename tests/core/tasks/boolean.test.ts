import { describe, expect, it } from 'vitest';
import { paramCount } from '../../../src/core/layout';
import { makeRun } from '../../../src/core/runs';
import { DEFAULT_CONFIG } from '../../../src/core/config';
import { BOOLEAN_INPUTS, BOOLEAN_TARGETS, booleanInput, booleanTask } from '../../../src/core/tasks/boolean';
import { findPreset } from '../../../src/core/tasks/index';
import { testSeed } from '../../helpers/random';
import { expectWellFormed, row } from './shared';

/** The input index a row of 7 bits stands for. */
const indexOf = (bits: number[]) => bits.reduce((n, b) => 2 * n + b, 0);

describe('boolean preset', () => {
  it('splits all 128 inputs of 7 bits into m training points and the rest as the probe, labelled by the target', () => {
    const dataSeed = testSeed('boolean split');
    for (const [target, m] of [
      [0, 64],
      [1, 1],
      [2, 127],
    ]) {
      const task = booleanTask({ target, m, dataSeed });
      expectWellFormed(task);
      expect([task.inputs, task.classes, task.train.rows, task.probes[0].data.rows]).toEqual([7, 2, m, BOOLEAN_INPUTS - m]);
      const seen = [task.train, task.probes[0].data].flatMap((d) =>
        Array.from({ length: d.rows }, (_, r) => {
          const bits = row(d, r);
          expect(bits.every((b) => b === 0 || b === 1)).toBe(true);
          expect(d.y[r], `label of input ${indexOf(bits)}`).toBe(BOOLEAN_TARGETS[target].label(indexOf(bits)));
          return indexOf(bits);
        }),
      );
      expect(new Set(seen).size, 'every input exactly once').toBe(BOOLEAN_INPUTS);
    }
  });

  it('chooses the training points by the data seed; the target does not depend on it', () => {
    const a = booleanTask({ target: 1, m: 64, dataSeed: 1 });
    const b = booleanTask({ target: 1, m: 64, dataSeed: 2 });
    expect(Array.from(a.train.x)).not.toEqual(Array.from(b.train.x));
    const truth = (t: ReturnType<typeof booleanTask>) => {
      const table = new Array<number>(BOOLEAN_INPUTS);
      for (const d of [t.train, t.probes[0].data]) for (let r = 0; r < d.rows; r++) table[indexOf(row(d, r))] = d.y[r];
      return table;
    };
    expect(truth(a)).toEqual(truth(b));
  });

  it('has a simple, a random and a parity target of the sizes expected', () => {
    const ones = (t: number) => Array.from({ length: BOOLEAN_INPUTS }, (_, i) => BOOLEAN_TARGETS[t].label(i)).reduce((a, b) => a + b);
    expect(BOOLEAN_TARGETS.map((t) => t.name)).toEqual(['simple', 'random', 'parity']);
    expect(ones(0)).toBe(64);
    expect(ones(2)).toBe(64);
    // a fair coin per input: 64 ± 4σ
    expect(Math.abs(ones(1) - 64)).toBeLessThan(23);
    expect(booleanInput(5)).toEqual([0, 0, 0, 0, 1, 0, 1]);
  });

  it('trains a 7-40-40-1 ReLU network with the Gaussian init by default, within the engine limit', () => {
    const preset = findPreset('boolean')!;
    const config = { ...DEFAULT_CONFIG, ...preset.defaults };
    const run = makeRun(config, preset.build({ target: 0, m: 64, dataSeed: 0 }));
    expect(run.layout.widths).toEqual([7, 40, 40, 1]);
    expect(run.layout.activation).toBe('relu');
    expect(config.initDist).toBe('gaussian');
    expect(paramCount(run.layout)).toBe(2001);
  });
});

describe('boolean preset with fewer input bits', () => {
  it('splits the 2^bits inputs into m training points and the rest, labelled by the target on bits bits', () => {
    const task = booleanTask({ target: 0, m: 4, dataSeed: testSeed('boolean bits'), bits: 4 });
    expectWellFormed(task);
    expect([task.inputs, task.train.rows, task.probes[0].data.rows]).toEqual([4, 4, 12]);
    const seen = [task.train, task.probes[0].data].flatMap((d) =>
      Array.from({ length: d.rows }, (_, r) => {
        const i = indexOf(row(d, r));
        // simple on 4 bits: the first bit
        expect(d.y[r], `label of input ${i}`).toBe(i >> 3);
        return i;
      }),
    );
    expect(new Set(seen).size).toBe(16);
  });

  it('names m and its range when it does not fit the inputs', () => {
    expect(() => booleanTask({ target: 0, m: 64, dataSeed: 0, bits: 4 })).toThrow(
      '--knob m must be from 1 to 15 with 4 input bits (16 inputs), got 64',
    );
  });
});
