import { describe, expect, it } from 'vitest';
import { Chunker, firstChunk, FIRST_CHUNK_FLOPS } from '../../src/engine/chunker';
import { flopsPerParticleStep } from '../../src/core/layout';
import { seeded, testSeed } from '../helpers/random';

describe('Chunker', () => {
  it('sizes chunks to the target from the last timing, growing at most 4× per chunk', () => {
    const rand = seeded(testSeed('chunker'));
    const msPerUnit = 0.001 + rand() * 0.1;
    const c = new Chunker(50, 16);
    expect(c.next(1e9)).toBe(16);
    let units = 16;
    for (let i = 0; i < 20; i++) {
      c.record(units, units * msPerUnit);
      const next = c.next(1e9);
      expect(next).toBeLessThanOrEqual(4 * units);
      units = next;
    }
    // (units · m) / units may round m by an ulp, and floor() turn that into one unit
    expect(Math.abs(units - Math.floor(50 / msPerUnit))).toBeLessThanOrEqual(1);
    expect(c.next(7)).toBe(7);
  });

  it('predicts from the fastest chunk per unit, so one slow chunk does not lengthen the next sleep', () => {
    const c = new Chunker(50, 100);
    expect(c.predictMs(100)).toBe(0);
    c.record(100, 500); // the first chunk, with pipeline compilation
    c.record(100, 20);
    c.record(100, 80); // a load spike
    expect(c.predictMs(1000)).toBeCloseTo(200, 9);
    // sizing still follows the last chunk: a slower device gets smaller chunks at once
    expect(c.next(1e9)).toBe(Math.floor(50 / 0.8));
  });

  it('sizes a first, untimed chunk by its work: a big net on a slow device starts with one particle-step', () => {
    // the grokking story's net (46-48-23, full batch of 317 pairs, AdamW): 6.4 MFLOP a particle-step
    const grokking = flopsPerParticleStep([46, 48, 23], 317, 'adamw');
    expect(firstChunk(grokking, 4096)).toBe(Math.max(1, Math.floor(FIRST_CHUNK_FLOPS / grokking)));
    expect(firstChunk(grokking, 4096) * grokking).toBeLessThanOrEqual(Math.max(grokking, FIRST_CHUNK_FLOPS));
    // a 3-16-1 net with batch 16 starts with many, up to the cap
    expect(firstChunk(flopsPerParticleStep([3, 16, 1], 16, 'sgd'), 4096)).toBeGreaterThan(1000);
    expect(firstChunk(1, 4096)).toBe(4096);
    expect(firstChunk(1e12, 4096)).toBe(1);
  });
});
