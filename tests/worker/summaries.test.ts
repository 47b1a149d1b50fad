import { describe, expect, it } from 'vitest';
import { MetricsView } from '../../src/core/metricsView';
import { band, strengths } from '../../src/worker/summaries';
import { seeded, testSeed } from '../helpers/random';

/** Metrics of `count` particles on `sets` sets: losses 0..5, accuracies 0..1, some non-finite. */
function randomMetrics(rand: () => number, count: number, sets: number, badShare = 0.1): MetricsView {
  const m = MetricsView.zeros(count, sets);
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < sets; s++) {
      const bad = () => (rand() < badShare ? [NaN, Infinity, -Infinity][Math.floor(3 * rand())] : undefined);
      m.set(i, s, bad() ?? 5 * rand(), bad() ?? Math.round(20 * rand()) / 20);
    }
  }
  return m;
}

/** The q-quantile by the textbook recipe: sort the finite values, interpolate between neighbours. */
function referenceQuantile(values: number[], q: number): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  return lo === v.length - 1 ? v[lo] : v[lo] * (1 - (pos - lo)) + v[lo + 1] * (pos - lo);
}

describe('band', () => {
  it('is the 10%, 50% and 90% quantile of the finite values of one set and metric (random ensembles)', () => {
    const seed = testSeed('band');
    const rand = seeded(seed);
    for (let t = 0; t < 40; t++) {
      const sets = 1 + Math.floor(4 * rand());
      const count = 1 + Math.floor(300 * rand());
      const m = randomMetrics(rand, count, sets, rand() < 0.2 ? 0.9 : 0.1);
      for (let s = 0; s < sets; s++) {
        for (const metric of [0, 1] as const) {
          const values = Array.from({ length: count }, (_, i) => (metric === 0 ? m.loss(i, s) : m.acc(i, s)));
          const got = band(m, s, metric);
          const want = { lo: referenceQuantile(values, 0.1), mid: referenceQuantile(values, 0.5), hi: referenceQuantile(values, 0.9) };
          for (const k of ['lo', 'mid', 'hi'] as const) {
            const ok =
              (Number.isNaN(got[k]) && Number.isNaN(want[k])) || Math.abs(got[k] - want[k]) <= 1e-12 * Math.max(1, Math.abs(want[k]));
            if (!ok) expect.fail(`set ${s} metric ${metric} ${k}: got ${got[k]}, expected ${want[k]} (${count} particles, seed ${seed})`);
          }
          expect((got.lo <= got.mid && got.mid <= got.hi) || Number.isNaN(got.mid), `ordered, seed ${seed}`).toBe(true);
        }
      }
    }
  });

  it('small cases by hand: one value, an even count, nothing finite', () => {
    const m = new MetricsView(Float32Array.of(3, 0.5, 1, 0.25, NaN, 1, 2, Infinity), 1);
    expect(band(m, 0, 0)).toEqual({ lo: 1.2, mid: 2, hi: 2.8 });
    expect(band(m, 0, 1)).toEqual({ lo: 0.3, mid: 0.5, hi: 0.9 });
    expect(band(new MetricsView(Float32Array.of(NaN, NaN), 1), 0, 0)).toEqual({ lo: NaN, mid: NaN, hi: NaN });
    expect(band(new MetricsView(Float32Array.of(4, 1), 1), 0, 0)).toEqual({ lo: 4, mid: 4, hi: 4 });
  });
});

describe('strengths', () => {
  it('a hypothesis by its probe accuracy, mixed by the best probe, unconverged by train accuracy, diverged 1; non-finite 0', () => {
    const seed = testSeed('strengths');
    const rand = seeded(seed);
    for (let t = 0; t < 40; t++) {
      const h = 1 + Math.floor(4 * rand());
      const count = 1 + Math.floor(200 * rand());
      const m = randomMetrics(rand, count, h + 1);
      const outcomes = Uint8Array.from({ length: count }, () => Math.floor((h + 3) * rand()));
      const got = strengths(m, outcomes);
      for (let i = 0; i < count; i++) {
        const c = outcomes[i];
        const probeAcc = Array.from({ length: h }, (_, p) => m.acc(i, p + 1));
        let want: number;
        if (c < h) want = probeAcc[c];
        else if (c === h) want = Math.max(0, ...probeAcc);
        else if (c === h + 1) want = m.acc(i, 0);
        else want = 1;
        if (!Number.isFinite(want)) want = 0;
        if (got[i] !== Math.fround(want))
          expect.fail(`particle ${i}, class ${c} of ${h} hypotheses: got ${got[i]}, expected ${want} (seed ${seed})`);
      }
    }
  });
});
