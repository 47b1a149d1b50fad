import { describe, expect, it } from 'vitest';
import { priorScatterPicture, scatterPoints } from '../../../../src/core/instruments/prior/priorPicture';

const data = {
  // shared: (log10 0.5, log10 0.5), (−2, −1); one-sided functions are not plotted
  functions: [
    { priorCount: 50, sgdCount: 5, generalisationError: 0 },
    { priorCount: 1, sgdCount: 1, generalisationError: 1 },
    { priorCount: 49, sgdCount: 0, generalisationError: 0.5 },
    { priorCount: 0, sgdCount: 4, generalisationError: null },
  ],
  accepted: 100,
  sgdFitted: 10,
  caption: ['test'],
};

describe('priorScatterPicture', () => {
  it('plots only functions both sides found, on decades that hold them all', () => {
    const { points, low } = scatterPoints(data);
    expect(points.map((p) => [p.x, p.y])).toEqual([
      [Math.log10(0.5), Math.log10(0.5)],
      [-2, -1],
    ]);
    expect(low).toBe(-2);
  });

  it('draws each point in its error colour where its probabilities put it', () => {
    const pic = priorScatterPicture(data);
    expect(pic.rgba.length).toBe(pic.width * pic.height * 4);
    const colours = new Set<string>();
    for (let i = 0; i < pic.rgba.length; i += 4) colours.add(`${pic.rgba[i]},${pic.rgba[i + 1]},${pic.rgba[i + 2]}`);
    // viridis at 0 (#440154) and at 1 (#fde725) both appear: the two points (and the legend strip)
    expect(colours.has('68,1,84')).toBe(true);
    expect(colours.has('253,231,37')).toBe(true);
    // each disc's centre, above the legend strip (its last 50 rows, which hold the same colours):
    // x = −2 sits on the plot's left edge (pixel 70), log10 0.5 at 70 + 400·(2 − 0.301)/2; the
    // vertical gap between them is 400·(−0.301 + 1)/2 pixels
    const centre = (r: number, g: number) => {
      let [sx, sy, n] = [0, 0, 0];
      for (let y = 0; y < pic.height - 50; y++)
        for (let x = 0; x < pic.width; x++) {
          const k = (y * pic.width + x) * 4;
          if (pic.rgba[k] === r && pic.rgba[k + 1] === g) [sx, sy, n] = [sx + x, sy + y, n + 1];
        }
      return [sx / n, sy / n];
    };
    const [yx, yy] = centre(253, 231);
    const [px, py] = centre(68, 1);
    expect(Math.abs(yx - 70)).toBeLessThan(1);
    expect(Math.abs(px - (70 + (400 * (2 + Math.log10(0.5))) / 2))).toBeLessThan(1);
    expect(Math.abs(yy - py - (400 * (1 + Math.log10(0.5))) / 2)).toBeLessThan(1);
  });
});
