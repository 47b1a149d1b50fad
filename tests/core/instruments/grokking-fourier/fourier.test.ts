import { describe, expect, it } from 'vitest';
import {
  ensembleFrequencies,
  frequencySets,
  KEY_SHARE,
  keyFrequencies,
  residuePower,
} from '../../../../src/core/instruments/grokking-fourier/fourier';
import { seededRandom, testSeed } from '../../helpers';

/**
 * A first layer [hidden][2p] whose unit j is a sinusoid of frequency ks[j] over the residues in
 * both blocks (random amplitudes and phases, as a trained modular-addition net's), plus noise.
 */
function sinusoidLayer(rand: () => number, p: number, ks: readonly number[], noise: number, amplitude = (_: number) => 1): Float32Array {
  const w = new Float32Array(ks.length * 2 * p);
  ks.forEach((k, j) => {
    for (const block of [0, 1]) {
      const a = amplitude(j) * (0.5 + rand());
      const phase = 2 * Math.PI * rand();
      for (let r = 0; r < p; r++) w[j * 2 * p + block * p + r] = a * Math.cos((2 * Math.PI * k * r) / p + phase) + noise * (2 * rand() - 1);
    }
  });
  return w;
}

describe('Fourier key frequencies of a modular-addition first layer', () => {
  it('residuePower: a cosine of frequency k has all its power at k (or p − k), (p/2)² per unit amplitude', () => {
    const p = 23;
    for (const k of [1, 5, 11, 18]) {
      const power = residuePower(
        Array.from({ length: p }, (_, r) => Math.cos((2 * Math.PI * k * r) / p + 0.7)),
        p,
      );
      const at = Math.min(k, p - k);
      power.forEach((x, i) => expect(x, `k = ${k}, power at ${i + 1}`).toBeCloseTo(i + 1 === at ? (p / 2) ** 2 : 0, 8));
    }
  });

  it('finds the frequencies a constructed layer was built from, on fresh random phases and noise', () => {
    const rand = seededRandom(testSeed('fourier constructed'));
    const p = 23;
    const chosen = [3, 7, 10];
    const ks = Array.from({ length: 48 }, (_, j) => chosen[j % 3]);
    const found = keyFrequencies(sinusoidLayer(rand, p, ks, 0.05), p, ks.length);
    expect(found.frequencies).toEqual(chosen);
    expect(found.concentration).toBeGreaterThan(0.95);
  });

  it('weak units of another frequency, under KEY_SHARE of the power, do not make it key; a pure-noise layer has low concentration', () => {
    const rand = seededRandom(testSeed('fourier stray'));
    const p = 23;
    // 40 units at 4 and 8 (amplitude 1), 4 at 9 with amplitude 0.1: 4·0.01 / 40 ≈ 0.1% of the power
    const ks = [...Array.from({ length: 40 }, (_, j) => (j % 2 ? 4 : 8)), 9, 9, 9, 9];
    const found = keyFrequencies(
      sinusoidLayer(rand, p, ks, 0, (j) => (j >= 40 ? 0.1 : 1)),
      p,
      ks.length,
    );
    expect(found.frequencies).toEqual([4, 8]);
    const noise = Float32Array.from({ length: 48 * 2 * p }, () => 2 * rand() - 1);
    expect(keyFrequencies(noise, p, 48).concentration).toBeLessThan(0.5);
    expect(KEY_SHARE).toBeGreaterThan(0.01);
  });

  it('frequencySets counts distinct sets, most common first; with nothing to measure it says so', () => {
    expect(frequencySets([[1, 5], [2], [1, 5], [2], [1, 5]])).toEqual([
      { frequencies: [1, 5], count: 3 },
      { frequencies: [2], count: 2 },
    ]);
    const none = ensembleFrequencies(new Float32Array(10), 5, 3, 1, []);
    expect(none.distinctSets).toBeNull();
    expect(none.note).toMatch(/no particle/);
  });

  it('ensembleFrequencies reads each chosen particle’s first layer from the flat vectors', () => {
    const rand = seededRandom(testSeed('fourier ensemble'));
    const p = 11;
    const hidden = 6;
    const parameters = 2 * p * hidden + hidden * p;
    const params = new Float32Array(3 * parameters);
    params.set(sinusoidLayer(rand, p, new Array(hidden).fill(2), 0), 0);
    params.set(sinusoidLayer(rand, p, new Array(hidden).fill(5), 0), parameters);
    params.set(sinusoidLayer(rand, p, new Array(hidden).fill(2), 0), 2 * parameters);
    const out = ensembleFrequencies(params, parameters, p, hidden, [0, 1, 2], 100);
    expect(out.particles.map((x) => [x.index, x.frequencies])).toEqual([
      [100, [2]],
      [101, [5]],
      [102, [2]],
    ]);
    expect(out.distinctSets).toBe(2);
  });
});
