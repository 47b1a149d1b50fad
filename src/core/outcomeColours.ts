/**
 * The outcome classes' colours, one palette for every picture the tool draws: the sandbox's map,
 * legends and panels (src/ui/colour/colourTables.ts) and the command line's PNGs
 * (instruments/hypermap/hypermapPicture.ts), so a class reads the same colour everywhere.
 */

/** Hypothesis colours (Tableau 10, without its grey and brown, which the other classes use). */
export const HYPOTHESIS_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7'];
export const MIXED_COLOUR = '#9c755f';
export const UNCONVERGED_COLOUR = '#c9c3bf';
export const DIVERGED_COLOUR = '#1b1b1b';
/** a cell or loss with nothing finite to show */
export const NON_FINITE_COLOUR = '#7f7f7f';

/** The colour of outcome class `c` of a task with `hypotheses` probe sets, as #rrggbb. */
export function outcomeColour(c: number, hypotheses: number): string {
  if (c < hypotheses) return HYPOTHESIS_COLOURS[c % HYPOTHESIS_COLOURS.length];
  return [MIXED_COLOUR, UNCONVERGED_COLOUR, DIVERGED_COLOUR][c - hypotheses] ?? DIVERGED_COLOUR;
}

/** A #rrggbb or rgb(r, g, b) colour (d3's interpolators write the latter) as [r, g, b]. */
export function rgbOf(css: string): [number, number, number] {
  if (css.startsWith('#')) {
    const n = parseInt(css.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}
