import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CSV_LINE_CHARS } from '../../src/core/csvTable';
import { inProcess, tempDir, writeTemp, type CliResult } from './run';

/**
 * Hostile inputs, round two (issue 24): tampered shards and insets, escape sequences in names,
 * outputs that land together. Tiny networks on the CPU engine: what is checked is what the command
 * line does with its input, not the training.
 */
const dir = tempDir();
const TINY = ['--task', 'thneeb', '--hidden', '4', '--steps', '20', '--batch', '4', '--engine', 'cpu'];
const MAP = [...TINY, '--opt', 'momentum', '--x', 'lr:0.2:1.5', '--y', 'momentum:0:0.9', '--res', '2'];

/** Exit status 2, one line on stderr matching `message`, nothing on stdout. */
function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.stderr.trim()).toMatch(message);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stdout).toBe('');
}

type Doc = Record<string, any>;
/** four rows: TINY's minibatches of 4 fit */
const SMALL_TRAIN = {
  x: [
    [0, 1],
    [1, 0],
    [1, 1],
    [0, 0],
  ],
  y: [1, 0, 1, 0],
};
const read = (path: string): Doc => JSON.parse(readFileSync(path, 'utf8'));
let counter = 0;
/** A copy of `path` changed by `change`, in a new file. */
function tampered(path: string, change: (d: Doc) => void): string {
  const d = read(path);
  change(d);
  return writeTemp(dir, `tampered-${counter++}.json`, d);
}

const trainShards = [0, 1].map((i) => join(dir, `train${i}.json`));
const mapShards = [0, 1].map((i) => join(dir, `map${i}.json`));
const mapWhole = join(dir, 'map.json');

beforeAll(async () => {
  for (const [i, out] of trainShards.entries()) {
    const r = await inProcess(['train', ...TINY, '--particles', '5', '--record-every', '10', '--shard', `${i}/2`, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
  }
  for (const [i, out] of mapShards.entries()) {
    const r = await inProcess(['hypermap', ...MAP, '--shard', `${i}/2`, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
  }
  const r = await inProcess(['hypermap', ...MAP, '--out', mapWhole]);
  expect(r.code, r.stderr).toBe(0);
});

describe('merge validates every field it reads', () => {
  it('the untampered shards merge', async () => {
    expect((await inProcess(['merge', ...trainShards, '--json'])).code).toBe(0);
    expect((await inProcess(['merge', ...mapShards, '--png', join(dir, 'ok.png'), '--json'])).code).toBe(0);
  });

  const trainCases: [string, (d: Doc) => void, RegExp][] = [
    ['a particle’s steps.train is a string', (d) => (d.particles[0].steps.train = 'x'), /particles\[index 0\]\.steps must be/],
    ['the record is not the run’s', (d) => (d.record = { a: 1 }), /record\.every must be a positive integer/],
    ['the record is null', (d) => (d.record = null), /"record" must be an object/],
    [
      'a curve holds a string',
      (d) => (d.particles[1].record.train.loss[0] = 'x'),
      /particles\[index 1\]\.record\.train\.loss\[0\] must be a number or null/,
    ],
    [
      'a particle of a 3-particle shard has no curves',
      (d) => (d.particles[0].record = null),
      /particles\[index 0\]\.record must hold the particle's curves \(a shard of 2 particles writes them\)/,
    ],
    [
      'a probe’s loss is a string',
      (d) => (Object.values<Doc>(d.particles[0].probes)[0].loss = 'low'),
      /particles\[index 0\]\.probes\.\w+ must be/,
    ],
    ['trainLoss is an object', (d) => (d.particles[1].trainLoss = {}), /particles\[index 1\]\.trainLoss must be a number or null/],
    ['config.optimizer is a number', (d) => (d.config.optimizer = 3), /config\.optimizer and config\.activation must be names/],
  ];
  for (const [what, change, message] of trainCases)
    it(`train shards: ${what}`, async () => {
      // both shards tampered alike: the fields that must agree still agree
      const bad = trainShards.map((s) => tampered(s, change));
      expectRefused(await inProcess(['merge', ...bad]), new RegExp(`^basin-atlas: merge: .*tampered-\\d+\\.json: ${message.source}`));
    });

  const mapCases: [string, (d: Doc) => void, RegExp][] = [
    [
      'a cell counts 999 particles of 1',
      (d) => (d.counts[0] = [999, 0, 0, 0, 0].slice(0, d.classes.length)),
      /counts\[0\] sums to 999 but each cell holds 1 particles/,
    ],
    [
      'a negative count',
      (d) => (d.counts[1] = d.counts[1].map((_: number, c: number) => (c === 0 ? -1 : 0))),
      /counts\[1\] must be \d+ counts/,
    ],
    ['a cell’s counts are a number', (d) => (d.counts[0] = 1), /counts\[0\] must be \d+ counts/],
    ['a count is a string', (d) => (d.counts[0][0] = '1'), /counts\[0\] must be \d+ counts/],
    ['a mean loss is a string', (d) => (d.meanLoss[0] = 'x'), /meanLoss\[0\] must be a number or null/],
    ['an axis has no min', (d) => (d.x.min = null), /"x" must be an axis/],
    ['sessions is a string', (d) => (d.sessions = 'many'), /"sessions" must be an integer/],
  ];
  for (const [what, change, message] of mapCases)
    it(`hypermap shards: ${what}`, async () => {
      // both shards tampered alike: the fields that must agree still agree
      const bad = mapShards.map((s) => tampered(s, change));
      const r = await inProcess(['merge', ...bad, '--png', join(dir, 'never.png')]);
      expectRefused(r, new RegExp(`^basin-atlas: merge: .*tampered-\\d+\\.json: ${message.source}`));
      expect(existsSync(join(dir, 'never.png'))).toBe(false);
    });

  it('--colour score on a map of classes is refused, as hypermap refuses it', async () => {
    expectRefused(
      await inProcess(['merge', ...mapShards, '--png', join(dir, 'grey.png'), '--colour', 'score']),
      /^basin-atlas: --colour score needs --outcome trainability .*"classes"$/,
    );
  });
});

describe('--inset is validated whole, before any training', () => {
  const insetCases: [string, (d: Doc) => void, RegExp][] = [
    ['no meanLoss', (d) => delete d.meanLoss, /"meanLoss" must list 4 cells/],
    ['counts as numbers', (d) => (d.counts = d.counts.map(() => 1)), /counts\[0\] must be \d+ counts/],
    ['res 0 and no counts', (d) => ((d.res = 0), (d.counts = [])), /"res" must be an integer from 2 to 256, got 0/],
    ['classes null', (d) => (d.classes = null), /"classes" must be a list of 1 to 256 class names, got null/],
    ['x.min null', (d) => (d.x.min = null), /"x" must be an axis/],
  ];
  for (const [what, change, message] of insetCases)
    it(`hypermap --inset with ${what}: refused before training, nothing written`, async () => {
      const inset = tampered(mapWhole, change);
      const [png, out] = [join(dir, `inset-${counter}.png`), join(dir, `inset-${counter}.json`)];
      // a long run: refused before it starts, or the test's time runs out
      const r = await inProcess(['hypermap', ...MAP, '--steps', '1000000', '--png', png, '--out', out, '--inset', inset], 60_000);
      expectRefused(r, new RegExp(`^basin-atlas: --inset .*tampered-\\d+\\.json: ${message.source}`));
      expect(existsSync(png) || existsSync(out)).toBe(false);
      const merged = await inProcess(['merge', ...mapShards, '--png', png, '--inset', inset]);
      expectRefused(merged, new RegExp(`^basin-atlas: --inset .*tampered-\\d+\\.json: ${message.source}`));
    });
});

describe('input files: refused fast, in bounded memory, naming the flag given', () => {
  const okCsv = writeTemp(dir, 'ok.csv', 'x0,x1,y\n0,1,1\n1,0,0\n');
  const csvCases: [string, string, RegExp][] = [
    // a million rows: refused by a scan that stops at row 65,537, not after parsing them all
    ['a million rows', `x0,x1,y\n${'0,1,1\n'.repeat(1_000_000)}`, /has more than 65536 rows, at most 65536 are supported$/],
    [
      'a line of 100,000 characters',
      `x0,x1,y\n0,1,1\n${'0,'.repeat(50_000)}1\n`,
      new RegExp(`line 3 holds more than ${MAX_CSV_LINE_CHARS} characters`),
    ],
    ['one column', 'x0\n0\n1\n', /the first line must be a header x0,x1,\.\.\.,y, got "x0"$/],
    [
      'no label column',
      'x0,x1,x2\n0,1,1\n',
      /the last column must be the label y \(or targets t0,\.\.\.\), got "x2": the header has no label column$/,
    ],
  ];
  for (const [what, text, message] of csvCases)
    it(`a CSV with ${what}`, async () => {
      const csv = writeTemp(dir, `csv-${counter++}.csv`, text);
      expectRefused(
        await inProcess(['train', '--train', csv, '--probe', `a=${okCsv}`, '--engine', 'cpu']),
        new RegExp(`^basin-atlas: task file .*\\.csv: ${message.source}`),
      );
    });

  it('a task of 253 probe sets is refused: outcomes are bytes, and class 256 would be the first probe', async () => {
    const set = { x: [[0, 1]], y: [1] };
    const task = (probes: number) => ({
      name: 'many',
      inputs: 2,
      classes: 2,
      train: SMALL_TRAIN,
      probes: Object.fromEntries(Array.from({ length: probes }, (_, i) => [`p${i}`, set])),
    });
    const file = writeTemp(dir, 'probes253.json', task(253));
    expectRefused(
      await inProcess(['train', '--task', file, ...TINY.slice(2)]),
      /^basin-atlas: task file .*probes253\.json: has 253 probe sets, at most 252 are supported/,
    );
  });

  it('--params larger than the command’s vectors can take: refused by its size before it is read', async () => {
    // barriers takes at most 1024 vectors of 17 parameters (2-4-1... here thneeb 3-4-1: 21); 64 MiB is far past that
    const big = join(dir, 'big-params.json');
    writeTemp(dir, 'big-params.json', `[${'0,'.repeat(32 * 2 ** 20)}0]`);
    expectRefused(
      await inProcess(['barriers', ...TINY, '--params', big]),
      /^basin-atlas: --params .*big-params\.json: holds 64 MiB; 1024 vectors of \d+ parameters \(the most this command takes\) fit in [\d.]+ MiB$/,
    );
  });

  it('--params with more vectors than the command takes names --params, not --particles', async () => {
    const one = await inProcess(['train', ...TINY, '--particles', '1', '--params-out', join(dir, 'one.json')]);
    expect(one.code, one.stderr).toBe(0);
    const vector = JSON.parse(readFileSync(join(dir, 'one.json'), 'utf8')).particles[0].params;
    const file = writeTemp(dir, 'v1025.json', `[${Array.from({ length: 1025 }, () => JSON.stringify(vector)).join(',')}]`);
    expectRefused(
      await inProcess(['barriers', ...TINY, '--params', file]),
      /^basin-atlas: --params .*v1025\.json: holds 1025 vectors; at most 1024 are supported$/,
    );
    expectRefused(
      await inProcess(['sharpness', ...TINY, '--params', file, '--init-index', '2']),
      /^basin-atlas: --params and --init-index: --params gives trained networks to measure, --init-index starts training; give one$/,
    );
  });

  const flagCases: [string[], RegExp][] = [
    [['width', ...TINY, '--direction-seed', '-1'], /^basin-atlas: --direction-seed must be an integer from 0 to 4294967295, got "-1"$/],
    [['geometry', ...TINY, '--skip-llc', '--chains', '0'], /^basin-atlas: --chains must be/],
    [
      ['hypermap', ...MAP.slice(0, -6), '--x', 'lr:0:0.1:1', '--y', 'lr:00:0.1:1'],
      /^basin-atlas: --x and --y must be different settings, got lr:0 for both$/,
    ],
    [['hypermap', ...MAP.slice(0, -6), '--x', 'lr:0.1:1:LOG', '--y', 'lr:1:0.1:1', '--res', '2', '--steps', '1000000'], /^never$/],
  ];
  for (const [args, message] of flagCases.slice(0, 3))
    it(`${args[0]} … ${args.slice(-4).join(' ')}`, async () => expectRefused(await inProcess(args), message));

  it('--x lr:0.1:1:LOG is the learning rate on a log scale, not a layer "0.1"', async () => {
    const r = await inProcess([...flagCases[3][0].slice(0, -2), '--steps', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).x).toMatchObject({ name: 'lr', min: 0.1, max: 1, log: true });
  });

  it('train --shard with --init-index trains its slice and says so', async () => {
    const r = await inProcess(['train', ...TINY, '--particles', '9', '--shard', '1/3', '--init-index', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.shard).toMatchObject({ index: 1, count: 3, first: 3, size: 3, total: 9 });
    expect(doc.particles.map((p: Doc) => p.index)).toEqual([3, 4, 5]);
  });
});

describe('what the user wrote, echoed; what the command writes, together', () => {
  it('a task name holding an escape sequence and a newline is printed escaped, on its own line', async () => {
    const task = {
      name: 'evil\u001b[2J\nname',
      inputs: 2,
      classes: 2,
      train: SMALL_TRAIN,
      probes: { a: { x: [[0, 1]], y: [1] } },
    };
    const file = writeTemp(dir, 'evil.json', task);
    const r = await inProcess(['train', '--task', file, ...TINY.slice(2), '--particles', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(r.stdout.split('\n')[0]).toMatch(/^evil\\u001b\[2J\\nname · /);
  });

  it('shards naming one task file as jt.json and ./jt.json are shards of one run', async () => {
    const task = {
      name: 'jt',
      inputs: 2,
      classes: 2,
      train: SMALL_TRAIN,
      probes: { a: { x: [[0, 1]], y: [1] } },
    };
    writeTemp(dir, 'jt.json', task);
    const spellings = [join(dir, 'jt.json'), `${dir}/./jt.json`];
    const outs = spellings.map((_, i) => join(dir, `jt${i}.json`));
    for (const [i, spelt] of spellings.entries()) {
      const r = await inProcess(['train', '--task', spelt, ...TINY.slice(2), '--particles', '4', '--shard', `${i}/2`, '--out', outs[i]]);
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = await inProcess(['merge', ...outs, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout).config.particles).toBe(4);
  });

  it('interrupted after its networks are trained, a command leaves neither --params-out nor --out', async () => {
    const [params, out] = [join(dir, 'stopped-params.json'), join(dir, 'stopped.json')];
    // a million burn-in steps: the interruption comes long after the particles were trained
    const r = await inProcess(['geometry', ...TINY, '--particles', '2', '--burnin', '1000000', '--params-out', params, '--out', out], 4000);
    expect(r.code, r.stderr).toBe(130);
    expect([existsSync(params), existsSync(out)]).toEqual([false, false]);
  });
});

describe('messages name what the user gave', () => {
  it('merge of a prior result says it is a prior result, not that it is no result', async () => {
    const r = await inProcess([
      'prior',
      '--task',
      'boolean',
      '--engine',
      'cpu',
      '--samples',
      '64',
      '--sgd',
      '2',
      '--steps',
      '20',
      '--json',
    ]);
    if (r.code !== 0) throw new Error(r.stderr);
    const file = writeTemp(dir, 'prior.json', r.stdout);
    expectRefused(
      await inProcess(['merge', file]),
      /^basin-atlas: merge: .*prior\.json is a prior result; merge combines train, decompose, hypermap results/,
    );
  });

  it('prior on a task whose own init is meanfield names the task, not an --init-dist never given', async () => {
    expectRefused(
      await inProcess(['prior', '--task', 'fractal', '--engine', 'cpu']),
      /^basin-atlas: prior samples the default or gaussian init; fractal's own init is meanfield: give --init-dist default or gaussian$/,
    );
  });
});

describe('networks whose training blew up (issue 24, case 9)', () => {
  // a trained vector scaled to 1e30: finite, so not "diverged", but far past what float32 can step from
  let blown: string;
  beforeAll(async () => {
    const one = await inProcess(['train', ...TINY, '--particles', '2', '--params-out', join(dir, 'two.json')]);
    expect(one.code, one.stderr).toBe(0);
    const vectors: number[][] = JSON.parse(readFileSync(join(dir, 'two.json'), 'utf8')).particles.map(
      (p: { params: number[] }) => p.params,
    );
    blown = writeTemp(dir, 'blown.json', [vectors[0].map((w) => w * 1e30), vectors[1]]);
  });

  it('sharpness states a problem for the blown-up particle instead of a converged eigenvalue of 0', async () => {
    const r = await inProcess(['sharpness', ...TINY, '--params', blown, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [bad, good] = JSON.parse(r.stdout).particles;
    expect(bad.converged).toBe(false);
    expect(bad.topEigenvalue).toBeNull();
    expect(bad.sharpnessProblem).toMatch(/too large for float32 to take central-difference steps/);
    expect(good.sharpnessProblem).toBeUndefined();
    expect(good.converged).toBe(true);
  });

  it('llc states a problem for the blown-up particle instead of a meaningful 0', async () => {
    const r = await inProcess(['llc', ...TINY, '--params', blown, '--chains', '2', '--burnin', '10', '--draws', '50', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [bad, good] = JSON.parse(r.stdout).particles;
    expect(bad.llcProblem).toMatch(/L\(w\*\) = .* is too large|too large for float32/);
    expect(good.llcProblem ?? '').not.toMatch(/too large/);
  });
});
