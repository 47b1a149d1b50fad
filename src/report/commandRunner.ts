import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/basin-atlas.js');

/** A command of the tool as a reader types it (`npx basin-atlas train --knob salience=1.1`), and its argv. */
export interface ToolCommand {
  readonly args: readonly string[];
}

export const commandLine = (c: ToolCommand): string => ['npx basin-atlas', ...c.args].join(' ');

/**
 * Runs the command line itself (not a copy of what it does), so each number in the report comes
 * from the exact command printed beside it. Returns the JSON it writes with --out.
 */
export async function runTool<T = Record<string, unknown>>(command: ToolCommand, extra: readonly string[] = []): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'basin-atlas-report-'));
  const out = join(dir, 'result.json');
  try {
    await new Promise<void>((done, fail) =>
      execFile(process.execPath, [BIN, ...command.args, ...extra, '--out', out], { maxBuffer: 64 << 20 }, (error, _stdout, stderr) => {
        if (error) fail(new Error(`${commandLine(command)} failed: ${stderr.trim().split('\n').slice(-3).join(' / ') || error.message}`));
        else done();
      }),
    );
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
