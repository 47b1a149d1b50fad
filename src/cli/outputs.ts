import { statSync } from 'node:fs';
import type { Picture } from '../core/instruments/hypermap/hypermapPicture';
import { clip } from '../core/describe';
import { UserError } from '../core/errors';
import { encodePng } from '../node/png';
import { checkWritable, UnwritableFile, writeFileAtomic, writeFilesAtomic, writeTarget } from '../node/atomicFile';

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

/** An output made, waiting to be written with the command's others (writeOutputs). */
export interface StagedOutput {
  readonly file: NamedFile;
  readonly chunks: Iterable<string | Uint8Array>;
}

/**
 * A command's outputs, all together or none (see writeFilesAtomic): an interruption or a full disk
 * never leaves --params-out written without --out. A failure is one line naming the flag.
 */
export function writeOutputs(outputs: readonly StagedOutput[]): void {
  try {
    writeFilesAtomic(outputs.map((o) => ({ path: o.file.path, chunks: o.chunks })));
  } catch (e) {
    if (e instanceof UnwritableFile) {
      const failed = outputs.find((o) => o.file.path === e.path)?.file ?? outputs[0].file;
      const others = outputs.length > 1 ? '; no output was written' : '; the file was left as it was';
      throw new UserError(`${failed.flag} ${failed.path}: cannot write (${e.message})${others}`);
    }
    throw e;
  }
}

/**
 * Emits the results with the --png picture `draw` makes, all written together. The picture's
 * inputs were checked before any work; should drawing fail all the same, the results are not lost
 * with it: they are written without the picture, and then the failure is said (exit status 2).
 */
export function emitWithPicture(emit: (more: readonly StagedOutput[]) => void, flags: { png?: string }, draw: () => Picture): void {
  if (flags.png === undefined) return emit([]);
  let png: StagedOutput;
  try {
    const picture = draw();
    png = { file: { flag: '--png', path: flags.png }, chunks: [encodePng(picture.width, picture.height, picture.rgba)] };
  } catch (e) {
    emit([]);
    throw new UserError(
      `--png ${flags.png}: the picture could not be drawn (${clip((e as Error).message)}); the other outputs were written`,
    );
  }
  emit([png]);
}
