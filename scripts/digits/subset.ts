import { DIGIT_PIXELS, poolDigit, type DigitImages } from '../../src/core/tasks/digitImages';
import { PURPOSE_DATA, randU32 } from '../../src/core/rng';

/** Images kept per digit: 4,000 in all, 208 KB on disk. */
export const PER_DIGIT = 400;
/** The seed of the subset: changing it changes public/digits.bin. */
export const SUBSET_SEED = 14;
const FULL = 28 * 28;

/**
 * Which of a digit's `available` images the file keeps, in the order kept: the first PER_DIGIT
 * draws of a seeded Fisher–Yates shuffle (the project's counter-based generator, key
 * (SUBSET_SEED, digit, data, draw)), so the subset is uniform and the same everywhere.
 */
export function subsetIndices(digit: number, available: number): number[] {
  const order = Array.from({ length: available }, (_, i) => i);
  const n = Math.min(PER_DIGIT, available);
  for (let k = 0; k < n; k++) {
    const j = k + (randU32(SUBSET_SEED, digit, PURPOSE_DATA, k, 0) % (available - k));
    [order[k], order[j]] = [order[j], order[k]];
  }
  return order.slice(0, n);
}

/**
 * One digit's images from the mnist package's `src/digits/<digit>.json` data (784 values in [0, 1]
 * per image, three decimals of k/255): back to bytes, then pooled to 7×7.
 */
export function digitSubset(digit: number, raw: ArrayLike<number>): DigitImages {
  const available = Math.floor(raw.length / FULL);
  const sources = subsetIndices(digit, available);
  const pixels = new Uint8Array(sources.length * DIGIT_PIXELS);
  const full = new Uint8Array(FULL);
  sources.forEach((s, i) => {
    for (let p = 0; p < FULL; p++) full[p] = Math.round(raw[s * FULL + p] * 255);
    pixels.set(poolDigit(full), i * DIGIT_PIXELS);
  });
  return { count: sources.length, digits: new Uint8Array(sources.length).fill(digit), sources: Uint16Array.from(sources), pixels };
}

/** Digit-major concatenation of per-digit subsets of `pixelsPerImage` pixels each (7×7 unless told). */
export function concatImages(parts: readonly DigitImages[], pixelsPerImage = DIGIT_PIXELS): DigitImages {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const out = { count, digits: new Uint8Array(count), sources: new Uint16Array(count), pixels: new Uint8Array(count * pixelsPerImage) };
  let at = 0;
  for (const p of parts) {
    out.digits.set(p.digits, at);
    out.sources.set(p.sources, at);
    out.pixels.set(p.pixels, at * pixelsPerImage);
    at += p.count;
  }
  return out;
}
