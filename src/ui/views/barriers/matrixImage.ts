import { interpolateCividis } from 'd3-scale-chromatic';

/** Colour-table entries: 0..254 from zero barrier to the scale's top, 255 for not finite. */
const ENTRIES = 256;
const NOT_FINITE = ENTRIES - 1;
// white: no value (the selected pair is marked in the map's pink, the scale runs dark blue to yellow)
export const NOT_FINITE_CSS = '#ffffff';

function cssToRgb(css: string): [number, number, number] {
  if (css.startsWith('#')) {
    const n = parseInt(css.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /(\d+),\s*(\d+),\s*(\d+)/.exec(css);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

let table: Uint8Array | undefined;
/** cividis (readable in colour blindness, and unlike the loss map's viridis), white for "not finite": RGBA bytes */
function colourTable(): Uint8Array {
  if (table) return table;
  table = new Uint8Array(ENTRIES * 4);
  for (let k = 0; k < ENTRIES; k++) {
    table.set([...cssToRgb(k === NOT_FINITE ? NOT_FINITE_CSS : interpolateCividis(k / (NOT_FINITE - 1))), 255], k * 4);
  }
  return table;
}

/** The CSS colour of a barrier as a fraction f of the scale's top, for the legend. */
export function barrierCss(f: number): string {
  const t = colourTable();
  const k = Math.round(Math.min(1, Math.max(0, f)) * (NOT_FINITE - 1)) * 4;
  return `rgb(${t[k]}, ${t[k + 1]}, ${t[k + 2]})`;
}

/** The largest finite barrier (the scale's top); a tiny floor keeps an all-zero matrix drawable. */
export function scaleTop(barrier: ArrayLike<number>): number {
  let top = 0;
  for (let k = 0; k < barrier.length; k++) if (Number.isFinite(barrier[k]) && barrier[k] > top) top = barrier[k];
  return Math.max(top, 1e-6);
}

/**
 * The M × M matrix as RGBA pixels, one per pair, rows and columns in `order`: what one
 * putImageData draws (CSS scales it up, pixelated), whatever M is. A pixel is written as one
 * 32-bit word copied from the table's own bytes (so byte order cannot matter): 1024² pixels take
 * a few milliseconds, well inside one frame.
 */
export function matrixPixels(barrier: ArrayLike<number>, order: ArrayLike<number>, top: number): Uint8ClampedArray<ArrayBuffer> {
  const m = order.length;
  const words = new Uint32Array(colourTable().buffer.slice(0));
  const out = new Uint32Array(m * m);
  const scale = (NOT_FINITE - 1) / top;
  const row = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const base = order[r] * m;
    for (let c = 0; c < m; c++) row[c] = barrier[base + order[c]];
    const at = r * m;
    for (let c = 0; c < m; c++) {
      const v = row[c];
      // NaN and ±Infinity fail this test
      if (v - v === 0) {
        const k = v * scale + 0.5;
        out[at + c] = words[k <= 0 ? 0 : k >= NOT_FINITE - 1 ? NOT_FINITE - 1 : k | 0];
      } else out[at + c] = words[NOT_FINITE];
    }
  }
  return new Uint8ClampedArray(out.buffer);
}

/** One RGBA pixel per row: the class colour strip along an edge. */
export function stripPixels(
  order: ArrayLike<number>,
  classes: ArrayLike<number>,
  colour: (c: number) => string,
): Uint8ClampedArray<ArrayBuffer> {
  const px = new Uint8ClampedArray(order.length * 4);
  const cache = new Map<number, [number, number, number]>();
  for (let r = 0; r < order.length; r++) {
    const c = classes[order[r]];
    let rgb = cache.get(c);
    if (!rgb) cache.set(c, (rgb = cssToRgb(colour(c))));
    px.set([...rgb, 255], r * 4);
  }
  return px;
}

/** Each particle's mean barrier to the others (finite pairs only); NaN with none. */
export function meanBarriers(barrier: ArrayLike<number>, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = 0;
    let n = 0;
    for (let j = 0; j < m; j++) {
      const v = barrier[i * m + j];
      if (j !== i && Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    out[i] = n > 0 ? sum / n : NaN;
  }
  return out;
}
