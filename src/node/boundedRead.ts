import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Why a path cannot be read, in a few words; undefined for a regular file. */
export function notRegular(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'is a directory';
  if (stat.isFIFO()) return 'is a named pipe, not a regular file';
  if (stat.isSocket()) return 'is a socket, not a regular file';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'is a device, not a regular file';
  return 'is not a regular file';
}

/** A file-system error in a few words ("no such file"), else its own message. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a folder on the path is a file';
  return (e as Error).message;
}

/** A file that cannot be read, with the reason in a few words (the caller names the flag and path). */
export class UnreadableFile extends Error {
  override readonly name = 'UnreadableFile';
}

const CHUNK = 1 << 20;

/**
 * Reads a regular file as UTF-8, refusing, before anything is read, what is not a regular file (a
 * named pipe would block the process where Ctrl-C cannot reach it, /dev/zero never ends) and
 * anything that holds more than `maxBytes` (`tooBig` says it in words). Stops at maxBytes + 1
 * bytes even if the file grows while it is read.
 */
export function readBoundedText(path: string, maxBytes: number, tooBig: (bytes: number) => string): string {
  let stat: Stats;
  try {
    // stat before open: opening a named pipe for reading waits for a writer
    stat = statSync(path);
  } catch (e) {
    throw new UnreadableFile(describeFsError(e));
  }
  const kind = notRegular(stat);
  if (kind) throw new UnreadableFile(kind);
  if (stat.size > maxBytes) throw new UnreadableFile(tooBig(stat.size));
  let fd: number;
  try {
    // O_NONBLOCK: should the path become a pipe between stat and open, open returns at once
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new UnreadableFile(describeFsError(e));
  }
  try {
    const again = notRegular(fstatSync(fd));
    if (again) throw new UnreadableFile(again);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new UnreadableFile(tooBig(total));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    if (e instanceof UnreadableFile) throw e;
    throw new UnreadableFile(describeFsError(e));
  } finally {
    closeSync(fd);
  }
}
