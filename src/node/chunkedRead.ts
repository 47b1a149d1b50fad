import { constants } from 'node:fs';
import { open, stat as statAsync, type FileHandle } from 'node:fs/promises';
import { throwIfAborted } from '../core/errors';
import { describeFsError, notRegular, UnreadableFile } from './boundedRead';

/** Bytes read at a time: what one parse step holds of the file, and the work between two checks for a stop. */
export const READ_CHUNK_BYTES = 1 << 20;

/**
 * A regular file's text in chunks of about a megabyte, read asynchronously: between two chunks
 * the event loop runs (a Ctrl-C or SIGTERM is delivered) and `signal` is checked (CancelledError),
 * so a stop never waits for a big file to be read and parsed whole, and only one chunk of it is in
 * memory at a time. Refused, as readBoundedText refuses them, before anything is read: what is
 * not a regular file, and a file of more than `maxBytes` (`tooBig` says it in words); the read
 * stops at maxBytes + 1 bytes even if the file grows meanwhile. UTF-8, without a byte-order mark.
 */
export async function* readTextChunks(
  path: string,
  maxBytes: number,
  tooBig: (bytes: number) => string,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  let handle: FileHandle;
  try {
    // stat before open: opening a named pipe for reading waits for a writer
    const kind = notRegular(await statAsync(path));
    if (kind) throw new UnreadableFile(kind);
    // O_NONBLOCK: should the path become a pipe between stat and open, open returns at once
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if (e instanceof UnreadableFile) throw e;
    throw new UnreadableFile(describeFsError(e));
  }
  try {
    const stat = await handle.stat().catch((e: unknown) => {
      throw new UnreadableFile(describeFsError(e));
    });
    const kind = notRegular(stat);
    if (kind) throw new UnreadableFile(kind);
    if (stat.size > maxBytes) throw new UnreadableFile(tooBig(stat.size));
    const decoder = new TextDecoder('utf-8');
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let total = 0;
    for (;;) {
      throwIfAborted(signal);
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, maxBytes + 1 - total), null).catch((e: unknown) => {
        throw new UnreadableFile(describeFsError(e));
      });
      throwIfAborted(signal);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new UnreadableFile(tooBig(total));
      // the decoder drops a leading byte-order mark itself
      const text = decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
      if (text.length > 0) yield text;
    }
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } finally {
    await handle.close();
  }
}
