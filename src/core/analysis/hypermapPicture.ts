import { interpolateViridis } from 'd3-scale-chromatic';
import { DIVERGED } from '../classify';
import { drawText, GLYPH_HEIGHT, textWidth } from './pixelFont';

/**
 * A hyper map as a picture, from its JSON alone (so a merged map draws like a whole one): a line
 * naming the y axis and its range, one square of pixels per cell with y growing upwards, a line
 * naming the x axis, and a legend strip (the classes' colours left to right in class order, or
 * the colour scale from low to high) with its labels. Pure: the command line encodes it as PNG.
 */
export type HypermapColouring = 'outcome' | 'loss' | 'score';
export const HYPERMAP_COLOURINGS: readonly HypermapColouring[] = ['outcome', 'loss', 'score'];

/** What the picture reads of a hyper map's JSON. */
export interface HypermapData {
  readonly res: number;
  readonly classes: readonly string[];
  /** per cell, row-major with x fastest: a count per class */
  readonly counts: readonly (readonly number[])[];
  readonly meanLoss: readonly (number | null)[];
  readonly meanScore?: readonly (number | null)[];
  /** the axes, for the labels (absent: no labels) */
  readonly x?: AxisLabel;
  readonly y?: AxisLabel;
}

interface AxisLabel {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
}

export interface Picture {
  readonly width: number;
  readonly height: number;
  /** row-major from the top-left, RGBA */
  readonly rgba: Uint8Array;
}

// the sandbox's outcome colours (src/ui/colour/colourTables.ts): Tableau 10 for hypotheses, then
// mixed, unconverged; diverged near-black in every colouring
const CLASS_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7'];
const OTHER_COLOURS: Record<string, string> = { mixed: '#9c755f', unconverged: '#c9c3bf', [DIVERGED]: '#1b1b1b' };
const MISSING = '#7f7f7f';
/** the score's scale: log10 of the loss ratio from 10⁻⁴ (fast convergence) to 10⁰ (the boundary) */
const SCORE_RANGE = [-4, 0] as const;
const LEGEND_HEIGHT = 10;
/** font pixels are TEXT_SCALE × TEXT_SCALE; a line of text takes LINE pixels */
const TEXT_SCALE = 2;
const LINE = (GLYPH_HEIGHT + 3) * TEXT_SCALE;
const INK: [number, number, number] = [40, 40, 40];

function rgb(css: string): [number, number, number] {
  if (css.startsWith('#')) {
    const n = parseInt(css.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

export function classColour(name: string, index: number): [number, number, number] {
  return rgb(OTHER_COLOURS[name] ?? CLASS_COLOURS[index % CLASS_COLOURS.length]);
}

/** Towards white by `fade` in [0, 1]. */
const faded = (c: [number, number, number], fade: number): [number, number, number] =>
  c.map((x) => Math.round(x + (255 - x) * fade)) as [number, number, number];

const viridis = (t: number) => rgb(interpolateViridis(Math.min(1, Math.max(0, t))));

/** Each cell's colour, row-major with x fastest. */
export function cellColours(data: HypermapData, colouring: HypermapColouring): [number, number, number][] {
  const k = data.classes.length;
  const diverged = data.classes.indexOf(DIVERGED);
  const logs = data.meanLoss.map((l) => (l !== null && l > 0 ? Math.log10(l) : NaN));
  const finite = logs.filter(Number.isFinite);
  const [lo, hi] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  return data.counts.map((counts, cell) => {
    const total = counts.reduce((a, b) => a + b, 0);
    let majority = 0;
    for (let c = 1; c < k; c++) if (counts[c] > counts[majority]) majority = c;
    if (total === 0) return rgb(MISSING);
    if (majority === diverged) return classColour(DIVERGED, majority);
    if (colouring === 'outcome') {
      // a unanimous cell in the class's own colour, a split one faded by how split it is
      const share = counts[majority] / total;
      return faded(classColour(data.classes[majority], majority), k > 1 ? (0.6 * (1 - share)) / (1 - 1 / k) : 0);
    }
    if (colouring === 'loss') return Number.isFinite(logs[cell]) ? viridis(hi > lo ? (logs[cell] - lo) / (hi - lo) : 0.5) : rgb(MISSING);
    const score = data.meanScore?.[cell];
    if (score === null || score === undefined || !(score > 0)) return rgb(MISSING);
    return viridis((Math.log10(score) - SCORE_RANGE[0]) / (SCORE_RANGE[1] - SCORE_RANGE[0]));
  });
}

/** The legend's colours from left to right. */
function legend(data: HypermapData, colouring: HypermapColouring, width: number): [number, number, number][] {
  const k = data.classes.length;
  if (colouring === 'outcome')
    return Array.from({ length: width }, (_, x) => classColour(data.classes[Math.floor((x * k) / width)], Math.floor((x * k) / width)));
  return Array.from({ length: width }, (_, x) => viridis(x / (width - 1)));
}

/** 3 significant digits, no trailing zeros: 0.15, 100, 1.2e-5 */
const short = (v: number): string => {
  const t = Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(1);
  return t.replace('e+', 'e');
};

const axisText = (axis: 'x' | 'y', a: AxisLabel, low: string, high: string) =>
  `${axis} = ${a.name}: ${short(a.min)} ${low} to ${short(a.max)} ${high}${a.log ? ', log' : ''}`;

/** The legend's labels: each class under its stretch, or the scale's two ends. */
function legendLabels(data: HypermapData, colouring: HypermapColouring, width: number): { text: string; x: number }[] {
  if (colouring === 'outcome') return data.classes.map((c, i) => ({ text: c, x: Math.floor((i * width) / data.classes.length) + 2 }));
  const ends =
    colouring === 'score'
      ? ['score 1e-4', '1']
      : (() => {
          const finite = data.meanLoss.filter((l): l is number => l !== null && l > 0);
          return finite.length ? [`loss ${short(Math.min(...finite))}`, short(Math.max(...finite))] : ['loss', ''];
        })();
  return [
    { text: ends[0], x: 2 },
    { text: ends[1], x: width - textWidth(ends[1], TEXT_SCALE) - 2 },
  ];
}

/** The map as pixels: `scale` pixels a cell (default: as many as keep it near 512 wide). */
export function hypermapPicture(
  data: HypermapData,
  colouring: HypermapColouring,
  scale = Math.max(1, Math.floor(512 / data.res)),
): Picture {
  const { res } = data;
  if (data.counts.length !== res * res) throw new Error(`a picture needs all ${res * res} cells, got ${data.counts.length}`);
  const colours = cellColours(data, colouring);
  const labelled = data.x !== undefined && data.y !== undefined;
  const width = Math.max(res * scale, labelled ? 512 : 0);
  const top = labelled ? LINE : 0;
  const mapHeight = res * scale;
  const legendTop = top + mapHeight + (labelled ? LINE : 0) + 2;
  const height = legendTop + LEGEND_HEIGHT + (labelled ? LINE : 0);
  const rgba = new Uint8Array(width * height * 4).fill(255);
  for (let py = 0; py < mapHeight; py++) {
    // the bottom row is ys[0]
    const j = res - 1 - Math.floor(py / scale);
    for (let px = 0; px < res * scale; px++) rgba.set([...colours[j * res + Math.floor(px / scale)], 255], ((top + py) * width + px) * 4);
  }
  const strip = legend(data, colouring, res * scale);
  for (let py = legendTop; py < legendTop + LEGEND_HEIGHT; py++)
    for (let px = 0; px < res * scale; px++) rgba.set([...strip[px], 255], (py * width + px) * 4);
  if (labelled) {
    const text = (t: string, x: number, y: number) => drawText(rgba, width, t, x, y, TEXT_SCALE, INK);
    text(axisText('y', data.y!, '(bottom)', '(top)'), 2, 2);
    text(axisText('x', data.x!, '(left)', '(right)'), 2, top + mapHeight + 4);
    for (const l of legendLabels(data, colouring, res * scale)) text(l.text, l.x, legendTop + LEGEND_HEIGHT + 4);
  }
  return { width, height, rgba };
}
