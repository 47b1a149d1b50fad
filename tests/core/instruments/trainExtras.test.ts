import { describe, expect, it } from 'vitest';
import { mergeTrainExtras, TRAIN_EXTRAS, trainExtraLines } from '../../../src/core/instruments/trainExtras';

/** A shard's `fourier` as train writes it: the measured particles with their key frequencies. */
const fourier = (sets: number[][], first: number) => ({
  of: 'generalised particles',
  particles: sets.map((frequencies, i) => ({ index: first + i, frequencies })),
});

describe("train's extras, read from one list", () => {
  it("keys are unique, so no extra can overwrite another in train's JSON", () => {
    const keys = TRAIN_EXTRAS.map((x) => x.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('merge rebuilds an extra the shards carry from every shard, and adds none they lack', () => {
    const merged = mergeTrainExtras([{ fourier: fourier([[1, 2]], 0) }, { fourier: fourier([[3], [1, 2]], 1) }]);
    expect(merged).toEqual({
      fourier: expect.objectContaining({
        measured: 3,
        distinctSets: 2,
        sets: [
          { frequencies: [1, 2], count: 2 },
          { frequencies: [3], count: 1 },
        ],
      }),
    });
    expect(mergeTrainExtras([{ counts: {} }, { counts: {} }])).toEqual({});
  });

  it("the summary tells each extra a result carries, in the extra's words, and nothing for one it lacks", () => {
    const merged = mergeTrainExtras([
      {
        fourier: fourier(
          [
            [1, 2],
            [1, 2],
          ],
          0,
        ),
      },
    ]);
    expect(trainExtraLines(merged)).toEqual(['  Fourier key frequencies of 2 generalised particles: 1 distinct set: {1, 2} × 2']);
    expect(trainExtraLines({})).toEqual([]);
  });
});
