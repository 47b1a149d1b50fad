import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnwritableFile, writeFilesAtomic } from '../../src/node/atomicFile';

const dir = mkdtempSync(join(tmpdir(), 'basin-atlas-atomic-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFilesAtomic: a command’s outputs land together or not at all', () => {
  it('writes every file', () => {
    writeFilesAtomic([
      { path: join(dir, 'a.json'), chunks: ['[1,', '2]'] },
      { path: join(dir, 'b.json'), chunks: ['{}'] },
    ]);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('[1,2]');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('{}');
  });

  it('when one cannot be written, none is: the others keep their old contents and no temporary file is left', () => {
    writeFileSync(join(dir, 'old.json'), 'old');
    let error: unknown;
    try {
      writeFilesAtomic([
        { path: join(dir, 'old.json'), chunks: ['new'] },
        { path: join(dir, 'missing-folder', 'c.json'), chunks: ['c'] },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnwritableFile);
    expect((error as UnwritableFile).path).toBe(join(dir, 'missing-folder', 'c.json'));
    expect(readFileSync(join(dir, 'old.json'), 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
