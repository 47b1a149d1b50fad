import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const BIN = new URL('../../bin/basin-atlas.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real command line (bin/basin-atlas.js) in a child process. `timeoutMs`: killed after
 * it, so a command that hangs (as a test of a fix would see on the unfixed code) fails its test
 * and leaves no process behind.
 */
export function cli(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 540_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env, maxBuffer: 256 * 2 ** 20, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A folder for a test file's inputs and outputs, removed when the file's tests are done. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'basin-atlas-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeTemp(dir: string, name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
