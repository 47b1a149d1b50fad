import { describe, expect, it } from 'vitest';
import { decompose, purity, sharesOf, type OutcomeMatrix } from '../../../../src/core/instruments/decompose/decompose';
import { seeded, testSeed } from '../../../helpers/random';

const matrix = (rows: number[][], classes = 3): OutcomeMatrix => ({
  outcomes: Uint8Array.from(rows.flat()),
  inits: rows.length,
  noises: rows[0].length,
  classes,
});

describe('init vs noise: entropies and shares on hand-built matrices', () => {
  it('rows constant, two classes half and half: H = 1 bit, all of it the init', () => {
    const s = sharesOf(
      matrix([
        [0, 0, 0, 0],
        [1, 1, 1, 1],
        [0, 0, 0, 0],
        [1, 1, 1, 1],
      ]),
    );
    expect(s.h).toBeCloseTo(1, 12);
    expect(s.hGivenInit).toBe(0);
    expect(s.hGivenNoise).toBeCloseTo(1, 12);
    expect(s.initShare).toBeCloseTo(1, 12);
    expect(s.noiseShare).toBeCloseTo(0, 12);
  });

  it('columns constant: all of it the noise', () => {
    const s = sharesOf(
      matrix([
        [0, 1, 2, 0],
        [0, 1, 2, 0],
        [0, 1, 2, 0],
      ]),
    );
    // classes 0, 1, 2 with shares 1/2, 1/4, 1/4: H = 1.5 bits
    expect(s.h).toBeCloseTo(1.5, 12);
    expect(s.noiseShare).toBeCloseTo(1, 12);
    expect(s.initShare).toBeCloseTo(0, 12);
  });

  it('a known mixed case: H, both conditional entropies and the shares by hand', () => {
    // row 0 all class 0; row 1 half 0, half 1 → H(O) = H(3/4, 1/4), H(O|init) = (0 + 1) / 2
    const s = sharesOf(
      matrix([
        [0, 0, 0, 0],
        [0, 0, 1, 1],
      ]),
    );
    const h = -(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25));
    expect(s.h).toBeCloseTo(h, 12);
    expect(s.hGivenInit).toBeCloseTo(0.5, 12);
    expect(s.initShare).toBeCloseTo((h - 0.5) / h, 12);
    // columns: two of (0, 0), two of (0, 1) → H(O|noise) = (0 + 0 + 1 + 1) / 4
    expect(s.hGivenNoise).toBeCloseTo(0.5, 12);
  });

  it('one outcome everywhere: nothing to explain, shares NaN rather than a number', () => {
    const s = sharesOf(
      matrix([
        [2, 2],
        [2, 2],
      ]),
    );
    expect(s.h).toBe(0);
    expect(s.initShare).toBeNaN();
  });

  it('purity is each row’s majority share', () => {
    expect(
      Array.from(
        purity(
          matrix([
            [0, 0, 1, 2],
            [1, 1, 1, 1],
          ]),
        ),
      ),
    ).toEqual([0.5, 1]);
  });
});

describe('the bootstrap and the shuffled floor', () => {
  it('cover the truth on random matrices drawn with a known init effect, and the floor sits below a real effect', () => {
    const seed = testSeed('decompose bootstrap');
    const rand = seeded(seed);
    // each init has its own class probability p_i ∈ {0.1, 0.9}: the init explains much, the noise nothing
    const rows = Array.from({ length: 48 }, () => {
      const p = rand() < 0.5 ? 0.1 : 0.9;
      return Array.from({ length: 48 }, () => (rand() < p ? 1 : 0));
    });
    const d = decompose(matrix(rows, 2), 400, seed);
    // the population value: H(O) = 1 bit, H(O | init) = H(0.1) → share = 1 − H(0.1)
    const truth = 1 + (0.1 * Math.log2(0.1) + 0.9 * Math.log2(0.9));
    expect(d.initShareInterval.low).toBeLessThan(truth + 0.02);
    expect(d.initShareInterval.high).toBeGreaterThan(truth - 0.02);
    expect(d.initShareInterval.low).toBeLessThanOrEqual(d.initShare);
    expect(d.initShareInterval.high).toBeGreaterThanOrEqual(d.initShare);
    expect(d.noiseShare).toBeLessThan(0.05);
    expect(d.shuffledShare.init).toBeLessThan(0.05);
    expect(d.initShare).toBeGreaterThan(10 * d.shuffledShare.init);
    // reproducible: the same seed, the same intervals
    expect(decompose(matrix(rows, 2), 400, seed).initShareInterval).toEqual(d.initShareInterval);
  });
});
