import { UserError } from '../errors';
import { decodeDigitImages, type DigitImages } from './digitImages';

/**
 * The images behind the `mnist` preset: the same 4,000 MNIST digits as digits.bin (400 of each,
 * the same seeded subset of the `mnist` package) at their full 28×28, one grey byte a pixel, in
 * digits.bin's record format with side 28. On disk gzip-compressed (public/mnist28.bin.gz, 0.6 MB
 * against 3.1 MB raw; written by scripts/build-mnist.ts); the front ends decompress it (Node's zlib,
 * the browser's DecompressionStream) and hand the bytes here. Loaded only when the preset is used,
 * so no other command and no first paint pays for it.
 */
export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_FILE = 'mnist28.bin.gz';

export function decodeMnistImages(bytes: Uint8Array, what = MNIST_FILE): DigitImages {
  return decodeDigitImages(bytes, what, MNIST_SIDE);
}

// Given once per process (as digitImages.ts does for the 7×7 file), so building the preset stays
// synchronous like every other preset.
let loaded: DigitImages | undefined;

export function provideMnistImages(images: DigitImages): void {
  loaded = images;
}

export function mnistImagesLoaded(): boolean {
  return loaded !== undefined;
}

export function mnistImages(): DigitImages {
  if (!loaded) throw new UserError(`the 28×28 digit images (${MNIST_FILE}) are not loaded, so the mnist task cannot be built`);
  return loaded;
}
