import { describe, expect, it } from 'vitest';
import { flopsPerEvaluation, flopsPerParticleStep, layerSpans, outputsFor, paramCount } from '../../src/core/layout';

describe('layout', () => {
  it('layerSpans: weight [out][in] then bias [out], layer after layer', () => {
    // 2-3-1: layer 0 weights at 0..5, bias 6..8; layer 1 weights 9..11, bias 12
    expect(layerSpans([2, 3, 1])).toEqual([
      { fanIn: 2, fanOut: 3, w: 0, b: 6 },
      { fanIn: 3, fanOut: 1, w: 9, b: 12 },
    ]);
    expect(layerSpans([4])).toEqual([]);
  });

  it('paramCount matches Σ in·out + out and the end of the last span', () => {
    const cases: [number[], number][] = [
      [[2, 3, 1], 13],
      [[3, 16, 1], 81],
      [[3, 16, 16, 1], 353],
      [[16, 32, 3], 643],
      [[5, 1], 6],
    ];
    for (const [widths, n] of cases) {
      expect(paramCount(widths), widths.join('-')).toBe(n);
      const last = layerSpans(widths).at(-1)!;
      expect(last.b + last.fanOut, widths.join('-')).toBe(n);
    }
  });

  it('outputsFor: 2 classes → one logit, k > 2 → k logits', () => {
    expect([outputsFor(2), outputsFor(3), outputsFor(10)]).toEqual([1, 3, 10]);
  });

  it('FLOP counts follow the documented formula (hand-computed for 3-16-1)', () => {
    // per example: layer 0 (48 MACs): forward + weight gradient = 4·48 = 192;
    // layer 1 (16 MACs): forward + weight gradient + back-propagated delta = 6·16 = 96 → 288
    expect(flopsPerParticleStep([3, 16, 1], 16, 'sgd')).toBe(16 * 288 + 4 * 81);
    expect(flopsPerParticleStep([3, 16, 1], 16, 'momentum')).toBe(16 * 288 + 6 * 81);
    expect(flopsPerParticleStep([3, 16, 1], 1, 'adam')).toBe(288 + 14 * 81);
    expect(flopsPerEvaluation([3, 16, 1], 64)).toBe(2 * 64 * 64);
  });
});
