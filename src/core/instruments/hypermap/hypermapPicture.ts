import { interpolateViridis } from 'd3-scale-chromatic';
import { DIVERGED } from '../../classify';
import { DIVERGED_COLOUR, HYPOTHESIS_COLOURS, MIXED_COLOUR, NON_FINITE_COLOUR, rgbOf, UNCONVERGED_COLOUR } from '../../outcomeColours';
import { drawText, GLYPH_HEIGHT, textWidth } from '../../raster/pixelFont';

/**
 * A hyper map as a picture, from its JSON alone (so a merged map draws like a whole one): a line
 * naming the y axis and its range, one square of pixels per cell with y growing upwards, a line
 * naming the x axis, and a legend strip (the classes' colours left to right in class order, or
 * the colour scale from low to high, then the diverged colour) with its labels. Optionally a
 * zoomed map of a box inside it, drawn as an inset with the box outlined. Pure: the command line
 * encodes it as PNG.
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

// the palette every picture shares (outcomeColours.ts): hypotheses in order, then the named classes
const NAMED_COLOURS: Record<string, string> = { mixed: MIXED_COLOUR, unconverged: UNCONVERGED_COLOUR, [DIVERGED]: DIVERGED_COLOUR };
/** the score's scale: log10 of the loss ratio from 10⁻⁴ (fast convergence) to 10⁰ (the boundary) */
const SCORE_RANGE = [-4, 0] as const;
const LEGEND_HEIGHT = 10;
/** font pixels are TEXT_SCALE × TEXT_SCALE; a line of text takes LINE pixels */
const TEXT_SCALE = 2;
const LINE = (GLYPH_HEIGHT + 3) * TEXT_SCALE;
const INK: [number, number, number] = [40, 40, 40];

/** A class's colour by its name (mixed, unconverged, diverged) or, for a hypothesis, its index. */
export function classColour(name: string, index: number): [number, number, number] {
  return rgbOf(NAMED_COLOURS[name] ?? HYPOTHESIS_COLOURS[index % HYPOTHESIS_COLOURS.length]);
}

/** Towards white by `fade` in [0, 1]. */
const faded = (c: [number, number, number], fade: number): [number, number, number] =>
  c.map((x) => Math.round(x + (255 - x) * fade)) as [number, number, number];

const viridis = (t: number) => rgbOf(interpolateViridis(Math.min(1, Math.max(0, t))));

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
    if (total === 0) return rgbOf(NON_FINITE_COLOUR);
    if (majority === diverged) return classColour(DIVERGED, majority);
    if (colouring === 'outcome') {
      // a unanimous cell in the class's own colour, a split one faded by how split it is
      const share = counts[majority] / total;
      return faded(classColour(data.classes[majority], majority), k > 1 ? (0.6 * (1 - share)) / (1 - 1 / k) : 0);
    }
    if (colouring === 'loss')
      return Number.isFinite(logs[cell]) ? viridis(hi > lo ? (logs[cell] - lo) / (hi - lo) : 0.5) : rgbOf(NON_FINITE_COLOUR);
    const score = data.meanScore?.[cell];
    if (score === null || score === undefined || !(score > 0)) return rgbOf(NON_FINITE_COLOUR);
    return viridis((Math.log10(score) - SCORE_RANGE[0]) / (SCORE_RANGE[1] - SCORE_RANGE[0]));
  });
}

/** The legend's colours from left to right: the classes, or the scale then a gap then the diverged key. */
function legend(data: HypermapData, colouring: HypermapColouring, width: number): ([number, number, number] | undefined)[] {
  const k = data.classes.length;
  if (colouring === 'outcome')
    return Array.from({ length: width }, (_, x) => classColour(data.classes[Math.floor((x * k) / width)], Math.floor((x * k) / width)));
  const scale = scaleWidth(data, colouring, width);
  const diverged = classColour(DIVERGED, 0);
  return Array.from({ length: width }, (_, x) => (x < scale ? viridis(x / (scale - 1)) : x >= scale + KEY_GAP ? diverged : undefined));
}

/** The loss and score colourings draw diverged cells near-black, so their legends end with that key. */
const DIVERGED_KEY = 'diverged';
const KEY_GAP = 8;
const scaleWidth = (data: HypermapData, colouring: HypermapColouring, width: number) =>
  colouring !== 'outcome' && data.classes.includes(DIVERGED) ? width - KEY_GAP - textWidth(DIVERGED_KEY, TEXT_SCALE) - 4 : width;

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
  const scale = scaleWidth(data, colouring, width);
  return [
    { text: ends[0], x: 2 },
    { text: ends[1], x: scale - textWidth(ends[1], TEXT_SCALE) - 2 },
    ...(scale < width ? [{ text: DIVERGED_KEY, x: scale + KEY_GAP + 2 }] : []),
  ];
}

/** Where value v lies along an axis, 0 at min and 1 at max (log axes in log space). */
const along = (a: AxisLabel, v: number) => (a.log ? Math.log(v / a.min) / Math.log(a.max / a.min) : (v - a.min) / (a.max - a.min));
const atAlong = (a: AxisLabel, t: number) => (a.log ? a.min * Math.pow(a.max / a.min, t) : a.min + t * (a.max - a.min));

/**
 * Why `zoom` cannot be drawn as an inset of `whole`, or undefined: both need labelled axes, the
 * same settings on them on the same scales, and the zoom's box inside the whole map's (its edges
 * may touch or equal the map's).
 */
export function insetProblem(whole: Pick<HypermapData, 'x' | 'y'>, zoom: Pick<HypermapData, 'x' | 'y'>): string | undefined {
  for (const axis of ['x', 'y'] as const) {
    const [a, b] = [whole[axis], zoom[axis]];
    if (!a || !b) return `both maps need their axes (the JSON's ${axis})`;
    if (a.name !== b.name || a.log !== b.log)
      return `the ${axis} axes differ: ${a.name}${a.log ? ' (log)' : ''} here, ${b.name}${b.log ? ' (log)' : ''} in the inset`;
    if (Math.min(b.min, b.max) < Math.min(a.min, a.max) || Math.max(b.min, b.max) > Math.max(a.min, a.max))
      return `the inset's ${axis} range ${short(b.min)}–${short(b.max)} is not inside this map's ${short(a.min)}–${short(a.max)}`;
  }
  return undefined;
}

/** The pixel box [left, top, right, bottom] a zoom map's cells cover on a map of res cells drawn at `scale`. */
function zoomBox(whole: HypermapData, zoom: HypermapData, scale: number): [number, number, number, number] {
  // cell i covers (i ± ½)/(res − 1) along its axis: the zoom's half cells reach past its min and max
  const px = (a: AxisLabel, b: AxisLabel, end: 0 | 1) => {
    const half = 0.5 / (zoom.res - 1);
    const t = along(a, atAlong(b, end === 0 ? -half : 1 + half));
    return Math.round((t * (whole.res - 1) + 0.5) * scale);
  };
  const size = whole.res * scale;
  const clamp = (v: number) => Math.min(size - 1, Math.max(0, v));
  const [x, y] = [whole.x!, whole.y!];
  const [zx, zy] = [zoom.x!, zoom.y!];
  return [clamp(px(x, zx, 0)), clamp(size - px(y, zy, 1)), clamp(px(x, zx, 1)), clamp(size - px(y, zy, 0))];
}

const OUTLINE: [number, number, number] = [255, 255, 255];

/**
 * The map as pixels: `scale` pixels a cell (default: as many as keep it near 512 wide). `inset`:
 * a zoomed map inside this one (insetProblem says whether it is), drawn over the corner farthest
 * from its box, at 40% of the map's size, framed and joined to the box it magnifies.
 */
export function hypermapPicture(
  data: HypermapData,
  colouring: HypermapColouring,
  scale = Math.max(1, Math.floor(512 / data.res)),
  inset?: HypermapData,
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
  if (inset) {
    const problem = insetProblem(data, inset);
    if (problem) throw new Error(problem);
    drawInset(rgba, width, top, res * scale, cellColours(inset, colouring), inset.res, zoomBox(data, inset, scale));
  }
  const strip = legend(data, colouring, res * scale);
  for (let py = legendTop; py < legendTop + LEGEND_HEIGHT; py++)
    for (let px = 0; px < res * scale; px++) {
      const c = strip[px];
      if (c) rgba.set([...c, 255], (py * width + px) * 4);
    }
  if (labelled) {
    const text = (t: string, x: number, y: number) => drawText(rgba, width, t, x, y, TEXT_SCALE, INK);
    text(axisText('y', data.y!, '(bottom)', '(top)'), 2, 2);
    text(axisText('x', data.x!, '(left)', '(right)'), 2, top + mapHeight + 4);
    for (const l of legendLabels(data, colouring, res * scale)) text(l.text, l.x, legendTop + LEGEND_HEIGHT + 4);
  }
  return { width, height, rgba };
}

/** The inset over the map (size × size pixels from row `top`): its cells, its frame, the box and two joining lines. */
function drawInset(
  rgba: Uint8Array,
  width: number,
  top: number,
  size: number,
  colours: [number, number, number][],
  res: number,
  [left, boxTop, right, bottom]: [number, number, number, number],
): void {
  const side = Math.round(size * 0.4);
  const margin = Math.max(4, Math.round(size * 0.02));
  // the corner farthest from the box's centre
  const cx = (left + right) / 2 < size / 2 ? size - margin - side : margin;
  const cy = (boxTop + bottom) / 2 < size / 2 ? size - margin - side : margin;
  const put = (x: number, y: number, c: [number, number, number]) => {
    if (x >= 0 && x < size && y >= 0 && y < size) rgba.set([...c, 255], ((top + y) * width + x) * 4);
  };
  for (let y = 0; y < side; y++) {
    const j = res - 1 - Math.floor((y * res) / side);
    for (let x = 0; x < side; x++) put(cx + x, cy + y, colours[j * res + Math.floor((x * res) / side)]);
  }
  const rect = (l: number, t: number, r: number, b: number) => {
    for (let d = 0; d < 2; d++) {
      for (let x = l - d; x <= r + d; x++) {
        put(x, t - d, OUTLINE);
        put(x, b + d, OUTLINE);
      }
      for (let y = t - d; y <= b + d; y++) {
        put(l - d, y, OUTLINE);
        put(r + d, y, OUTLINE);
      }
    }
  };
  rect(left, boxTop, right, bottom);
  rect(cx - 1, cy - 1, cx + side, cy + side);
  // join corresponding corners across the diagonal the inset sits on (it is in the corner opposite
  // the box): up-left or down-right of it, the top-right and bottom-left corners, else the others
  const box: [number, number][] = [
    [left, boxTop],
    [right, boxTop],
    [left, bottom],
    [right, bottom],
  ];
  const frame: [number, number][] = [
    [cx - 1, cy - 1],
    [cx + side, cy - 1],
    [cx - 1, cy + side],
    [cx + side, cy + side],
  ];
  const mainDiagonal = cx < left === cy < boxTop;
  for (const k of mainDiagonal ? [1, 2] : [0, 3]) line(box[k], frame[k], put);
}

/** A one-pixel line from a to b (DDA: as many steps as the longer side). */
function line(
  [ax, ay]: [number, number],
  [bx, by]: [number, number],
  put: (x: number, y: number, c: [number, number, number]) => void,
): void {
  const n = Math.max(Math.abs(bx - ax), Math.abs(by - ay), 1);
  for (let i = 0; i <= n; i++) put(Math.round(ax + ((bx - ax) * i) / n), Math.round(ay + ((by - ay) * i) / n), OUTLINE);
}
