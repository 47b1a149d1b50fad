import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors';

export function readText(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new UserError(`${flag} ${path}: ${why}`);
  }
}

function parseJson(flag: string, path: string): unknown {
  const text = readText(flag, path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`${flag} ${path}: not valid JSON (${(e as Error).message})`);
  }
}

function toVector(flag: string, path: string, where: string, v: unknown, length: number): Float32Array {
  if (!Array.isArray(v)) throw new UserError(`${flag} ${path}: ${where} must be a list of numbers`);
  if (v.length !== length)
    throw new UserError(`${flag} ${path}: ${where} has ${v.length} values, expected ${length} (the model's parameter count)`);
  const out = new Float32Array(length);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new UserError(`${flag} ${path}: ${where}[${i}] must be a finite number, got ${JSON.stringify(x)}`);
    out[i] = x;
  });
  return out;
}

/** A JSON file holding one flat parameter vector. */
export function readVector(flag: string, path: string, length: number): Float32Array {
  return toVector(flag, path, 'the vector', parseJson(flag, path), length);
}

/** A JSON file holding one flat vector or a list of them. */
export function readVectors(flag: string, path: string, length: number): Float32Array[] {
  const doc = parseJson(flag, path);
  if (Array.isArray(doc) && doc.length > 0 && Array.isArray(doc[0]))
    return doc.map((v, i) => toVector(flag, path, `vector ${i}`, v, length));
  return [toVector(flag, path, 'the vector', doc, length)];
}
