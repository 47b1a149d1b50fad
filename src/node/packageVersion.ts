import { readFileSync } from 'node:fs';

/**
 * This checkout's or installed package's version, from its package.json: two folders up from this
 * file in the sources (src/node/) and from the built CLI (dist/cli/) alike.
 */
export function packageVersion(): string {
  try {
    return String(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}
