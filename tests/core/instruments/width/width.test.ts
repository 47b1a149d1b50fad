import { describe, expect, it } from 'vitest';
import { spread, spreadByClass } from '../../../../src/core/maths/classSpread';
import { firstCrossing, parseWidthSettings, radiusGrid } from '../../../../src/core/instruments/width/width';
import { UserError } from '../../../../src/core/errors';

describe('width: the radius grid and where a curve crosses a level', () => {
  it('spaces radii evenly in log, both ends included', () => {
    const r = radiusGrid(5, 0.01, 100);
    expect(Array.from(r).map((x) => Math.log10(x))).toEqual([-2, -1, 0, 1, 2].map((x) => expect.closeTo(x, 12)));
  });

  it('interpolates in log radius: a curve linear in log r crosses where the line does', () => {
    const radii = radiusGrid(9, 0.01, 10);
    // f = (log10 r + 2) / 3 runs 0 → 1 over the grid: it reaches 0.5 at log10 r = −0.5
    const f = Array.from(radii, (r) => (Math.log10(r) + 2) / 3);
    const c = firstCrossing(radii, f, 0.5);
    expect(c.at).toBe('grid');
    expect(c.at === 'grid' && Math.log10(c.radius)).toBeCloseTo(-0.5, 10);
  });

  it('says below or beyond the grid instead of inventing a radius; a non-finite value has crossed', () => {
    const radii = radiusGrid(4, 0.1, 1);
    expect(firstCrossing(radii, [0.6, 0.7, 0.8, 0.9], 0.5)).toEqual({ at: 'below' });
    expect(firstCrossing(radii, [0, 0.1, 0.2, 0.3], 0.5)).toEqual({ at: 'beyond' });
    const c = firstCrossing(radii, [0, 0.1, NaN, 0.3], 0.5);
    expect(c.at === 'grid' && c.radius).toBeGreaterThan(radii[1]);
    expect(c.at === 'grid' && c.radius).toBeLessThan(radii[2]);
  });

  it('validates every setting, naming the flag, and needs r-min below r-max', () => {
    expect(() => parseWidthSettings({ directions: '0' })).toThrow(/--directions must be an integer from 1 to 256/);
    expect(() => parseWidthSettings({ rMin: '0' })).toThrow(/--r-min/);
    expect(() => parseWidthSettings({ rMin: '2', rMax: '1' })).toThrow(UserError);
    expect(() => parseWidthSettings({ rMin: '2', rMax: '1' })).toThrow(/--r-min must be below --r-max/);
    expect(parseWidthSettings({ radii: '7' }).radii).toBe(7);
  });
});

describe('per-class spread of a measurement', () => {
  it('gives median and quartiles, keeps ±∞ (censored values) in the order and leaves NaN out', () => {
    const s = spread([4, 1, 3, 2, NaN, 5]);
    expect(s).toEqual({ n: 5, median: 3, q1: 2, q3: 4, few: false });
    const censored = spread([1, 2, Infinity, Infinity, Infinity]);
    expect(censored.median).toBe(Infinity);
    expect(censored.q1).toBe(2);
  });

  it('groups by class, marks classes with fewer than five values, skips empty classes', () => {
    const by = spreadByClass([1, 2, 3, 10, 20, 30, 40, 50], [0, 0, 0, 1, 1, 1, 1, 1], ['a', 'b', 'c']);
    expect(Object.keys(by)).toEqual(['a', 'b']);
    expect(by.a).toMatchObject({ n: 3, median: 2, few: true });
    expect(by.b).toMatchObject({ n: 5, median: 30, few: false });
  });
});
