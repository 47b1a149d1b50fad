import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, inProcess, tempDir, writeTemp, type CliResult } from './run';

const dir = tempDir();
const GOOD = '{"an earlier result":"kept"}';
/** Training that would take minutes: a check that passes quickly ran before it. */
const LONG = ['--engine', 'cpu', '--particles', '1', '--steps', '1000000', '--hidden', '64', '--batch', 'full'];
const TINY = ['--engine', 'cpu', '--particles', '300', '--steps', '2'];
const leftovers = (folder: string) => readdirSync(folder).filter((name) => name.startsWith('.'));

function folder(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

/** The command line with stdout on a given file descriptor (/dev/full) or a pipe closed at once. */
function cliTo(args: string[], stdout: number | 'closed pipe'): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', stdout === 'closed pipe' ? 'pipe' : stdout, 'pipe'] });
    if (stdout === 'closed pipe') child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr }));
  });
}

describe.runIf(process.platform === 'linux')('outputs are written whole or not at all', () => {
  it('a write that fails (file-size limit) leaves an existing --out as it was, and no temporary file', async () => {
    const here = folder('limit');
    const out = writeTemp(here, 'good.json', GOOD);
    // dash's ulimit -f counts 512-byte blocks: 4 KB, where the results of 300 particles take about 60 KB
    const r = await new Promise<CliResult>((resolve) =>
      execFile(
        'sh',
        ['-c', 'ulimit -f 8 && exec "$@"', 'sh', process.execPath, BIN, 'train', ...TINY, '--out', out],
        (error, stdout, stderr) => resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
      ),
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(/^basin-atlas: --out .*good\.json: cannot write \(EFBIG[^\n]*\); the file was left as it was$/);
    expect(readFileSync(out, 'utf8')).toBe(GOOD);
    expect(leftovers(here)).toEqual([]);
  });

  it('a successful run replaces --out and --params-out whole, through a link to the target, leaving nothing else', async () => {
    const here = folder('replace');
    const target = writeTemp(here, 'target.json', GOOD);
    symlinkSync(target, join(here, 'link.json'));
    const r = await inProcess(['train', ...TINY, '--out', join(here, 'link.json'), '--params-out', join(here, 'params.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(target, 'utf8')).counts).toBeDefined();
    expect(JSON.parse(readFileSync(join(here, 'params.json'), 'utf8')).particles).toHaveLength(300);
    expect(readdirSync(here).sort()).toEqual(['link.json', 'params.json', 'target.json']);
  });

  const rdir = folder('refused');
  const refused: [string, () => string[], RegExp][] = [
    [
      '--out is the task file',
      () => {
        const task = writeTemp(rdir, 'task.json', {
          name: 't',
          inputs: 1,
          classes: 2,
          train: { x: [[0], [1]], y: [0, 1] },
          probes: { a: { x: [[1]], y: [1] } },
        });
        return ['--task', task, '--out', task];
      },
      /^basin-atlas: --out .*task\.json is also the --task file: writing it would replace that input; choose another --out$/,
    ],
    [
      '--out is the --init file, spelt differently',
      () => {
        // the 3-64-1 network of LONG
        const init = writeTemp(rdir, 'init.json', new Array(321).fill(0));
        return ['--init', init, '--out', `${rdir}/./init.json`];
      },
      /^basin-atlas: --out .*init\.json is also the --init file/,
    ],
    [
      '--out and --params-out are one file',
      () => ['--out', join(rdir, 'same.json'), '--params-out', `${rdir}/../refused/same.json`],
      /^basin-atlas: --params-out and --out name the same file .*same\.json: give each its own$/,
    ],
    [
      '--out is standard output',
      () => ['--out', '/dev/stdout'],
      /^basin-atlas: --out \/dev\/stdout: is a device or process file, not a regular file \(for standard output, use --json\)$/,
    ],
    [
      "--out's folder is a file",
      () => ['--out', join(writeTemp(rdir, 'plain', 'x'), 'out.json')],
      /^basin-atlas: --out .*plain\/out\.json: .*plain is not a folder$/,
    ],
  ];
  for (const [name, args, message] of refused) {
    it(`refused before any work: ${name}`, { timeout: 120_000 }, async () => {
      const given = args();
      const files = () => readdirSync(rdir).map((f) => [f, readFileSync(join(rdir, f), 'utf8')]);
      const before = files();
      // /dev/stdout names the stdout of the process that opens it: the command's own, a pipe here
      const r =
        name === '--out is standard output'
          ? await cli(['train', ...LONG, ...given], process.env, 110_000)
          : await inProcess(['train', ...LONG, ...given], 110_000);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(files()).toEqual(before);
    });
  }

  it('a folder that takes no new file is refused before any work', { timeout: 120_000 }, async () => {
    // root ignores permission bits: there, /sys (read-only to everyone) stands in for a locked folder
    const root = process.getuid?.() === 0;
    const locked = root ? '/sys' : folder('locked');
    if (!root) chmodSync(locked, 0o555);
    const r = await inProcess(['train', ...LONG, '--out', join(locked, 'out.json')], 110_000);
    if (!root) chmodSync(locked, 0o755);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(/^basin-atlas: --out .*\/out\.json: (cannot create a file in|permission denied)/);
    expect(existsSync(join(locked, 'out.json'))).toBe(false);
  });
});

describe.runIf(process.platform === 'linux')('results that cannot reach standard output', () => {
  const full = () => openSync('/dev/full', 'w');
  const cases: [string, string[], 'full' | 'closed pipe', string][] = [
    ['tasks > /dev/full', ['tasks'], 'full', 'no space left on device'],
    ['train --json > /dev/full', ['train', ...TINY, '--json'], 'full', 'no space left on device'],
    ['tasks | (reader gone)', ['tasks'], 'closed pipe', 'the reading end was closed'],
  ];
  it.each(cases)('%s: exit 1 and one line on stderr', async (_name, args, stdout, why) => {
    const r = await cliTo(args, stdout === 'full' ? full() : stdout);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr.trim()).toBe(`basin-atlas: cannot write the results to standard output (${why})`);
  });

  it('with --out as well, the file is written and the failure still said', async () => {
    const out = join(dir, 'beside-full.json');
    const r = await cliTo(['train', ...TINY, '--json', '--out', out], full());
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).kind).toBe('train');
  });
});
