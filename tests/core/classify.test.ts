import { describe, expect, it } from 'vitest';
import { classify, DEFAULT_THRESHOLDS, DIVERGED, MIXED, outcomeClasses, UNCONVERGED } from '../../src/core/classify';
import { makeDataset, type Task } from '../../src/core/task';

const dummy = makeDataset([[0]], [0]);
const taskWith = (...probes: string[]): Task => ({
  name: 't',
  description: '',
  inputs: 1,
  classes: 2,
  train: dummy,
  probes: probes.map((name) => ({ name, data: dummy })),
  params: {},
});
const TWO = taskWith('colour', 'shape');
// outcome indices for TWO: colour 0, shape 1, mixed 2, unconverged 3, diverged 4

/** Metrics of particles given as [train acc, probe accs...]; losses 0.1 unless given as a second row. */
function metrics(rows: number[][], losses?: number[][]): Float32Array {
  return Float32Array.from(rows.flatMap((accs, i) => accs.flatMap((acc, s) => [losses?.[i]?.[s] ?? 0.1, acc])));
}

describe('classify', () => {
  it('outcome classes: the hypotheses in probe order, then mixed, unconverged, diverged', () => {
    expect(outcomeClasses(TWO)).toEqual(['colour', 'shape', MIXED, UNCONVERGED, DIVERGED]);
    expect([MIXED, UNCONVERGED, DIVERGED]).toEqual(['mixed', 'unconverged', 'diverged']);
  });

  it('each branch with the default thresholds (train 0.95, probe 0.9)', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ train: 0.95, probe: 0.9 });
    const m = metrics([
      [1, 0.95, 0.05], // colour
      [0.97, 0.1, 0.92], // shape
      [1, 0.5, 0.5], // neither hypothesis passes → mixed
      [1, 0.95, 0.93], // both pass → mixed
      [0.8, 1, 0], // training accuracy too low → unconverged, whatever the probes say
      [0.5, 0.5, 0.5], // unconverged
    ]);
    expect(Array.from(classify(TWO, m, undefined, DEFAULT_THRESHOLDS))).toEqual([0, 1, 2, 2, 3, 3]);
  });

  it('diverged: the flag, or any non-finite loss or accuracy, wins over every other class', () => {
    const good = [1, 1, 0];
    const m = metrics(
      [good, good, good, good, good, good],
      [
        [0.1, 0.1, 0.1],
        [NaN, 0.1, 0.1],
        [0.1, 0.1, Infinity],
        [0.1, -Infinity, 0.1],
        [0.1, 0.1, 0.1],
        [0.1, 0.1, 0.1],
      ],
    );
    m[4 * 6 + 3] = NaN; // particle 4: NaN probe accuracy
    const flags = Uint8Array.of(0, 0, 0, 0, 0, 1);
    expect(Array.from(classify(TWO, m, flags, DEFAULT_THRESHOLDS))).toEqual([0, 4, 4, 4, 4, 4]);
    // without flags only the metrics count
    expect(classify(TWO, m, undefined, DEFAULT_THRESHOLDS)[5]).toBe(0);
  });

  it('thresholds are inclusive: accuracy equal to τ passes (values exact in float32)', () => {
    const t = { train: 0.75, probe: 0.5 };
    const m = metrics([
      [0.75, 0.5, 0.25],
      [0.75, 0.25, 0.5],
      [0.7499, 0.5, 0.25],
      [0.75, 0.4999, 0.25],
    ]);
    expect(Array.from(classify(TWO, m, undefined, t))).toEqual([0, 1, 3, 2]);
  });

  it('thresholds are configurable', () => {
    const m = metrics([
      [0.9, 0.85, 0.1],
      [0.99, 0.85, 0.8],
    ]);
    expect(Array.from(classify(TWO, m, undefined, DEFAULT_THRESHOLDS)), 'defaults').toEqual([3, 2]);
    expect(Array.from(classify(TWO, m, undefined, { train: 0.9, probe: 0.85 })), 'train 0.9, probe 0.85').toEqual([0, 0]);
    expect(Array.from(classify(TWO, m, undefined, { train: 0.9, probe: 0.8 })), 'train 0.9, probe 0.8').toEqual([0, 2]);
  });

  it('k/n accuracies exactly at the default thresholds pass: 19/20 train, 9/10 probe', () => {
    // metrics are float32: float32(0.95) < 0.95 and float32(0.9) < 0.9 in float64, yet 19 of 20 correct
    // is a training accuracy of 95%, which is not below τ_train = 0.95
    const m = metrics([
      [19 / 20, 9 / 10, 1 / 10],
      [19 / 20, 1 / 10, 9 / 10],
      [18 / 20, 1, 0],
      [1, 17 / 20, 3 / 20],
    ]);
    expect(Array.from(classify(TWO, m, undefined, DEFAULT_THRESHOLDS))).toEqual([0, 1, 3, 2]);
  });

  it('three hypotheses: exactly one passing wins; none, two or three passing is mixed', () => {
    const THREE = taskWith('a', 'b', 'c');
    const m = metrics([
      [1, 0, 0, 1],
      [1, 0, 1, 0],
      [1, 1, 1, 0],
      [1, 1, 1, 1],
      [1, 0, 0, 0],
    ]);
    expect(Array.from(classify(THREE, m, undefined, DEFAULT_THRESHOLDS))).toEqual([2, 1, 3, 3, 3]);
    expect(outcomeClasses(THREE)[3]).toBe('mixed');
  });

  it('a task without probes: converged particles are all mixed', () => {
    const NONE = taskWith();
    expect(Array.from(classify(NONE, metrics([[1], [0.2]]), undefined, DEFAULT_THRESHOLDS))).toEqual([0, 1]);
    expect(outcomeClasses(NONE)).toEqual(['mixed', 'unconverged', 'diverged']);
  });
});
