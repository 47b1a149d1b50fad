import { describe, expect, it } from 'vitest';
import { makeDataset, taskSets, type Task } from '../../src/core/task';

describe('task', () => {
  it('makeDataset: row-major float32 x, int32 labels, row count', () => {
    const d = makeDataset(
      [
        [1, 2, 3],
        [4, 5, 6.1],
      ],
      [1, 0],
    );
    expect(d.x).toBeInstanceOf(Float32Array);
    expect(d.y).toBeInstanceOf(Int32Array);
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4, 5, Math.fround(6.1)]);
    expect(Array.from(d.y)).toEqual([1, 0]);
    expect(d.rows).toBe(2);
    expect(makeDataset([], [])).toMatchObject({ rows: 0 });
  });

  it('taskSets: the training set first, then the probes in order', () => {
    const [a, b, c] = [0, 1, 2].map((v) => makeDataset([[v]], [0]));
    const task: Task = {
      name: 't',
      description: '',
      inputs: 1,
      classes: 2,
      train: a,
      probes: [
        { name: 'p', data: b },
        { name: 'q', data: c },
      ],
      params: {},
    };
    expect(taskSets(task)).toEqual([a, b, c]);
    expect(taskSets(task)[2]).toBe(c);
  });
});
