import { interpolateViridis } from 'd3-scale-chromatic';
import { NON_FINITE_COLOUR, outcomeColour, rgbOf } from '../../core/outcomeColours';

/**
 * Every colour of the map comes from one of two lookup tables, used both as regl textures and
 * by the PNG export, so a downloaded picture matches the screen exactly.
 *
 * Loss table: 256 entries; 0..254 viridis from low to high loss, 255 for non-finite loss.
 * Outcome table: CLASS_ROWS rows (one per outcome class) × SHADES columns, from weak agreement
 * (light) to full agreement (the class's own colour).
 */
export const LOSS_ENTRIES = 256;
export const NON_FINITE = 255;
export const SHADES = 16;
export const CLASS_ROWS = 16;

export function lossTable(): Uint8Array {
  const t = new Uint8Array(LOSS_ENTRIES * 4);
  for (let i = 0; i < LOSS_ENTRIES; i++) {
    const [r, g, b] = i === NON_FINITE ? rgbOf(NON_FINITE_COLOUR) : rgbOf(interpolateViridis(i / (NON_FINITE - 1)));
    t.set([r, g, b, 255], i * 4);
  }
  return t;
}

/** Row c, column s: class c at agreement s/(SHADES-1); weak agreement fades towards white. */
export function outcomeTable(hypotheses: number): Uint8Array {
  const t = new Uint8Array(CLASS_ROWS * SHADES * 4);
  for (let c = 0; c < CLASS_ROWS; c++) {
    const [r, g, b] = rgbOf(outcomeColour(c, hypotheses));
    for (let s = 0; s < SHADES; s++) {
      const fade = 0.6 * (1 - s / (SHADES - 1));
      const mix = (x: number) => Math.round(x + (255 - x) * fade);
      t.set([mix(r), mix(g), mix(b), 255], (c * SHADES + s) * 4);
    }
  }
  return t;
}

/** The CSS colour of loss-table entry i, for the legend's gradient. */
export function lossCss(i: number): string {
  const t = lossTable();
  return `rgb(${t[i * 4]}, ${t[i * 4 + 1]}, ${t[i * 4 + 2]})`;
}
