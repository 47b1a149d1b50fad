import { interpolateViridis } from 'd3-scale-chromatic';
import { rgbOf } from '../../outcomeColours';
import type { Picture } from '../hypermap/hypermapPicture';
import { drawText, GLYPH_HEIGHT, textWidth } from '../../raster/pixelFont';

/**
 * Prior vs SGD as a picture, from the command's JSON (Valle-Pérez et al. 2019, Mingard et al. 2021's
 * figure): one point per function both sides found at (log10 P_prior(f), log10 P_SGD(f)), the same
 * decades on both axes so the diagonal P_SGD = P_prior is the line a faithful Bayesian sampler
 * would lie on, each point coloured by the function's error on the held-out inputs (viridis, 0 to
 * 1, scale below). Lines of text above say what the counts and correlation are. Pure: the command
 * line encodes it as PNG.
 */
export interface PriorScatterData {
  /** per function: its counts on each side and its held-out error (null: none) */
  readonly functions: readonly { readonly priorCount: number; readonly sgdCount: number; readonly generalisationError: number | null }[];
  readonly accepted: number;
  readonly sgdFitted: number;
  /** lines above the plot (the setting, the correlation), in the pixel font's characters */
  readonly caption: readonly string[];
}

const SCALE = 2;
const LINE = (GLYPH_HEIGHT + 4) * SCALE;
const PLOT = 400;
const LEFT = 70;
const RIGHT = 24;
const INK: [number, number, number] = [40, 40, 40];
const GRID: [number, number, number] = [225, 225, 225];
const DIAGONAL: [number, number, number] = [200, 60, 60];
const STRIP = 12;

const viridis = (t: number) => rgbOf(interpolateViridis(Math.min(1, Math.max(0, t))));

/** The shared functions' log10 probabilities and their error, and the decades both axes span. */
export function scatterPoints(data: PriorScatterData): { points: { x: number; y: number; error: number | null }[]; low: number } {
  const points = data.functions
    .filter((f) => f.priorCount > 0 && f.sgdCount > 0)
    .map((f) => ({
      x: Math.log10(f.priorCount / data.accepted),
      y: Math.log10(f.sgdCount / data.sgdFitted),
      error: f.generalisationError,
    }));
  const least = Math.min(-1, ...points.flatMap((p) => [p.x, p.y]));
  return { points, low: Math.floor(least) };
}

export function priorScatterPicture(data: PriorScatterData): Picture {
  const { points, low } = scatterPoints(data);
  const top = LINE * (data.caption.length + 2) + 8;
  const width = Math.max(LEFT + PLOT + RIGHT, ...data.caption.map((line) => textWidth(line, SCALE) + 16));
  const height = top + PLOT + LINE * 2 + 16 + STRIP + LINE * 2;
  const rgba = new Uint8Array(width * height * 4).fill(255);
  const set = (x: number, y: number, c: readonly number[]) => {
    if (x >= 0 && x < width && y >= 0 && y < height) rgba.set([c[0], c[1], c[2], 255], (Math.round(y) * width + Math.round(x)) * 4);
  };
  const text = (t: string, x: number, y: number) => drawText(rgba, width, t, x, y, SCALE, INK);
  data.caption.forEach((line, i) => text(line, 8, 6 + i * LINE));
  const px = (v: number) => LEFT + ((v - low) / -low) * PLOT;
  const py = (v: number) => top + PLOT - ((v - low) / -low) * PLOT;
  // decade grid lines and their labels
  for (let d = low; d <= 0; d++) {
    for (let t = 0; t <= PLOT; t++) {
      set(px(d), top + t, GRID);
      set(LEFT + t, py(d), GRID);
    }
    const label = String(d);
    text(label, px(d) - textWidth(label, SCALE) / 2, top + PLOT + 6);
    text(label, LEFT - textWidth(label, SCALE) - 6, py(d) - (GLYPH_HEIGHT * SCALE) / 2);
  }
  // the frame
  for (let t = 0; t <= PLOT; t++) {
    set(LEFT + t, top + PLOT, INK);
    set(LEFT + t, top, INK);
    set(LEFT, top + t, INK);
    set(LEFT + PLOT, top + t, INK);
  }
  // the diagonal P_SGD = P_prior, two pixels thick
  for (let t = 0; t <= PLOT; t++) {
    set(LEFT + t, top + PLOT - t, DIAGONAL);
    set(LEFT + t + 1, top + PLOT - t, DIAGONAL);
  }
  text('y: log10 p(f) among the sgd networks that fit', 8, top - 2 * LINE + 4);
  text('x: log10 p(f) among the prior samples that fit', LEFT, top + PLOT + 6 + LINE);
  // the points: a 7-pixel disc with a dark rim, drawn most frequent last so that they stay on top
  const order = points.map((_, i) => i).sort((a, b) => points[a].x + points[a].y - (points[b].x + points[b].y));
  for (const i of order) {
    const p = points[i];
    const [cx, cy] = [px(p.x), py(p.y)];
    const fill = p.error === null ? [128, 128, 128] : viridis(p.error);
    for (let dy = -4; dy <= 4; dy++)
      for (let dx = -4; dx <= 4; dx++) {
        const r2 = dx * dx + dy * dy;
        if (r2 <= 9) set(cx + dx, cy + dy, fill);
        else if (r2 <= 17) set(cx + dx, cy + dy, INK);
      }
  }
  // the legend: the colour scale of held-out error, then the diagonal's key
  const legendTop = top + PLOT + 6 + 2 * LINE + 8;
  const label = 'held-out error';
  text(label, LEFT, legendTop + 1);
  const zeroLeft = LEFT + textWidth(label, SCALE) + 12;
  text('0', zeroLeft, legendTop + 1);
  const stripLeft = zeroLeft + textWidth('0', SCALE) + 4;
  const stripWidth = LEFT + PLOT - stripLeft - textWidth('1', SCALE) - 6;
  for (let t = 0; t < stripWidth; t++) {
    const c = viridis(t / (stripWidth - 1));
    for (let s = 0; s < STRIP; s++) set(stripLeft + t, legendTop + s, c);
  }
  text('1', stripLeft + stripWidth + 4, legendTop + 1);
  const keyTop = legendTop + STRIP + 10;
  for (let t = 0; t < 24; t++) {
    set(LEFT + t, keyTop + 5, DIAGONAL);
    set(LEFT + t, keyTop + 6, DIAGONAL);
  }
  text('p sgd = p prior (a faithful bayesian sampler)', LEFT + 32, keyTop);
  return { width, height, rgba };
}
