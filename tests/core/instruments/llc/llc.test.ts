import { describe, expect, it } from 'vitest';
import { estimateLlc, llcByClass } from '../../../../src/core/instruments/llc/llc';
import { defaultNbeta, parseLlcSettings, resolveSgld } from '../../../../src/core/instruments/llc/llcAnalysis';
import type { SgldResult } from '../../../../src/core/engine';

/** Two particles × three chains, written out by hand. */
function result(overrides: Partial<SgldResult> = {}): SgldResult {
  return {
    centerLoss: Float64Array.of(0.5, 0.2),
    meanLoss: Float64Array.of(0.6, 0.7, 0.8, 0.25, 0.3, NaN),
    below: Float64Array.of(0, 0.1, 0.2, 0.3, 0.1, NaN),
    diverged: Uint8Array.of(0, 0, 0, 0, 0, 1),
    ...overrides,
  };
}

describe('the LLC estimate from chain losses', () => {
  it('is nβ·(mean draw loss − L(w*)) per chain, averaged over the chains that did not diverge', () => {
    const e = estimateLlc(result(), 2, 3, 10);
    // chains of particle 0: 1, 2, 3 → mean 2, sd 1
    expect(e.llc[0]).toBeCloseTo(2, 12);
    expect(e.llcStd[0]).toBeCloseTo(1, 12);
    expect(e.below[0]).toBeCloseTo(0.1, 12);
    expect(e.problems[0]).toBeUndefined();
    // particle 1: chains 0.5 and 1 (the third diverged) → 0.75
    expect(e.llc[1]).toBeCloseTo(0.75, 12);
    expect(e.llcStd[1]).toBeCloseTo(Math.SQRT1_2 * 0.5, 12);
    expect(e.problems[1]).toMatch(/1 of 3 chains diverged.*--llc-eps/);
  });

  it('flags particles whose draws mostly fall below L(w*), whose λ̂ is negative, or that diverged in training', () => {
    const below = result({
      below: Float64Array.of(0.6, 0.7, 0.8, 0, 0, 0),
      diverged: new Uint8Array(6),
      meanLoss: Float64Array.of(0.6, 0.7, 0.8, 0.1, 0.15, 0.2),
    });
    const e = estimateLlc(below, 2, 3, 10);
    expect(e.problems[0]).toMatch(/most draws \(70%\).*not a local minimum/);
    expect(e.llc[1]).toBeLessThan(0);
    expect(e.problems[1]).toMatch(/λ̂ < 0/);
    const skipped = estimateLlc(result(), 2, 3, 10, Uint8Array.of(1, 0));
    expect(skipped.problems[0]).toMatch(/diverged in training/);
    expect(Number.isNaN(skipped.llc[0])).toBe(true);
  });

  it('summarises each class by median and quartiles, leaving out particles with a problem', () => {
    const e = {
      llc: Float64Array.of(1, 2, 3, 4, 100),
      llcStd: new Float64Array(5),
      below: new Float64Array(5),
      problems: [undefined, undefined, undefined, undefined, 'bad'],
    };
    const s = llcByClass(e, Uint8Array.of(0, 0, 0, 1, 0), ['a', 'b', 'c']);
    expect(s.a).toEqual({ count: 3, median: 2, q1: 1.5, q3: 2.5 });
    expect(s.b.count).toBe(1);
    expect(s.c.count).toBe(0);
    expect(Number.isNaN(s.c.median)).toBe(true);
  });
});

describe('LLC settings', () => {
  it('default nβ is n / log n; --llc-beta sets nβ itself', () => {
    expect(defaultNbeta(64)).toBeCloseTo(64 / Math.log(64), 12);
    expect(resolveSgld(parseLlcSettings({}, 64), 64).nbeta).toBeCloseTo(64 / Math.log(64), 12);
    expect(resolveSgld(parseLlcSettings({ llcBeta: '7.5' }, 64), 64).nbeta).toBe(7.5);
  });

  it('refuses each out-of-range value with one line naming the flag and its range', () => {
    const bad: [keyof Parameters<typeof parseLlcSettings>[0], string, RegExp][] = [
      ['llcEps', '0', /^--llc-eps must be a positive number up to 1, got "0"$/],
      ['llcEps', '1.5', /^--llc-eps must be/],
      ['llcGamma', '-1', /^--llc-gamma must be a number from 0 to 1000000/],
      ['llcBeta', '0', /^--llc-beta must be a positive number/],
      ['chains', '2.5', /^--chains must be an integer from 1 to 64/],
      ['burnin', '-3', /^--burnin must be an integer from 0/],
      ['draws', '0', /^--draws must be an integer from 1/],
      ['llcBatch', '65', /^--llc-batch must be "full" or an integer from 1 to 64/],
      ['llcBatch', 'some', /^--llc-batch must be/],
    ];
    for (const [field, value, message] of bad) expect(() => parseLlcSettings({ [field]: value }, 64), `${field} ${value}`).toThrow(message);
  });
});
