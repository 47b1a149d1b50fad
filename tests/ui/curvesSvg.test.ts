import { describe, expect, it } from 'vitest';
import { curvesSvg } from '../../src/ui/export/curvesSvg';
import type { CurvePoint } from '../../src/ui/state/runData.svelte';
import { seeded, testSeed } from '../helpers/random';

/** Curves like a run's: loss falling over a few decades, accuracies rising, bands around medians. */
function randomCurves(rand: () => number, frames: number, probes: number): CurvePoint[] {
  return Array.from({ length: frames }, (_, f) => {
    const loss = 0.7 * 10 ** (-3 * (f / frames) * rand() - 0.01);
    const band = (mid: number, spread: number) => ({ lo: mid * (1 - spread), mid, hi: Math.min(mid * (1 + spread), 1e9) });
    return {
      step: f * 20,
      trainLoss: band(loss, 0.5 * rand()),
      trainAcc: band(Math.min(1, 0.5 + f / frames), 0.1),
      probeAcc: Array.from({ length: probes }, () => band(rand(), 0.3)),
      tracked: new Float32Array(0),
    };
  });
}

const attr = (svg: string, name: string) => [...svg.matchAll(new RegExp(`\\b${name}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('curves SVG export', () => {
  it('has axes with units, a legend entry per line, power-of-ten loss ticks, and nothing outside its box', () => {
    const seed = testSeed('curves SVG');
    const rand = seeded(seed);
    const probes = ['colour', 'shape'];
    const svg = curvesSvg({ curves: randomCurves(rand, 50, 2), probes, colours: ['#4e79a7', '#f28e2b'], title: 'thneeb · test' });
    const why = `seed ${seed}`;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), why).toBe(true);
    for (const label of [
      'train loss (nats)',
      'accuracy (%)',
      'step (optimizer steps)',
      'colour probe accuracy',
      'shape probe accuracy',
      '10–90% of particles',
    ])
      expect(svg, `${why}: ${label}`).toContain(label);
    expect(svg, why).toMatch(/>10⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+</);
    expect(svg, why).not.toContain('NaN');
    // loss band + median, a band and a median per probe, the train accuracy
    expect(svg.match(/<path /g)!.length, why).toBe(2 + 2 * probes.length + 1);
    const [width, height] = [Number(attr(svg, 'width')[0]), Number(attr(svg, 'height')[0])];
    const coords = attr(svg, 'd').flatMap((d) => [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
    expect(coords.length, why).toBeGreaterThan(100);
    for (const [x, y] of coords) {
      expect(x, why).toBeGreaterThanOrEqual(0);
      expect(x, why).toBeLessThanOrEqual(width);
      expect(y, why).toBeGreaterThanOrEqual(0);
      expect(y, why).toBeLessThanOrEqual(height);
    }
    // every element that opens is closed
    const opened = svg.match(/<(svg|text)\b/g)!.length;
    const closed = svg.match(/<\/(svg|text)>/g)!.length;
    expect(closed, why).toBe(opened);
  });

  it('escapes names that are not XML-safe', () => {
    const svg = curvesSvg({ curves: randomCurves(seeded(1), 5, 1), probes: ['a<b&c'], colours: ['#4e79a7'], title: 'x "y"' });
    expect(svg).toContain('a&lt;b&amp;c probe accuracy');
    expect(svg).toContain('x &quot;y&quot;');
  });

  it('leaves gaps where a loss is not finite rather than drawing through them', () => {
    const curves = randomCurves(seeded(2), 10, 1);
    const broken = curves.map((c, i) => (i === 5 ? { ...c, trainLoss: { lo: NaN, mid: Infinity, hi: NaN } } : c));
    const svg = curvesSvg({ curves: broken, probes: ['p'], colours: ['#4e79a7'], title: 't' });
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
    const median = attr(svg, 'd').find((d) => (d.match(/M/g) ?? []).length === 2);
    expect(median, 'the loss median restarts after the gap').toBeDefined();
  });
});
