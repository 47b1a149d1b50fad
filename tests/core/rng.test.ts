import { describe, expect, it } from 'vitest';
import { batchIndex, pcgHash, PURPOSE_BATCH, PURPOSE_INIT, PURPOSE_PLANE, randNormal, randU32, randUniform } from '../../src/core/rng';
import * as rng from '../../src/core/rng';
import { seededRandom, testSeed } from './helpers';

/** PCG-RXS-M-XS hash (Jarzynski & Olano 2020) in BigInt arithmetic: independent of the Math.imul version. */
function pcgReference(v: number): number {
  const M = 0xffffffffn;
  const state = (BigInt(v >>> 0) * 747796405n + 2891336453n) & M;
  const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) & M;
  return Number((word >> 22n) ^ word);
}

/** Pearson χ² of counts against a uniform expectation. */
function chiSquare(counts: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  const e = n / counts.length;
  return counts.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
}

// χ² critical values at a false-alarm rate of 1e-6 (scipy.stats.chi2.isf(1e-6, df)): a failure is a defect,
// not bad luck, at any seed a test run may draw
const CHI2_99_DF = 180.79;
const CHI2_9_DF = 44.81;

describe('rng', () => {
  it('pcgHash is the PCG-RXS-M-XS hash, in unsigned 32-bit arithmetic', () => {
    const seed = testSeed('pcgHash');
    const rand = seededRandom(seed);
    const inputs = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, ...Array.from({ length: 2000 }, () => Math.floor(rand() * 2 ** 32))];
    const bad = inputs
      .filter((v) => pcgHash(v) !== pcgReference(v))
      .map((v) => `pcgHash(${v}) = ${pcgHash(v)}, expected ${pcgReference(v)}`);
    expect(bad).toEqual([]);
    for (const v of inputs.slice(0, 6)) {
      const h = pcgHash(v);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff, `pcgHash(${v}) = ${h}`).toBe(true);
    }
  });

  it('randU32 chains the hash over (seed, particle, purpose, step, slot) in that order', () => {
    const seed = testSeed('randU32 chain');
    const rand = seededRandom(seed);
    for (let t = 0; t < 200; t++) {
      const key = [0, 0, 0, 0, 0].map(() => Math.floor(rand() * 2 ** 32)) as [number, number, number, number, number];
      let h = pcgReference(key[0]);
      for (const part of key.slice(1)) h = pcgReference(Number((BigInt(h) ^ BigInt(part)) & 0xffffffffn));
      expect(randU32(...key), `key ${key}`).toBe(h);
    }
  });

  it('is deterministic, and each key component changes the value', () => {
    const seed = testSeed('rng key components');
    const rand = seededRandom(seed);
    for (let t = 0; t < 100; t++) {
      const key = [0, 0, 0, 0, 0].map(() => Math.floor(rand() * 1e6)) as [number, number, number, number, number];
      const v = randU32(...key);
      expect(randU32(...key)).toBe(v);
      for (let c = 0; c < 5; c++) {
        const other = [...key] as typeof key;
        other[c] += 1;
        // a collision has probability 2^-32 per pair: 500 pairs never meet one in practice
        expect(randU32(...other), `key ${key}, component ${c} + 1`).not.toBe(v);
      }
    }
    // the purposes are distinct streams
    const purposes = Object.entries(rng).filter(([name]) => name.startsWith('PURPOSE_'));
    expect(purposes.length).toBeGreaterThanOrEqual(7);
    expect(new Set(purposes.map(([, v]) => v)).size, purposes.map(([n, v]) => `${n}=${v}`).join(' ')).toBe(purposes.length);
  });

  it('randUniform is in [0, 1), a multiple of 2^-24 (exact in float32), and takes the top 24 bits', () => {
    const seed = testSeed('randUniform range');
    for (let slot = 0; slot < 20000; slot++) {
      const u = randUniform(seed, 3, PURPOSE_INIT, 0, slot);
      const k = u * 2 ** 24;
      if (!(u >= 0 && u < 1 && Number.isInteger(k) && Math.fround(u) === u)) expect.fail(`slot ${slot}: ${u}`);
      expect(k).toBe(randU32(seed, 3, PURPOSE_INIT, 0, slot) >>> 8);
    }
  });

  it(`uniform: χ² over 100 bins of 1e5 draws stays below ${CHI2_99_DF} (p = 1e-6) along slots, particles and steps`, () => {
    const seed = testSeed('randUniform chi-square');
    const N = 100000;
    const streams: [string, (i: number) => number][] = [
      ['slots', (i) => randUniform(seed, 0, PURPOSE_BATCH, 0, i)],
      ['particles', (i) => randUniform(seed, i, PURPOSE_INIT, 0, 0)],
      ['steps', (i) => randUniform(seed, 7, PURPOSE_BATCH, i, 1)],
      ['seeds', (i) => randUniform(i, 0, PURPOSE_INIT, 0, 0)],
    ];
    for (const [name, draw] of streams) {
      const counts = new Array<number>(100).fill(0);
      let sum = 0;
      let lag = 0;
      let prev = draw(0) - 0.5;
      for (let i = 0; i < N; i++) {
        const u = draw(i);
        counts[Math.floor(u * 100)]++;
        sum += u;
        if (i > 0) {
          lag += (u - 0.5) * prev;
          prev = u - 0.5;
        }
      }
      const chi2 = chiSquare(counts);
      expect(chi2, `χ² along ${name} (seed ${seed})`).toBeLessThan(CHI2_99_DF);
      // mean 1/2 within 5 standard errors (σ = √(1/12)/√N ≈ 0.0009)
      expect(Math.abs(sum / N - 0.5), `mean along ${name}`).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
      // lag-1 correlation within 5 standard errors (≈ 1/√N)
      expect(Math.abs(lag / (N - 1) / (1 / 12)), `lag-1 correlation along ${name}`).toBeLessThan(5 / Math.sqrt(N));
    }
  });

  it('randNormal: mean 0 and variance 1 within 5 standard errors over 2e4 draws, always finite', () => {
    const seed = testSeed('randNormal moments');
    const N = 20000;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < N; i++) {
      const x = randNormal(seed, 0, PURPOSE_PLANE, 0, i);
      if (!Number.isFinite(x)) expect.fail(`slot ${i}: ${x}`);
      s1 += x;
      s2 += x * x;
    }
    const mean = s1 / N;
    const variance = s2 / N - mean * mean;
    expect(Math.abs(mean), 'mean').toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(variance - 1), 'variance').toBeLessThan(5 * Math.sqrt(2 / N));
  });

  it('batchIndex: an integer in [0, rows), roughly uniform (χ² over 10 rows, 1e5 draws, p = 1e-6), = randU32 of the batch stream mod rows', () => {
    const seed = testSeed('batchIndex');
    for (const rows of [1, 2, 3, 10, 64, 1000, 65537]) {
      for (let k = 0; k < 2000; k++) {
        const i = batchIndex(seed, k % 17, k, k % 5, rows);
        if (!(Number.isInteger(i) && i >= 0 && i < rows)) expect.fail(`rows ${rows}, draw ${k}: index ${i}`);
        expect(i).toBe(randU32(seed, k % 17, PURPOSE_BATCH, k, k % 5) % rows);
      }
    }
    const counts = new Array<number>(10).fill(0);
    for (let step = 0; step < 10000; step++) for (let slot = 0; slot < 10; slot++) counts[batchIndex(seed, 1, step, slot, 10)]++;
    expect(chiSquare(counts), `χ² of batch indices, counts ${counts}`).toBeLessThan(CHI2_9_DF);
  });
});
