/**
 * A 3 × 5 pixel font for the labels of the command line's pictures (axis names, ranges, class
 * names): lowercase letters, digits and a little punctuation. Each glyph is five rows of three
 * columns, '#' lit. Characters it lacks draw as a blank.
 */
const GLYPHS: Record<string, string> = {
  a: '.#.|#.#|###|#.#|#.#',
  b: '##.|#.#|##.|#.#|##.',
  c: '.##|#..|#..|#..|.##',
  d: '##.|#.#|#.#|#.#|##.',
  e: '###|#..|##.|#..|###',
  f: '###|#..|##.|#..|#..',
  g: '.##|#..|#.#|#.#|.##',
  h: '#.#|#.#|###|#.#|#.#',
  i: '###|.#.|.#.|.#.|###',
  j: '..#|..#|..#|#.#|.#.',
  k: '#.#|#.#|##.|#.#|#.#',
  l: '#..|#..|#..|#..|###',
  m: '#.#|###|###|#.#|#.#',
  n: '##.|#.#|#.#|#.#|#.#',
  o: '.#.|#.#|#.#|#.#|.#.',
  p: '##.|#.#|##.|#..|#..',
  q: '.#.|#.#|#.#|.#.|..#',
  r: '##.|#.#|##.|#.#|#.#',
  s: '.##|#..|.#.|..#|##.',
  t: '###|.#.|.#.|.#.|.#.',
  u: '#.#|#.#|#.#|#.#|###',
  v: '#.#|#.#|#.#|#.#|.#.',
  w: '#.#|#.#|###|###|#.#',
  x: '#.#|#.#|.#.|#.#|#.#',
  y: '#.#|#.#|.#.|.#.|.#.',
  z: '###|..#|.#.|#..|###',
  '0': '###|#.#|#.#|#.#|###',
  '1': '.#.|##.|.#.|.#.|###',
  '2': '##.|..#|.#.|#..|###',
  '3': '##.|..#|.#.|..#|##.',
  '4': '#.#|#.#|###|..#|..#',
  '5': '###|#..|##.|..#|##.',
  '6': '.##|#..|###|#.#|###',
  '7': '###|..#|.#.|.#.|.#.',
  '8': '###|#.#|###|#.#|###',
  '9': '###|#.#|###|..#|##.',
  '.': '...|...|...|...|.#.',
  ',': '...|...|...|.#.|#..',
  '-': '...|...|###|...|...',
  ':': '...|.#.|...|.#.|...',
  '×': '...|#.#|.#.|#.#|...',
  '…': '...|...|...|...|#.#',
  '(': '.#.|#..|#..|#..|.#.',
  ')': '.#.|..#|..#|..#|.#.',
  '=': '...|###|...|###|...',
};

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;
/** a glyph and the column of space after it */
export const ADVANCE = GLYPH_WIDTH + 1;

/** Pixels `text` covers at `scale`: ADVANCE · scale a character. */
export const textWidth = (text: string, scale: number): number => text.length * ADVANCE * scale;

/**
 * Draws `text` into an RGBA picture `width` pixels wide, its top-left corner at (x, y), each font
 * pixel a scale × scale square of `colour`. Pixels outside the picture are skipped.
 */
export function drawText(
  rgba: Uint8Array,
  width: number,
  text: string,
  x: number,
  y: number,
  scale: number,
  colour: readonly [number, number, number],
): void {
  const height = rgba.length / 4 / width;
  [...text.toLowerCase()].forEach((ch, n) => {
    const rows = GLYPHS[ch]?.split('|');
    if (!rows) return;
    rows.forEach((row, r) =>
      [...row].forEach((cell, c) => {
        if (cell !== '#') return;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const px = x + (n * ADVANCE + c) * scale + dx;
            const py = y + r * scale + dy;
            if (px >= 0 && px < width && py >= 0 && py < height) rgba.set([...colour, 255], (py * width + px) * 4);
          }
      }),
    );
  });
}
