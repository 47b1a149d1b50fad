import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll } from 'vitest';
import { runCommandLine } from '../../src/cli/main';

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

/** A stream that keeps what is written to it. */
function collected(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * The same command line in this process: runCommandLine (src/cli/main.ts), which the binary is
 * given the real process's arguments, streams, signals and exit (src/cli/entry.ts), here given
 * streams that collect what it writes. Everything but the start of a process (about 0.7 s each):
 * for checks of what a command does with its arguments (exit status, the one-line messages,
 * results, files written); cli() keeps the binary itself tested. `timeoutMs`: then the run is
 * interrupted as by Ctrl-C (it stops between chunks of work, exit status 130) and, 10 s later,
 * given up on as by a second Ctrl-C, so a check that should come before minutes of work fails
 * its test instead of running on.
 */
export async function inProcess(args: string[], timeoutMs = 110_000): Promise<CliResult> {
  const stdout = collected();
  const stderr = collected();
  const signals = new EventEmitter();
  let exit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (exit = resolve));
  // not started by npm: no watching for the parent to go away (Interrupts.watchParent)
  const env = { ...process.env };
  delete env.npm_lifecycle_event;
  const timers = [setTimeout(() => signals.emit('SIGINT'), timeoutMs), setTimeout(() => signals.emit('SIGINT'), timeoutMs + 10_000)];
  try {
    const io = { stdout: stdout.stream, stderr: stderr.stream, signals, exit, env, ppid: () => process.ppid };
    const code = await Promise.race([runCommandLine(args, io), exited]);
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    timers.forEach(clearTimeout);
  }
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
