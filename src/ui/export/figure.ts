import { lossCss, lossTable, NON_FINITE, outcomeTable } from '../colour/colourTables';
import { outcomeColour } from '../../core/outcomeColours';
import { lookUp } from '../colour/mapEncoding';
import { ticks, toCanvas } from '../map/mapGeometry';
import type { MapPicture } from '../map/mapPicture';
import type { MapWindow } from '../map/mapRenderer';

/** Everything the figure shows, gathered by the caller from the run on screen. */
export interface FigureInput {
  readonly picture: MapPicture;
  readonly window: MapWindow;
  /** outcome classes, hypotheses first */
  readonly classes: readonly string[];
  /** ensemble particles' (α, β) and outcome classes */
  readonly positions?: Float32Array;
  readonly outcomes: Uint8Array;
  readonly landmarks: readonly { readonly alpha: number; readonly beta: number }[];
  /** task, model, optimizer, seeds */
  readonly title: string;
  /** the plane and the step */
  readonly subtitle: string;
  /** what one unit of α and β is */
  readonly axisUnit: string;
}

/** Layout in CSS pixels; the PNG is drawn at `scale` device pixels per CSS pixel. */
const W = 860;
const MAP = { x: 78, y: 70, size: 500 };
const LEGEND_X = MAP.x + MAP.size + 28;
const H = MAP.y + MAP.size + 76;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const INK = '#1d1f24';
const MUTED = '#5f6470';

const count = (outcomes: Uint8Array, classes: number) => {
  const c = new Array<number>(classes).fill(0);
  for (const o of outcomes) c[o]++;
  return c;
};
const fmt = (x: number) => (Math.abs(x) >= 100 || (Math.abs(x) < 0.01 && x !== 0) ? x.toExponential(1) : String(+x.toPrecision(2)));

type Ctx = OffscreenCanvasRenderingContext2D;

function text(
  ctx: Ctx,
  s: string,
  x: number,
  y: number,
  opts: { size?: number; bold?: boolean; colour?: string; align?: CanvasTextAlign; base?: CanvasTextBaseline } = {},
) {
  ctx.font = `${opts.bold ? '600 ' : ''}${opts.size ?? 13}px ${FONT}`;
  ctx.fillStyle = opts.colour ?? INK;
  ctx.textAlign = opts.align ?? 'left';
  ctx.textBaseline = opts.base ?? 'alphabetic';
  ctx.fillText(s, x, y);
}

/** Wraps `s` to lines of at most `width` pixels in the current font. */
function wrap(ctx: Ctx, s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

function drawGrid(ctx: Ctx, p: MapPicture, hypotheses: number) {
  const rgba = lookUp(p.encoded, p.kind, p.kind === 'loss' ? lossTable() : outcomeTable(hypotheses));
  // rows run from β's bottom up: flip them so that β grows upwards, as on screen
  const flipped = new Uint8ClampedArray(rgba.length);
  const row = p.res * 4;
  for (let j = 0; j < p.res; j++) flipped.set(rgba.subarray(j * row, (j + 1) * row), (p.res - 1 - j) * row);
  const small = new OffscreenCanvas(p.res, p.res);
  small.getContext('2d')!.putImageData(new ImageData(flipped, p.res, p.res), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, MAP.x, MAP.y, MAP.size, MAP.size);
}

function drawMarks(ctx: Ctx, f: FigureInput, hypotheses: number) {
  const at = (a: number, b: number): [number, number] => {
    const [fx, fy] = toCanvas(f.window, a, b);
    return [MAP.x + fx * MAP.size, MAP.y + fy * MAP.size];
  };
  ctx.save();
  ctx.beginPath();
  ctx.rect(MAP.x, MAP.y, MAP.size, MAP.size);
  ctx.clip();
  const p = f.positions;
  if (p) {
    const r = p.length / 2 > 1024 ? 2.5 : 3.5;
    for (let i = 0; i < p.length / 2; i++) {
      if (!Number.isFinite(p[2 * i]) || !Number.isFinite(p[2 * i + 1])) continue;
      const [x, y] = at(p[2 * i], p[2 * i + 1]);
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = outcomeColour(f.outcomes[i], hypotheses);
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = '#141414';
      ctx.stroke();
    }
  }
  for (const l of f.landmarks) {
    const [x, y] = at(l.alpha, l.beta);
    ctx.beginPath();
    ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  }
  ctx.restore();
}

function drawAxes(ctx: Ctx, f: FigureInput) {
  const w = f.window;
  ctx.strokeStyle = MUTED;
  ctx.lineWidth = 1;
  ctx.strokeRect(MAP.x - 0.5, MAP.y - 0.5, MAP.size + 1, MAP.size + 1);
  for (const t of ticks(w.a0, w.a1)) {
    const x = MAP.x + toCanvas(w, t, 0)[0] * MAP.size;
    ctx.beginPath();
    ctx.moveTo(x, MAP.y + MAP.size);
    ctx.lineTo(x, MAP.y + MAP.size + 5);
    ctx.stroke();
    text(ctx, String(+t.toFixed(3)), x, MAP.y + MAP.size + 18, { size: 12, align: 'center', colour: MUTED });
  }
  for (const t of ticks(w.b0, w.b1)) {
    const y = MAP.y + toCanvas(w, 0, t)[1] * MAP.size;
    ctx.beginPath();
    ctx.moveTo(MAP.x - 5, y);
    ctx.lineTo(MAP.x, y);
    ctx.stroke();
    text(ctx, String(+t.toFixed(3)), MAP.x - 8, y, { size: 12, align: 'right', base: 'middle', colour: MUTED });
  }
  text(ctx, 'α (along d1)', MAP.x + MAP.size / 2, MAP.y + MAP.size + 38, { size: 13, align: 'center' });
  ctx.save();
  ctx.translate(MAP.x - 48, MAP.y + MAP.size / 2);
  ctx.rotate(-Math.PI / 2);
  text(ctx, 'β (along d2)', 0, 0, { size: 13, align: 'center' });
  ctx.restore();
  ctx.font = `12px ${FONT}`;
  wrap(ctx, f.axisUnit, MAP.size).forEach((line, i) =>
    text(ctx, line, MAP.x + MAP.size / 2, MAP.y + MAP.size + 56 + 15 * i, { size: 12, align: 'center', colour: MUTED }),
  );
}

/** The legend beside the map: what the cells are, with counts; what the dots are, with counts; the rings. */
function drawLegend(ctx: Ctx, f: FigureInput, hypotheses: number) {
  const x = LEGEND_X;
  const width = W - x - 16;
  let y = MAP.y + 4;
  const heading = (s: string) => {
    ctx.font = `600 13px ${FONT}`;
    for (const line of wrap(ctx, s, width)) {
      text(ctx, line, x, y + 10, { bold: true });
      y += 17;
    }
    y += 3;
  };
  const swatch = (colour: string, label: string, dot: boolean) => {
    if (dot) {
      ctx.beginPath();
      ctx.arc(x + 6, y + 6, 4.5, 0, 2 * Math.PI);
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.strokeStyle = '#141414';
      ctx.lineWidth = 1;
      ctx.stroke();
    } else {
      ctx.fillStyle = colour;
      ctx.fillRect(x, y, 12, 12);
      ctx.strokeStyle = 'rgba(0,0,0,0.25)';
      ctx.strokeRect(x + 0.5, y + 0.5, 11, 11);
    }
    text(ctx, label, x + 18, y + 10, { size: 12 });
    y += 18;
  };
  const p = f.picture;
  if (p.kind === 'basin') {
    heading(`Cells: ${p.res * p.res} grid points, each a network started there, coloured by its outcome`);
    const grid = count(Uint8Array.from(Array.from({ length: p.res * p.res }, (_, i) => p.encoded[i * 4])), f.classes.length);
    f.classes.forEach((c, i) => swatch(outcomeColour(i, hypotheses), `${c}  ${grid[i]}`, false));
    text(ctx, 'paler = weaker agreement', x, y + 10, { size: 12, colour: MUTED });
    y += 22;
  } else if (p.scale) {
    heading(`Cells: train loss at that point, untrained (nats${p.scale.log ? ', log scale' : ''})`);
    const barH = 140;
    for (let i = 0; i < barH; i++) {
      ctx.fillStyle = lossCss(Math.round((1 - i / (barH - 1)) * (NON_FINITE - 1)));
      ctx.fillRect(x, y + i, 14, 1);
    }
    text(ctx, `${p.scale.log ? '' : '≥ '}${fmt(p.scale.max)}`, x + 20, y + 10, { size: 12 });
    text(ctx, fmt(p.scale.min), x + 20, y + barH, { size: 12 });
    y += barH + 10;
    swatch(lossCss(NON_FINITE), 'not finite', false);
    y += 6;
  }
  if (f.positions) {
    const n = f.positions.length / 2;
    heading(`Dots: the ${n} particles at their projection onto the plane, coloured by their own outcome`);
    const particles = count(f.outcomes, f.classes.length);
    f.classes.forEach((c, i) => swatch(outcomeColour(i, hypotheses), `${c}  ${particles[i]}`, true));
    y += 6;
  }
  if (f.landmarks.length > 0) {
    // a white ring, as on the map, on a dark disc so that it shows on white paper
    ctx.beginPath();
    ctx.arc(x + 6, y + 6, 7, 0, 2 * Math.PI);
    ctx.fillStyle = '#1f1f24';
    ctx.fill();
    ctx.beginPath();
    ctx.arc(x + 6, y + 6, 4.5, 0, 2 * Math.PI);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    text(ctx, f.landmarks.length === 1 ? "ring: the plane's centre" : "rings: the plane's points", x + 18, y + 10, { size: 12 });
  }
}

/** The map as a figure for a paper or a slide: title, map, dots, axes with units, legend with counts. */
export function drawFigure(ctx: Ctx, f: FigureInput, scale: number): void {
  const hypotheses = f.classes.length - 3;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  text(ctx, f.title, 16, 26, { size: 15, bold: true });
  text(ctx, f.subtitle, 16, 46, { size: 12, colour: MUTED });
  drawGrid(ctx, f.picture, hypotheses);
  drawMarks(ctx, f, hypotheses);
  drawAxes(ctx, f);
  drawLegend(ctx, f, hypotheses);
}

export const FIGURE_SIZE = { width: W, height: H } as const;

/** The figure as a PNG at `scale` times its CSS size (2: sharp on a slide or in print). */
export function figurePng(f: FigureInput, scale = 2): Promise<Blob> {
  const canvas = new OffscreenCanvas(W * scale, H * scale);
  drawFigure(canvas.getContext('2d')!, f, scale);
  return canvas.convertToBlob({ type: 'image/png' });
}
