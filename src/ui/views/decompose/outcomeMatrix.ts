/**
 * The decomposition's I × J outcome matrix as pixels, and what its rows and cells mean: pure, so
 * the view and the tests compute them the same way.
 */

/** Row order: init order, or by purity, purest first (ties in init order, so the order is stable). */
export function rowOrder(purity: ArrayLike<number>, byPurity: boolean): Int32Array {
  const order = Int32Array.from({ length: purity.length }, (_, i) => i);
  return byPurity ? order.sort((a, b) => purity[b] - purity[a] || a - b) : order;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** RGBA of a noises-wide, inits-high image: row r is init order[r], each cell its class's colour (#rrggbb). */
export function matrixPixels(
  outcomes: Uint8Array,
  noises: number,
  order: Int32Array,
  colour: (c: number) => string,
): Uint8ClampedArray<ArrayBuffer> {
  const px = new Uint8ClampedArray(order.length * noises * 4);
  const table = new Map<number, [number, number, number]>();
  order.forEach((i, r) => {
    for (let j = 0; j < noises; j++) {
      const c = outcomes[i * noises + j];
      if (!table.has(c)) table.set(c, rgb(colour(c)));
      px.set([...table.get(c)!, 255], (r * noises + j) * 4);
    }
  });
  return px;
}

/** The cell under a point of the image, given as fractions of its width and height; undefined outside. */
export function cellUnder(fx: number, fy: number, rows: number, cols: number): { row: number; col: number } | undefined {
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return undefined;
  return { row: Math.floor(fy * rows), col: Math.floor(fx * cols) };
}

/** A word as a POSIX shell reads it: quoted when it holds anything but plain characters. */
const shellWord = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** The command that trains cell (i, j) alone: exactly that particle, as the decompose command says. */
export function cellCommand(flags: readonly string[], i: number, j: number): string {
  return ['basin-atlas', 'train', ...flags, '--init-index', String(i), '--first-particle', String(j), '--particles', '1']
    .map(shellWord)
    .join(' ');
}
