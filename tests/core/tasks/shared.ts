import { expect } from 'vitest';
import type { Dataset, Task } from '../../../src/core/task';

/** Row r of a dataset as a plain array. */
export function row(d: Dataset, r: number): number[] {
  const n = d.x.length / d.rows;
  return Array.from(d.x.subarray(r * n, (r + 1) * n));
}

/** Shapes and label ranges every task must have. */
export function expectWellFormed(task: Task): void {
  const sets = [task.train, ...task.probes.map((p) => p.data)];
  const names = ['train', ...task.probes.map((p) => p.name)];
  sets.forEach((d, s) => {
    expect(d.rows, `${names[s]} rows`).toBeGreaterThan(0);
    expect(d.x.length, `${names[s]}: x holds rows × inputs`).toBe(d.rows * task.inputs);
    if (task.loss === 'mse') {
      // a regression set: real targets, `outputs` per row, and no labels
      expect(d.targets?.length, `${names[s]}: targets hold rows × outputs`).toBe(d.rows * (task.outputs ?? 1));
      expect(d.targets!.every(Number.isFinite), `${names[s]}: finite targets`).toBe(true);
      expect(d.x.every(Number.isFinite), `${names[s]}: finite inputs`).toBe(true);
      return;
    }
    expect(d.y.length, `${names[s]}: one label per row`).toBe(d.rows);
    const badLabel = Array.from(d.y).findIndex((y) => !(Number.isInteger(y) && y >= 0 && y < task.classes));
    expect(badLabel, `${names[s]}: first label outside 0..${task.classes - 1}`).toBe(-1);
    expect(d.x.every(Number.isFinite), `${names[s]}: finite inputs`).toBe(true);
  });
  expect(new Set(task.probes.map((p) => p.name)).size, 'probe names are distinct').toBe(task.probes.length);
}

/** Every probe row is labelled differently by the two hypotheses. */
export function expectProbesDisagree(task: Task): void {
  const [a, b] = task.probes;
  expect(task.probes.length).toBe(2);
  expect(Array.from(a.data.x)).toEqual(Array.from(b.data.x));
  const agree = Array.from(a.data.y).flatMap((y, r) => (y === b.data.y[r] ? [r] : []));
  expect(agree, `${task.name}: probe rows where ${a.name} and ${b.name} agree`).toEqual([]);
}

/** Best accuracy of any single threshold rule `x[c] > t → class` (either direction) on a binary set. */
export function bestStumpAccuracy(d: Dataset, c: number): number {
  const n = d.x.length / d.rows;
  const pts = Array.from({ length: d.rows }, (_, r) => ({ v: d.x[r * n + c], y: d.y[r] })).sort((p, q) => p.v - q.v);
  const ones = pts.filter((p) => p.y === 1).length;
  let best = 0;
  // threshold below the first point, then after each point: left side predicted 0, right side 1 (or the reverse)
  let leftOnes = 0;
  for (let i = 0; i <= pts.length; i++) {
    if (i > 0) leftOnes += pts[i - 1].y;
    const leftZeros = i - leftOnes;
    const rightOnes = ones - leftOnes;
    const acc = (leftZeros + rightOnes) / pts.length;
    best = Math.max(best, acc, 1 - acc);
  }
  return best;
}

export function expectSameTask(a: Task, b: Task, what: string): void {
  // the first differing index, not toEqual: a 28×28 task's 1.6 million inputs take toEqual seconds
  const same = (x: ArrayLike<number>, y: ArrayLike<number>, which: string) => {
    expect(x.length, `${what}: ${which} length`).toBe(y.length);
    let first = -1;
    for (let i = 0; i < x.length && first < 0; i++) if (!Object.is(x[i], y[i])) first = i;
    expect(first, `${what}: ${which}, first differing index`).toBe(-1);
  };
  same(a.train.x, b.train.x, 'train x');
  same(a.train.y, b.train.y, 'train y');
  a.probes.forEach((p, i) => {
    same(p.data.x, b.probes[i].data.x, `probe ${p.name} x`);
    same(p.data.y, b.probes[i].data.y, `probe ${p.name} y`);
  });
}
