import { UserError } from '../errors';

/**
 * The digit images behind the `digits` preset: real MNIST digits, average-pooled from 28×28 to 7×7
 * and quantised to bytes (public/digits.bin, written by scripts/build-digits.ts).
 *
 * File: a 12-byte header — "BAD7", the image count (u32 little-endian), the side (7; 28 in the
 * mnist preset's file), 3 zero bytes —
 * then one (3 + side²)-byte record per image (52 at side 7): its digit (u8), its index in the mnist package's file for that
 * digit (u16 little-endian, so any image can be traced back and rebuilt), side² grey bytes row by row
 * (0 = paper, 255 = ink).
 */
export const DIGIT_SIDE = 7;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
const MAGIC = 'BAD7';
const HEADER_BYTES = 12;
/** bytes of one record: digit, source index, side² grey bytes */
const recordBytes = (side: number) => 3 + side * side;

export interface DigitImages {
  readonly count: number;
  readonly digits: Uint8Array;
  /** index of each image among the package's images of its digit */
  readonly sources: Uint16Array;
  /** [count][49] grey bytes */
  readonly pixels: Uint8Array;
}

/** `side`: 7 for digits.bin; the mnist preset's file holds the same format at 28 (mnistImages.ts). */
export function encodeDigitImages(images: DigitImages, side = DIGIT_SIDE): Uint8Array {
  const RECORD_BYTES = recordBytes(side);
  const pixels = side * side;
  const out = new Uint8Array(HEADER_BYTES + images.count * RECORD_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, images.count, true);
  out[8] = side;
  for (let i = 0; i < images.count; i++) {
    const at = HEADER_BYTES + i * RECORD_BYTES;
    out[at] = images.digits[i];
    view.setUint16(at + 1, images.sources[i], true);
    out.set(images.pixels.subarray(i * pixels, (i + 1) * pixels), at + 3);
  }
  return out;
}

export function decodeDigitImages(bytes: Uint8Array, what = 'digits.bin', side = DIGIT_SIDE): DigitImages {
  const RECORD_BYTES = recordBytes(side);
  const pixelCount = side * side;
  const bad = (why: string) => new UserError(`${what} is not a digit-image file: ${why}`);
  if (bytes.length < HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) throw bad(`it does not start with "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  if (bytes[8] !== side) throw bad(`side ${bytes[8]}, expected ${side}`);
  if (bytes.length !== HEADER_BYTES + count * RECORD_BYTES)
    throw bad(`${bytes.length} bytes, expected ${HEADER_BYTES + count * RECORD_BYTES} for ${count} images`);
  const digits = new Uint8Array(count);
  const sources = new Uint16Array(count);
  const pixels = new Uint8Array(count * pixelCount);
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * RECORD_BYTES;
    digits[i] = bytes[at];
    if (digits[i] > 9) throw bad(`image ${i} has digit ${digits[i]}`);
    sources[i] = view.getUint16(at + 1, true);
    pixels.set(bytes.subarray(at + 3, at + RECORD_BYTES), i * pixelCount);
  }
  return { count, digits, sources, pixels };
}

/**
 * 28×28 grey bytes → 7×7 by the mean of each 4×4 block, rounded half up, in integers so the bytes
 * are the same on every machine.
 */
export function poolDigit(full: ArrayLike<number>): Uint8Array {
  const block = 28 / DIGIT_SIDE;
  const out = new Uint8Array(DIGIT_PIXELS);
  for (let r = 0; r < DIGIT_SIDE; r++)
    for (let c = 0; c < DIGIT_SIDE; c++) {
      let sum = 0;
      for (let dr = 0; dr < block; dr++) for (let dc = 0; dc < block; dc++) sum += full[(r * block + dr) * 28 + c * block + dc];
      out[r * DIGIT_SIDE + c] = Math.floor((sum + (block * block) / 2) / (block * block));
    }
  return out;
}

// The images are loaded once per process (the CLI reads the file, the page fetches it) and given
// here, so that building the preset stays synchronous like every other preset.
let loaded: DigitImages | undefined;

export function provideDigitImages(images: DigitImages): void {
  loaded = images;
}

export function digitImages(): DigitImages {
  if (!loaded) throw new UserError('the digit images (digits.bin) are not loaded, so the digits task cannot be built');
  return loaded;
}
