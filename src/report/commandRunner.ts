import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/basin-atlas.js');

/** A command of the tool as a reader types it (`npx basin-atlas train --knob salience=1.1`), and its argv. */
export interface ToolCommand {
  readonly args: readonly string[];
  /**
   * What the section reads of each particle (dotted paths, as `record.train.acc`), kept beside the
   * report even past 64 particles, where the per-particle list is otherwise dropped (keptResults.ts)
   */
  readonly particleFields?: readonly string[];
}

export const commandLine = (c: ToolCommand): string => ['npx basin-atlas', ...c.args].join(' ');

/** The commands running now, and each one's end (its temporary folder removed). */
const running = new Map<ChildProcess, Promise<unknown>>();

/**
 * Runs the command line itself (not a copy of what it does), so each number in the report comes
 * from the exact command printed beside it. Returns the JSON it writes with --out.
 */
export async function runTool<T = Record<string, unknown>>(command: ToolCommand, extra: readonly string[] = []): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'basin-atlas-report-'));
  const out = join(dir, 'result.json');
  let child: ChildProcess | undefined;
  const done = (async () => {
    try {
      await new Promise<void>((resolveRun, fail) => {
        // a process group of its own: a Ctrl-C at the terminal reaches the report alone, which passes it on once
        // (the command, started under npm run, also stops should the report itself be killed: Interrupts.watchParent)
        const options = { maxBuffer: 64 << 20, detached: true };
        child = execFile(process.execPath, [BIN, ...command.args, ...extra, '--out', out], options, (error, _stdout, stderr) => {
          if (error) fail(new Error(`${commandLine(command)} failed: ${stderr.trim().split('\n').slice(-3).join(' / ') || error.message}`));
          else resolveRun();
        });
      });
      return JSON.parse(readFileSync(out, 'utf8')) as T;
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (child) running.delete(child);
    }
  })();
  if (child) running.set(child, done);
  return done;
}

/**
 * Passes `signal` to every running command and resolves once each has exited and its temporary
 * folder is gone: a report stopped never leaves a basin-atlas running into an abandoned folder.
 */
export async function stopTools(signal: NodeJS.Signals): Promise<void> {
  const ends = [...running.entries()].map(([child, end]) => {
    child.kill(signal);
    return end;
  });
  await Promise.allSettled(ends);
}
