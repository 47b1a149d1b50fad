import { describe, expect, it } from 'vitest';
import { alignTo, permuteUnits } from '../../../../src/core/instruments/barriers/weightMatching';
import type { Activation, ModelLayout } from '../../../../src/core/layout';
import { Mlp } from '../../../../src/core/mlp';
import { randomParams, randomTask, seeded, testSeed } from '../../../helpers/random';

const shuffled = (rand: () => number, n: number) => {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
};

describe('weight matching (Git Re-Basin) at every depth', () => {
  const cases: [number[], Activation, boolean][] = [
    [[3, 8, 1], 'tanh', true],
    [[3, 6, 5, 1], 'relu', true],
    [[4, 7, 6, 5, 3], 'gelu', true],
    [[2, 9, 4, 1], 'tanh', false],
  ];
  for (const [widths, activation, bias] of cases) {
    it(`undoes a random permutation of the hidden units: ${widths.join('-')} ${activation}${bias ? '' : ' without biases'}`, () => {
      const rand = seeded(testSeed(`weight matching ${widths.join('-')}`));
      const layout: ModelLayout = bias ? { widths, activation } : { widths, activation, bias: false };
      const a = randomParams(rand, [...widths], 1);
      const sized = bias ? a : a.subarray(0, a.length - widths.slice(1).reduce((s, w) => s + w, 0));
      const perms = widths.slice(1, -1).map((h) => shuffled(rand, h));
      const b = permuteUnits(layout, sized, perms);
      // a permutation of units leaves the function unchanged
      const task = randomTask(rand, widths[0], 2, 16);
      const mlp = new Mlp(layout);
      const [la, lb] = [mlp.evaluate(Float64Array.from(sized), task.train)[0], mlp.evaluate(Float64Array.from(b), task.train)[0]];
      expect(Math.abs(la - lb)).toBeLessThanOrEqual(1e-6 * Math.abs(la));
      expect(Array.from(b)).not.toEqual(Array.from(sized));
      expect(Array.from(alignTo(layout, sized, b))).toEqual(Array.from(sized));
    });
  }
});
