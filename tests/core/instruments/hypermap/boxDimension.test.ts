import { describe, expect, it } from 'vitest';
import { boxDimension, mapBoundaryDimension } from '../../../../src/core/instruments/hypermap/boxDimension';
import { seededRandom, testSeed } from '../../helpers';

const map = (res: number, inside: (x: number, y: number) => boolean): boolean[] =>
  Array.from({ length: res * res }, (_, k) => inside((k % res) / (res - 1), Math.floor(k / res) / (res - 1)));

/** Level-k Sierpiński carpet on 3^k cells a side (plus one, so the windows tile it exactly). */
function carpet(k: number): { res: number; inside: boolean[] } {
  const res = 3 ** k + 1;
  const kept = (i: number, j: number): boolean => {
    for (; i > 0 || j > 0; i = Math.floor(i / 3), j = Math.floor(j / 3)) if (i % 3 === 1 && j % 3 === 1) return false;
    return true;
  };
  const inside = Array.from({ length: res * res }, (_, n) => kept(Math.min(n % res, res - 2), Math.min(Math.floor(n / res), res - 2)));
  return { res, inside };
}

describe('boxDimension: the box-counting dimension of a two-class boundary', () => {
  it('a straight boundary and a circle measure 1 (± 0.05)', () => {
    const line = boxDimension(
      map(129, (x, y) => y < 0.3 + 0.4 * x),
      129,
    );
    expect(line!.dimension).toBeGreaterThan(0.95);
    expect(line!.dimension).toBeLessThan(1.05);
    const circle = boxDimension(
      map(257, (x, y) => (x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.1),
      257,
    );
    expect(Math.abs(circle!.dimension - 1)).toBeLessThan(0.05);
  });

  it('classes drawn at random in every cell fill the plane: 2 (± 0.02)', () => {
    const rand = seededRandom(testSeed('box dimension noise'));
    const d = boxDimension(
      map(129, () => rand() < 0.5),
      129,
    )!.dimension;
    expect(Math.abs(d - 2)).toBeLessThan(0.02);
  });

  it("a Sierpiński carpet's boundary measures log 8 / log 3 = 1.893 (± 0.05)", () => {
    const { res, inside } = carpet(5);
    const r = boxDimension(inside, res)!;
    expect(r.sizes).toEqual([2, 4, 8, 16, 32]);
    expect(Math.abs(r.dimension - Math.log(8) / Math.log(3))).toBeLessThan(0.05);
    // the counts fall as the boxes grow, each size covering what the next finer one does
    for (let k = 1; k < r.counts.length; k++) expect(r.counts[k]).toBeLessThan(r.counts[k - 1]);
    // each local slope is log2 of the count's fall from one size to the next
    expect(r.localSlopes).toHaveLength(4);
    r.localSlopes.forEach((slope, k) => expect(slope).toBeCloseTo(Math.log2(r.counts[k] / r.counts[k + 1]), 12));
  });

  it('says nothing where there is no boundary or the map is too small for three box sizes', () => {
    expect(
      boxDimension(
        map(64, () => true),
        64,
      ),
    ).toBeUndefined();
    expect(
      boxDimension(
        map(32, (x) => x < 0.5),
        32,
      ),
    ).toBeUndefined();
    expect(
      boxDimension(
        map(33, (x) => x < 0.5),
        33,
      )!.sizes,
    ).toEqual([2, 4, 8]);
    expect(() => boxDimension([true, false], 3)).toThrow('a 3 × 3 map has 9 cells, got 2');
  });

  it("a hyper map's boundary: cells where most particles converged against the rest, counts flat per cell", () => {
    const res = 65;
    // 3 particles a cell: left of x = 0.5, 2 converged and 1 diverged; right of it, 1 and 2
    const left = (cell: number) => cell % res < res / 2;
    const counts = Array.from({ length: res * res }, (_, cell) => (left(cell) ? [2, 1] : [1, 2])).flat();
    const map = mapBoundaryDimension(['converged', 'diverged'], counts, res)!;
    const direct = boxDimension(
      Array.from({ length: res * res }, (_, cell) => left(cell)),
      res,
    )!;
    expect(map).toEqual(direct);
    expect(map.dimension).toBeCloseTo(1, 5);
    expect(mapBoundaryDimension(['colour', 'shape'], counts, res)).toBeUndefined();
  });
});
