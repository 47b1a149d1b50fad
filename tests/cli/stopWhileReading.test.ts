import { EventEmitter } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../../src/cli/main';
import { paramCount } from '../../src/core/layout';
import { tempDir } from './run';

const dir = tempDir();
const P = paramCount([3, 4, 1]);
const TINY = ['--task', 'thneeb', '--hidden', '4', '--steps', '2', '--engine', 'cpu'];

/**
 * Runs the command line in this process and sends it SIGTERM as soon as it has started (before
 * its first file is read to the end): the outcome, not its timing, is what is checked.
 */
async function stoppedAtOnce(args: string[]): Promise<{ code: number; stderr: string }> {
  const chunks: Buffer[] = [];
  const sink = () =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
  const signals = new EventEmitter();
  const env = { ...process.env };
  delete env.npm_lifecycle_event;
  let exit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const running = runCommandLine(args, { stdout: sink(), stderr: sink(), signals, exit, env, ppid: () => process.ppid });
  signals.emit('SIGTERM');
  const code = await Promise.race([running, exited]);
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

/**
 * Each file below is several read chunks long and ends in a mistake: read whole before the stop
 * is looked at, it is refused (exit 2) for that mistake; read as it streams, the stop ends the
 * command first (exit 143), and nothing is written.
 */
describe('a stop while a big input file is read ends the command before the file is parsed to its end', () => {
  it('a task CSV of 3.6 MB', async () => {
    const header = [...Array.from({ length: 40 }, (_, i) => `x${i}`), 'y'].join(',');
    const row = [...Array.from({ length: 40 }, () => '0.12345678'), '1'].join(',');
    const train = join(dir, 'wide.csv');
    writeFileSync(train, `${header}\n${`${row}\n`.repeat(8000)}${row.replace('0.12345678', 'abc')}\n`);
    const probe = join(dir, 'probe.csv');
    writeFileSync(probe, `${header}\n${row}\n`);
    const out = join(dir, 'csv-out.json');
    const r = await stoppedAtOnce(['train', '--train', train, '--probe', `a=${probe}`, '--engine', 'cpu', '--steps', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toBe('basin-atlas: stopping (SIGTERM)\nbasin-atlas: cancelled\n');
    expect(existsSync(out)).toBe(false);
  });

  it('a --params file of 2.6 MB', async () => {
    const vector = `[${Array.from({ length: P }, () => '0.123456789').join(',')}]`;
    const params = join(dir, 'params.json');
    writeFileSync(params, `[${`${vector},`.repeat(10_000)}[1,2]]`);
    const out = join(dir, 'params-out.json');
    const r = await stoppedAtOnce(['sharpness', ...TINY, '--params', params, '--out', out]);
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toBe('basin-atlas: stopping (SIGTERM)\nbasin-atlas: cancelled\n');
    expect(existsSync(out)).toBe(false);
  });

  it('the same files without a stop are refused for their mistakes, naming them', async () => {
    const { inProcess } = await import('./run');
    const r = await inProcess(['sharpness', ...TINY, '--params', join(dir, 'params.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^basin-atlas: --params .*params\\.json: vector 10000 has 2 values, expected ${P} \\(the model's parameter count\\)\\n$`),
    );
    const c = await inProcess(['train', '--train', join(dir, 'wide.csv'), '--probe', `a=${join(dir, 'probe.csv')}`, '--engine', 'cpu']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^basin-atlas: task file .*wide\.csv: line 8002, column x0: "abc" is not a decimal number\n$/);
  });
});

describe('a hyper map of 65,536 cells', () => {
  it('stops at once, with nothing written: its cells are planned from the axes, not built first', async () => {
    const out = join(dir, 'hm.json');
    const r = await stoppedAtOnce([
      'hypermap',
      '--res',
      '256',
      '--x',
      'knob:salience:0.5:2',
      '--y',
      'knob:examples:4:4096',
      '--engine',
      'cpu',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(143);
    expect(existsSync(out)).toBe(false);
  });
});
