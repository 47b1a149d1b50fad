import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeFsError, notRegular } from './boundedRead';

/** A file that cannot be written, with the reason in a few words (the caller names the flag and path). */
export class UnwritableFile extends Error {
  override readonly name = 'UnwritableFile';
  /** writeFilesAtomic: which of its files failed */
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Where writing `path` lands: through a symbolic link to its target, so the link stays a link. */
export function writeTarget(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

const tempName = (target: string) => join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

/** Creates and writes a new temporary file beside `target` (with `mode`, when given); returns its path. */
function writeTemp(target: string, chunks: Iterable<string | Uint8Array>, mode?: number): string {
  const temp = tempName(target);
  const fd = openSync(temp, 'wx');
  let written = false;
  try {
    if (mode !== undefined) fchmodSync(fd, mode);
    for (const chunk of chunks) {
      // text as UTF-8; bytes (a PNG) as they are
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    }
    // on disk before the rename makes it the file: a crash then leaves the old file or the new, never half of one
    fsyncSync(fd);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) unlinkSync(temp);
  }
  return temp;
}

/**
 * Checks, before any long work, that `path` can be written the way writeFileAtomic will write it:
 * it is a regular file or does not exist yet, and its folder takes a new file (one is created and
 * removed again).
 */
export function checkWritable(path: string): void {
  // /dev/stdout, /proc/self/fd/1: a rename would replace the link, not write through it
  if (/^\/(dev|proc)\//.test(resolve(path)))
    throw new UnwritableFile('is a device or process file, not a regular file (for standard output, use --json)');
  const target = writeTarget(path);
  const dir = dirname(target);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new UnwritableFile(`folder ${dirname(resolve(path))} does not exist`);
  }
  if (!dirStat.isDirectory()) throw new UnwritableFile(`${dirname(resolve(path))} is not a folder`);
  try {
    const kind = notRegular(statSync(target));
    if (kind) throw new UnwritableFile(kind);
    accessSync(target, constants.W_OK);
  } catch (e) {
    if (e instanceof UnwritableFile) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UnwritableFile(describeFsError(e));
  }
  try {
    unlinkSync(writeTemp(target, []));
  } catch (e) {
    throw new UnwritableFile(`cannot create a file in ${dir} (${describeFsError(e)})`);
  }
}

/**
 * Writes `chunks` to `path` all or nothing: into a new temporary file in the same folder, then
 * renamed over `path`. A full disk, a file-size limit or an interruption leaves the old file as it
 * was (and no temporary file); readers never see half a file. Chunks, so a result larger than one
 * JavaScript string can be written.
 */
export function writeFileAtomic(path: string, chunks: Iterable<string | Uint8Array>): void {
  const target = writeTarget(path);
  let mode: number | undefined;
  try {
    // a file replaced keeps its permissions (a private 0600 file stays private)
    mode = statSync(target).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  let temp: string;
  try {
    temp = writeTemp(target, chunks, mode);
  } catch (e) {
    throw new UnwritableFile(describeFsError(e));
  }
  try {
    renameSync(temp, target);
  } catch (e) {
    unlinkSync(temp);
    throw new UnwritableFile(describeFsError(e));
  }
}

/**
 * Writes several files together: every one into its temporary file first, and only when all are
 * written are they renamed into place, one after another with nothing between (no signal handler
 * runs between two synchronous renames). A failure while writing leaves every file as it was;
 * `failed` names the path that failed.
 */
export function writeFilesAtomic(files: readonly { path: string; chunks: Iterable<string | Uint8Array> }[]): void {
  const temps: { temp: string; target: string; path: string }[] = [];
  try {
    for (const f of files) {
      const target = writeTarget(f.path);
      let mode: number | undefined;
      try {
        mode = statSync(target).mode & 0o7777;
      } catch {
        mode = undefined;
      }
      try {
        temps.push({ temp: writeTemp(target, f.chunks, mode), target, path: f.path });
      } catch (e) {
        throw new UnwritableFile(describeFsError(e), f.path);
      }
    }
    for (let i = 0; i < temps.length; i++) {
      try {
        renameSync(temps[i].temp, temps[i].target);
      } catch (e) {
        throw new UnwritableFile(describeFsError(e), temps[i].path);
      }
      temps[i].temp = '';
    }
  } finally {
    for (const t of temps) if (t.temp) unlinkSync(t.temp);
  }
}
