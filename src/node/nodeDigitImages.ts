import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors';
import { decodeDigitImages, provideDigitImages, type DigitImages } from '../core/tasks/digitImages';

/** public/digits.bin in this checkout or installed package: the same file the sandbox fetches. */
export const DIGITS_PATH = fileURLToPath(new URL('../../public/digits.bin', import.meta.url));

let provided: DigitImages | undefined;

/** Reads the digit images from disk once per process and hands them to the digits preset. */
export function ensureDigitImages(): DigitImages {
  if (!provided) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(DIGITS_PATH));
    } catch (e) {
      throw new UserError(`cannot read the digit images ${DIGITS_PATH}: ${(e as Error).message}`);
    }
    provided = decodeDigitImages(bytes, DIGITS_PATH);
    provideDigitImages(provided);
  }
  return provided;
}
