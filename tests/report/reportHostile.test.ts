import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

/**
 * The report's own hostile inputs (issue 24): its exit codes, a corrupt file of kept results, an
 * --out in no folder, and signals, which it passes to the running command and waits for.
 */
const MAIN = new URL('../../src/report/main.ts', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;
const base = mkdtempSync(join(tmpdir(), 'basin-atlas-report-hostile-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** The report in one process (node with tsx's loader: no npx or tsx process between it and the test). */
function report(args: string[], env: NodeJS.ProcessEnv = process.env, onStderr?: (text: string, pid: number) => void): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      onStderr?.(stderr, child.pid!);
    });
    child.on('close', (code, signal) => done({ code, signal, stderr }));
  });
}

describe('npm run report: exit codes and messages', () => {
  test('--help exits 0; an unknown option, an extra argument and a missing value are usage errors, 2', async () => {
    expect((await report(['--help'])).code).toBe(0);
    for (const args of [['--wobble'], ['extra'], ['--out']]) expect((await report(args)).code, args.join(' ')).toBe(2);
  });

  test('a corrupt file of kept results is named, before any experiment', async () => {
    const dir = mkdtempSync(join(base, 'corrupt-'));
    writeFileSync(join(dir, 'findings-results.json'), '{"npx basin-atlas train": {');
    const r = await report(['--size', 'small', '--only', 'simplicity', '--out', join(dir, 'F.md')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^report: .*findings-results\.json: the kept results are not valid JSON \(.*\); delete the file or run with --fresh\n$/,
    );
  });

  test('--out in a folder that does not exist is refused before the first experiment', async () => {
    const r = await report(['--size', 'small', '--only', 'simplicity', '--out', join(base, 'nope', 'r.md')]);
    expect(r).toEqual({
      code: 2,
      signal: null,
      stderr: `report: --out ${join(base, 'nope', 'r.md')}: folder ${join(base, 'nope')} does not exist\n`,
    });
  });
});

describe('npm run report: signals', () => {
  test('SIGTERM while a command runs: passed on, waited for, its temporary folder removed, exit 143, no report written', async () => {
    const temp = join(base, 'tmp');
    mkdirSync(temp);
    const out = join(base, 'stopped.md');
    let sent = false;
    // the first command has started (its line is printed before it runs): stop the report then
    const r = await report(
      ['--size', 'small', '--only', 'simplicity', '--fresh', '--out', out],
      { ...process.env, TMPDIR: temp },
      (text, pid) => {
        if (!sent && / … $/.test(text)) {
          sent = true;
          process.kill(pid, 'SIGTERM');
        }
      },
    );
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toContain('report: stopping (SIGTERM): waiting for the running command to stop');
    // the command stopped with the report: nothing of it is left in the temporary folder, and no report
    expect(readdirSync(temp).filter((f) => f.startsWith('basin-atlas-report-'))).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  test('SIGTERM to npm, which started it: the report and its running command stop, nothing is left running or written', async () => {
    const temp = join(base, 'tmp-npm');
    mkdirSync(temp);
    const out = join(base, 'npm-stopped.md');
    const npm = spawn('npm', ['run', '--silent', 'report', '--', '--size', 'small', '--only', 'simplicity', '--fresh', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: temp },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    npm.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      // the first command has started: stop npm (not the report) then
      if (!sent && / … $/.test(stderr)) {
        sent = true;
        npm.kill('SIGTERM');
      }
    });
    await new Promise((done) => npm.on('close', done));
    expect(sent, stderr).toBe(true);
    // the report and its basin-atlas are found by the paths in their arguments; each must end by
    // itself (the test waits for that, as long as it takes), and then have left nothing behind
    const ours = () =>
      readdirSync('/proc')
        .filter((pid) => /^\d+$/.test(pid))
        .filter((pid) => {
          try {
            const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
            return args.includes(out) || args.includes(temp);
          } catch {
            return false;
          }
        });
    while (ours().length > 0) await new Promise((wait) => setTimeout(wait, 200));
    expect(readdirSync(temp).filter((f) => f.startsWith('basin-atlas-report-'))).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});
