import { execFileSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paramCount } from '../../src/core/layout';
import { cli, inProcess, tempDir, writeTemp, type CliResult } from './run';

const dir = tempDir();
const P = paramCount([3, 16, 1]);
/** Training that would take minutes: a check that answers at once ran before it. */
const LONG = ['--engine', 'cpu', '--particles', '1', '--steps', '1000000', '--hidden', '64', '--batch', 'full'];
const TINY = ['--engine', 'cpu', '--particles', '2', '--steps', '2'];
const zeros = (n: number) => new Array(n).fill(0);
const task = (patch: object = {}) => ({
  name: 't',
  inputs: 2,
  classes: 2,
  train: {
    x: [
      [0, 0],
      [1, 1],
    ],
    y: [0, 1],
  },
  probes: { a: { x: [[1, 0]], y: [1] } },
  ...patch,
});

/** [what, arguments (built when the test runs), the one line expected on stderr] */
type Case = [string, () => string[], RegExp];

/**
 * Each case refused, run in this process; with `run` cli, as a process of its own: for input whose
 * reading, were it not refused, would block this one past any timeout (a pipe with no writer) or
 * fill its memory (/dev/zero).
 */
function refuses(cases: Case[], run: (args: string[], timeoutMs: number) => Promise<CliResult> = inProcess): void {
  for (const [name, args, message] of cases) {
    it(name, { timeout: 120_000 }, async () => {
      const r = await run(args(), 110_000);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0].length, lines[0].slice(0, 400)).toBeLessThan(400);
    });
  }
}

describe.runIf(process.platform === 'linux')('bounded reads: regular files only, up to the documented size', () => {
  const processes = (args: string[], timeoutMs: number) => cli(args, process.env, timeoutMs);
  refuses(
    [
      ['--task /dev/zero', () => ['train', '--task', '/dev/zero'], /^basin-atlas: --task \/dev\/zero: is a device, not a regular file$/],
      [
        'a named pipe as --task and as --init, with no writer: refused, not waited on',
        () => {
          const fifo = join(dir, 'pipe.json');
          execFileSync('mkfifo', [fifo]);
          return ['train', '--init', fifo];
        },
        /^basin-atlas: --init .*pipe\.json: is a named pipe, not a regular file$/,
      ],
    ],
    processes,
  );
  refuses([
    [
      'a file over the size limit names the limit',
      () => {
        // sparse: 300 MiB of nothing, written in no time and taking no disk
        const big = writeTemp(dir, 'big.csv', '');
        truncateSync(big, 300 * 2 ** 20);
        return ['train', '--train', big, '--probe', `p=${writeTemp(dir, 'p-big.csv', 'x0,y\n1,0\n')}`];
      },
      /^basin-atlas: --train .*big\.csv: holds 300 MiB; input files may hold up to 257 MiB \(65536 rows of 256 inputs\)$/,
    ],
    [
      'a JSON task file over its own limit says where a bigger task goes',
      () => {
        const big = writeTemp(dir, 'big.json', '');
        truncateSync(big, 40 * 2 ** 20);
        return ['train', '--task', big];
      },
      /^basin-atlas: --task .*big\.json: holds 40 MiB; a JSON task file may hold up to 32 MiB \(it is parsed whole\); give a bigger task as CSV files \(--train, --probe\), which are parsed as they are read$/,
    ],
    ['a folder', () => ['train', '--init', dir], /^basin-atlas: --init .*: is a directory$/],
  ]);
});

describe('deep, huge and non-finite values: described, never echoed; one float32 rule', () => {
  refuses([
    [
      'an --init vector nested 100,000 deep',
      () => ['train', '--init', writeTemp(dir, 'deep.json', `[[${'['.repeat(100_000)}${']'.repeat(100_000)},${zeros(P - 1).join(',')}]]`)],
      /^basin-atlas: --init .*deep\.json: vector 0\[0\] must be a finite number, got a list of 1 value \[\[…\]\]$/,
    ],
    [
      'a label of three million numbers',
      () => ['train', '--task', writeTemp(dir, 'huge.json', task({ train: { x: [[0, 0]], y: [zeros(3_000_000)] } }))],
      /^basin-atlas: task file .*huge\.json: train\.y\[0\] must be an integer class from 0 to 1, got a list of 3000000 values \[0, 0, 0, …\]$/,
    ],
    [
      '1e309 in --init, said as written',
      () => ['train', '--init', writeTemp(dir, 'inf.json', `[${zeros(P - 1).join(',')},1e309]`)],
      new RegExp(`^basin-atlas: --init .*inf\\.json: the vector\\[${P - 1}\\] is 1e309, beyond float32's range \\(±3\\.4e38\\)$`),
    ],
    [
      '1e39 in --d1 (finite in float64, not in float32): the same rule as task files',
      () => ['grid', ...LONG, '--d1', writeTemp(dir, 'd1.json', [1e39, ...zeros(320)]), '--d2', writeTemp(dir, 'd2.json', zeros(321))],
      /^basin-atlas: --d1 .*d1\.json: the vector\[0\] is 1e\+39, beyond float32's range \(±3\.4e38\)$/,
    ],
    [
      'a megabyte-long flag value',
      () => ['train', '--lr', '9'.repeat(100_000)],
      /^basin-atlas: --lr must be a positive number up to 1000, got "9{40}…" \(100000 characters\)$/,
    ],
  ]);
});

describe('names that live on Object.prototype are names like any other', () => {
  refuses([
    [
      '--knob constructor=1',
      () => ['train', '--knob', 'constructor=1'],
      /^basin-atlas: --knob constructor: thneeb has no such knob; its knobs are salience, examples, dataSeed$/,
    ],
    ['--knob __proto__=1', () => ['train', '--knob', '__proto__=1'], /^basin-atlas: --knob __proto__: thneeb has no such knob/],
    ['--knob toString=2', () => ['train', '--knob', 'toString=2'], /^basin-atlas: --knob toString: thneeb has no such knob/],
  ]);

  it('--probe __proto__= and --probe constructor= are two probes, recorded with their files', async () => {
    const train = writeTemp(dir, 'train.csv', 'x0,y\n0,0\n1,1\n');
    const a = writeTemp(dir, 'a.csv', 'x0,y\n1,1\n');
    const b = writeTemp(dir, 'b.csv', 'x0,y\n1,0\n');
    const r = await inProcess(['train', ...TINY, '--train', train, '--probe', `__proto__=${a}`, '--probe', `constructor=${b}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.task.probes).toEqual(['__proto__', 'constructor']);
    expect(result.classes).toEqual(['__proto__', 'constructor', 'mixed', 'unconverged', 'diverged']);
    expect(Object.entries(result.probeFiles)).toEqual([
      ['__proto__', a],
      ['constructor', b],
    ]);
    const again = await inProcess(['train', '--train', train, '--probe', `constructor=${a}`, '--probe', `constructor=${b}`]);
    expect(again.stderr.trim()).toBe('basin-atlas: --probe constructor is given twice');
  });

  it('probe names "__proto__" and "constructor" in a JSON task file', async () => {
    const file = writeTemp(
      dir,
      'proto.json',
      `{"name":"t","inputs":1,"classes":2,"train":{"x":[[0],[1]],"y":[0,1]},"probes":{"__proto__":{"x":[[1]],"y":[1]},"constructor":{"x":[[1]],"y":[0]}}}`,
    );
    const r = await inProcess(['train', ...TINY, '--task', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).task.probes).toEqual(['__proto__', 'constructor']);
  });
});

describe('--first-particle is checked against the particle count --init sets', () => {
  it('8 vectors from 2^32 − 8 run, and their indices reach 2^32 − 1 exactly', async () => {
    const init = writeTemp(dir, 'eight.json', new Array(8).fill(zeros(P)));
    const r = await inProcess([
      'train',
      '--engine',
      'cpu',
      '--steps',
      '2',
      '--first-particle',
      String(2 ** 32 - 8),
      '--init',
      init,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).particles.map((p: { index: number }) => p.index)).toEqual(
      Array.from({ length: 8 }, (_, i) => 2 ** 32 - 8 + i),
    );
  });

  it('a grid trains one particle, its centre: from 2^32 − 1 it runs', async () => {
    const r = await inProcess(['grid', '--engine', 'cpu', '--res', '2', '--steps', '2', '--first-particle', String(2 ** 32 - 1), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).plane.origin).toMatch(/^particle 4294967295 after 2 steps/);
  });

  refuses([
    [
      '2,000 vectors from 2^32 − 1,296 would pass 2^32',
      () => ['train', '--first-particle', String(2 ** 32 - 1296), '--init', writeTemp(dir, 'many.json', new Array(2000).fill(zeros(P)))],
      /^basin-atlas: --first-particle \+ particles must stay below 2\^32, got 4294966000 \+ 2000$/,
    ],
    [
      'a basin map of res² particles',
      () => ['basin', '--res', '4', '--first-particle', String(2 ** 32 - 8)],
      /^basin-atlas: --first-particle \+ particles must stay below 2\^32, got 4294967288 \+ 16$/,
    ],
  ]);
});

describe('smaller: messages that say what is true', () => {
  refuses([
    [
      'an empty CSV',
      () => ['train', '--train', writeTemp(dir, 'empty.csv', ''), '--probe', `p=${writeTemp(dir, 'p.csv', 'x0,y\n1,0\n')}`],
      /^basin-atlas: task file .*empty\.csv: is empty; expected a header x0,x1,\.\.\.,y and one row per example$/,
    ],
    [
      'an error in a probe CSV names its file',
      () => [
        'train',
        '--train',
        writeTemp(dir, 't2.csv', 'x0,y\n1,0\n'),
        '--probe',
        `colour=${writeTemp(dir, 'colour.csv', 'x0,y\n1,0\nabc,1\n')}`,
      ],
      /^basin-atlas: task file .*colour\.csv \(probe colour\): line 3, column x0: "abc" is not a decimal number$/,
    ],
    [
      '--lr --steps 5: a flag where a value belongs',
      () => ['train', '--lr', '--steps', '5'],
      /^basin-atlas: --lr needs a value, got the flag --steps$/,
    ],
    ['hex in --hidden, as in every numeric flag', () => ['train', '--hidden', '0x10'], /^basin-atlas: --hidden must be .* got "0x10"$/],
    ['hex in --batch', () => ['train', '--batch', '0x10'], /^basin-atlas: --batch must be .* got "0x10"$/],
    [
      'hex in a CSV cell',
      () => ['train', '--train', writeTemp(dir, 'hex.csv', 'x0,y\n0x10,0\n'), '--probe', `p=${writeTemp(dir, 'p2.csv', 'x0,y\n1,0\n')}`],
      /^basin-atlas: task file .*hex\.csv: line 2, column x0: "0x10" is not a decimal number$/,
    ],
    [
      'plane flags are read before the centre is trained',
      () => ['grid', ...LONG, '--d1', writeTemp(dir, 'short.json', [1, 2]), '--d2', writeTemp(dir, 'd2b.json', zeros(321))],
      /^basin-atlas: --d1 .*short\.json: the vector has 2 values, expected 321 \(the model's parameter count\)$/,
    ],
    [
      '--plane-seed too',
      () => ['grid', ...LONG, '--plane-seed', '-1'],
      /^basin-atlas: --plane-seed must be an integer from 0 to 4294967295, got "-1"$/,
    ],
    [
      'grid centred on a diverged particle: no all-null map with exit 0',
      () => ['grid', '--engine', 'cpu', '--res', '2', '--steps', '30', '--lr', '10', '--wd', '100'],
      /^basin-atlas: grid: particle 0 diverged in training, so the plane has no finite centre: lower --lr, or give --center$/,
    ],
  ]);

  it('a JSON task file with a byte-order mark is read, as CSVs are', async () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(task())}`);
    const r = await inProcess(['train', ...TINY, '--task', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).task.name).toBe('t');
  });

  it('grid results record the span in plane', async () => {
    const out = join(dir, 'grid.json');
    const r = await inProcess(['grid', '--engine', 'cpu', '--res', '2', '--steps', '2', '--span', '0.5', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).plane).toMatchObject({ source: 'random', span: 0.5 });
  });
});
