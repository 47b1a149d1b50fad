import { statSync } from 'node:fs';
import { UserError } from '../core/errors';
import { checkWritable, UnwritableFile, writeFileAtomic, writeTarget } from '../node/atomicFile';

/** A file named on the command line, with the flag that named it. */
export interface NamedFile {
  readonly flag: string;
  readonly path: string;
}

/** The same file however it is spelt (relative, absolute, through a link): device and inode, else the resolved path. */
function identity(path: string): string {
  try {
    const s = statSync(path);
    return `inode ${s.dev}:${s.ino}`;
  } catch {
    return `path ${writeTarget(path)}`;
  }
}

/**
 * Before any work: every output can be written, no output is also an input (results would replace
 * the task they came from) and no two outputs are one file. One check for every flag that writes.
 */
export function checkOutputs(outputs: readonly NamedFile[], inputs: readonly NamedFile[]): void {
  const seen = new Map<string, NamedFile>();
  for (const input of inputs) if (!seen.has(identity(input.path))) seen.set(identity(input.path), input);
  for (const out of outputs) {
    const same = seen.get(identity(out.path));
    if (same) {
      throw new UserError(
        inputs.includes(same)
          ? `${out.flag} ${out.path} is also the ${same.flag} file: writing it would replace that input; choose another ${out.flag}`
          : `${out.flag} and ${same.flag} name the same file ${out.path}: give each its own`,
      );
    }
    try {
      checkWritable(out.path);
    } catch (e) {
      if (e instanceof UnwritableFile) throw new UserError(`${out.flag} ${out.path}: ${e.message}`);
      throw e;
    }
    seen.set(identity(out.path), out);
  }
}

/** Writes an output all or nothing (see writeFileAtomic); a failure is one line naming the flag. */
export function writeOutput(file: NamedFile, chunks: Iterable<string | Uint8Array>): void {
  try {
    writeFileAtomic(file.path, chunks);
  } catch (e) {
    if (e instanceof UnwritableFile)
      throw new UserError(`${file.flag} ${file.path}: cannot write (${e.message}); the file was left as it was`);
    throw e;
  }
}
