import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../core/errors';
import type { DigitImages } from '../core/tasks/digitImages';
import { decodeMnistImages, MNIST_FILE, provideMnistImages } from '../core/tasks/mnistImages';

/** public/mnist28.bin.gz in this checkout or installed package: the same file the sandbox fetches. */
export const MNIST_PATH = fileURLToPath(new URL(`../../public/${MNIST_FILE}`, import.meta.url));

let provided: DigitImages | undefined;

/** Reads and unzips the 28×28 images once per process, only when the mnist preset is asked for. */
export function ensureMnistImages(): DigitImages {
  if (!provided) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(gunzipSync(readFileSync(MNIST_PATH)));
    } catch (e) {
      throw new UserError(`cannot read the 28×28 digit images ${MNIST_PATH}: ${(e as Error).message}`);
    }
    provided = decodeMnistImages(bytes, MNIST_PATH);
    provideMnistImages(provided);
  }
  return provided;
}
