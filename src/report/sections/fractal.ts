import { mapBoundaryDimension, type BoxDimension } from '../../core/instruments/hypermap/boxDimension';
import type { HypermapJson } from '../../core/instruments/hypermap/hypermapJson';
import { table } from '../markdown';
import { readHypermap } from '../results';
import type { ReportSection } from '../section';
import { interval } from './shared';

/** The box count of a trainability map's boundary: where the cells' majority outcome changes. */
const boundaryOf = (map: HypermapJson): BoxDimension | undefined => mapBoundaryDimension(map.classes, map.counts.flat(), map.res);

/** The dimension in words with its local slopes, or why there is none. */
function dimensionText(map: HypermapJson): string {
  const d = boundaryOf(map);
  if (!d) return `too small a map for a box count (${map.res} × ${map.res} cells)`;
  const slopes = d.localSlopes;
  return `${d.dimension.toFixed(2)} (boxes of ${d.sizes.join(', ')} cells; local slopes ${Math.min(...slopes).toFixed(2)}–${Math.max(...slopes).toFixed(2)})`;
}

/** The fractal preset's default map and the zoom box the report magnifies (both mean-field rates). */
const FRACTAL_ZOOM = { x: 'lr:0:500:3000:log', y: 'lr:1:100:170:log' };

export const fractal: ReportSection = {
  id: 'fractal',
  title: 'The trainability boundary (fractal, hypermap)',
  paper:
    'Sohl-Dickstein (2024): in the plane of two layers\u2019 learning rates, the boundary between hyperparameters that train and those that diverge is fractal: it stays intricate at every magnification, over more than ten decades of scale, with a box-counting dimension above 1.',
  async build(ctx) {
    const res = ctx.size === 'full' ? '128' : '16';
    // the zoom runs first: the whole map draws it as an inset from its JSON
    const whole = ctx.figure('fractal.png');
    const zoom = ctx.figure('fractal-zoom.png');
    const zoomJson = ctx.figure('fractal-zoom.json');
    const zoomCommand = {
      args: [
        'hypermap',
        '--task',
        'fractal',
        '--res',
        res,
        '--x',
        FRACTAL_ZOOM.x,
        '--y',
        FRACTAL_ZOOM.y,
        '--colour',
        'score',
        '--png',
        zoom.path,
        '--out',
        zoomJson.path,
      ],
    };
    const b = readHypermap(await ctx.run(zoomCommand));
    // the inset reads the zoom from this file: written from the result in hand, kept or fresh
    ctx.write(zoomJson.path, JSON.stringify(b));
    const wholeCommand = {
      args: ['hypermap', '--task', 'fractal', '--res', res, '--colour', 'score', '--png', whole.path, '--inset', zoomJson.path],
    };
    const a = readHypermap(await ctx.run(wholeCommand));
    const commands = [zoomCommand, wholeCommand];
    const range = (m: HypermapJson) => `${m.x!.name} ${m.x!.min}–${m.x!.max}, ${m.y!.name} ${m.y!.min}–${m.y!.max}`;
    const found = [
      table(
        ['map', 'converged', 'diverged', 'boundary dimension'],
        [
          [`whole (${range(a)})`, interval(a.fractions.converged), interval(a.fractions.diverged), dimensionText(a)],
          [`zoom (${range(b)})`, interval(b.fractions.converged), interval(b.fractions.diverged), dimensionText(b)],
        ],
      ),
      '',
      `${res} × ${res} cells, one network each, mean-field rates on both axes; shares over cells with Wilson intervals. The boundary dimension is the box count of the cells where the majority outcome changes (src/core/instruments/hypermap/boxDimension.ts; its tests measure a line and a circle at 1 and a Sierpiński carpet at log 8 / log 3 = 1.89, each within 0.05).`,
    ].join('\n');
    const [dWhole, dZoom] = [boundaryOf(a), boundaryOf(b)];
    const largest = dZoom ? dZoom.sizes[dZoom.sizes.length - 1] : 0;
    // a smooth boundary measures 1 within 0.05 (boxDimension's tests): above 1.1 it is not smooth
    const differs = !dZoom
      ? 'The maps are too small at this size for a box count; the full report measures the boundary dimension.'
      : `After ${a.config.steps} steps, the boundary\u2019s box-counting dimension is ${dZoom.dimension.toFixed(2)} in the zoomed box${dWhole ? ` and ${dWhole.dimension.toFixed(2)} over the whole map` : ''}: ${dZoom.dimension > 1.1 ? 'above 1, so the boundary is rougher than a smooth curve, as he found' : 'near 1, so at this resolution the boundary looks like a smooth curve, unlike his'}. He measured at 4,096² pixels over many zooms and 500–1,000 steps; a ${res}² map with boxes of ${dZoom.sizes[0]} to ${largest} cells reads the dimension over ${Math.log10(largest / dZoom.sizes[0]).toFixed(1)} decades of scale in one zoom, not ten.`;
    return {
      commands,
      found,
      differs,
      figures: [
        {
          link: whole.link,
          caption:
            'Trainability over the two layers\u2019 mean-field learning rates, coloured by the convergence score; the inset magnifies the outlined box',
        },
        { link: zoom.link, caption: 'The zoomed box on its own' },
      ],
    };
  },
};
