import { describe, expect, it } from 'vitest';
import { readMnistDigit } from '../../../scripts/build-digits';
import { concatImages, digitSubset, PER_DIGIT, subsetIndices } from '../../../scripts/digits/subset';
import { decodeDigitImages, DIGIT_PIXELS, encodeDigitImages, poolDigit } from '../../../src/core/tasks/digitImages';
import { ensureDigitImages } from '../../../src/node/nodeDigitImages';
import { testSeed } from '../helpers';

// Needs the `mnist` devDependency: public/digits.bin must be what scripts/build-digits.ts makes from it.
describe('public/digits.bin', () => {
  const file = ensureDigitImages();

  it('holds PER_DIGIT images of each digit, digit-major', () => {
    expect(file.count).toBe(10 * PER_DIGIT);
    for (let d = 0; d < 10; d++)
      expect(
        Array.from(file.digits.subarray(d * PER_DIGIT, (d + 1) * PER_DIGIT)).every((x) => x === d),
        `digit ${d}`,
      ).toBe(true);
  });

  it('rebuilding two digits from the mnist package gives the same bytes', () => {
    const seed = testSeed('digits rebuilt');
    const picked = [seed % 10, (seed + 1 + ((seed >>> 8) % 9)) % 10];
    for (const d of picked) {
      const rebuilt = encodeDigitImages(digitSubset(d, readMnistDigit(d)));
      const stored = encodeDigitImages({
        count: PER_DIGIT,
        digits: file.digits.subarray(d * PER_DIGIT, (d + 1) * PER_DIGIT),
        sources: file.sources.subarray(d * PER_DIGIT, (d + 1) * PER_DIGIT),
        pixels: file.pixels.subarray(d * PER_DIGIT * DIGIT_PIXELS, (d + 1) * PER_DIGIT * DIGIT_PIXELS),
      });
      const first = rebuilt.findIndex((b, i) => b !== stored[i]);
      expect(first, `digit ${d}: first differing byte (rebuilt ${rebuilt.length} bytes, stored ${stored.length})`).toBe(-1);
      expect(rebuilt.length).toBe(stored.length);
    }
  });

  it('the subset is distinct images drawn from the whole of each digit file', () => {
    const idx = subsetIndices(3, 1032);
    expect(new Set(idx).size).toBe(PER_DIGIT);
    expect(Math.max(...idx)).toBeGreaterThan(900);
    expect(Math.min(...idx)).toBeLessThan(100);
  });
});

describe('digit image format', () => {
  it('pools 4×4 blocks to their rounded mean', () => {
    const full = new Uint8Array(784);
    // block (0,0) holds 15 zeros and one 8 → mean 0.5, rounded up to 1; block (6,6) all 255
    full[0] = 8;
    for (let r = 24; r < 28; r++) for (let c = 24; c < 28; c++) full[r * 28 + c] = 255;
    const pooled = poolDigit(full);
    expect([pooled[0], pooled[48], pooled[1]]).toEqual([1, 255, 0]);
  });

  it('encodes and decodes losslessly, and refuses a truncated or foreign file', () => {
    const parts = concatImages([
      { count: 1, digits: Uint8Array.of(4), sources: Uint16Array.of(977), pixels: new Uint8Array(DIGIT_PIXELS).fill(7) },
      { count: 1, digits: Uint8Array.of(9), sources: Uint16Array.of(65535), pixels: new Uint8Array(DIGIT_PIXELS).fill(200) },
    ]);
    const bytes = encodeDigitImages(parts);
    const back = decodeDigitImages(bytes);
    expect([back.count, Array.from(back.digits), Array.from(back.sources)]).toEqual([2, [4, 9], [977, 65535]]);
    expect(Array.from(back.pixels)).toEqual(Array.from(parts.pixels));
    expect(() => decodeDigitImages(bytes.subarray(0, bytes.length - 1))).toThrow(/bytes, expected/);
    expect(() => decodeDigitImages(new TextEncoder().encode('{"not":"digits"}'))).toThrow(/does not start with/);
  });
});
