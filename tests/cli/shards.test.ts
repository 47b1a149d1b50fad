import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paramCount } from '../../src/core/layout';
import { cli, inProcess, tempDir, writeTemp, type CliResult } from './run';

const dir = tempDir();
const RUN = ['train', '--engine', 'cpu', '--particles', '30', '--steps', '60', '--batch', '8'];
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const at = (name: string) => join(dir, name);

/** Runs a command that must succeed, in this process; a failure shows its stderr. */
async function ok(args: string[]): Promise<string> {
  const r = await inProcess(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/**
 * Runs a command that must be refused: exit status 2, the one line on stderr, nothing on stdout.
 * In this process, or with `run` cli as a process of its own.
 */
async function refused(args: string[], message: RegExp, run: (args: string[]) => Promise<CliResult> = inProcess): Promise<void> {
  const r = await run(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim()).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stdout).toBe('');
}

/** What must be equal, byte for byte, between the merged shards and one run. */
const RUN_FIELDS = ['kind', 'version', 'config', 'task', 'model', 'engine', 'device', 'classes', 'counts', 'fractions', 'particles'];

beforeAll(async () => {
  await ok([...RUN, '--out', at('whole.json'), '--params-out', at('whole-params.json')]);
  for (const n of [3, 4])
    for (let i = 0; i < n; i++)
      await ok([...RUN, '--shard', `${i}/${n}`, '--out', at(`s${i}of${n}.json`), '--params-out', at(`p${i}of${n}.json`)]);
});

describe('train --shard i/n', () => {
  it('trains slice i of n with global indices, records the shard, and trains the same networks as one run', () => {
    const whole = readJson(at('whole-params.json')).particles;
    const sizes = [7, 8, 7, 8];
    let first = 0;
    for (let i = 0; i < 4; i++) {
      const r = readJson(at(`s${i}of4.json`));
      expect(r.shard).toEqual({ index: i, count: 4, first, size: sizes[i], total: 30 });
      expect(r.config).toMatchObject({ particles: sizes[i], firstParticle: first });
      expect(r.particles.map((p: { index: number }) => p.index)).toEqual(Array.from({ length: sizes[i] }, (_, k) => first + k));
      expect(readJson(at(`p${i}of4.json`)).particles, `shard ${i}/4's parameters`).toEqual(whole.slice(first, first + sizes[i]));
      first += sizes[i];
    }
  });

  it('names the shard and its particles in the summary', async () => {
    expect(await ok([...RUN, '--shard', '1/4'])).toMatch(/^shard 1\/4: particles 7–14 of 30 · /m);
  });

  it('a shard of an --init list starts from its own slice of the vectors', async () => {
    const p = paramCount([3, 16, 1]);
    const vectors = Array.from({ length: 6 }, (_, i) => Array.from({ length: p }, (_, k) => Math.sin(i * 31 + k) * 0.5));
    const init = writeTemp(dir, 'init.json', vectors);
    const args = ['train', '--engine', 'cpu', '--steps', '20', '--init', init];
    await ok([...args, '--params-out', at('init-whole.json')]);
    await ok([...args, '--shard', '1/2', '--params-out', at('init-shard.json'), '--out', at('init-shard-result.json')]);
    expect(readJson(at('init-shard.json')).particles).toEqual(readJson(at('init-whole.json')).particles.slice(3, 6));
    expect(readJson(at('init-shard-result.json')).shard).toEqual({ index: 1, count: 2, first: 3, size: 3, total: 6 });
  });

  const bad: [string[], RegExp][] = [
    [['--shard', '3/3'], /^basin-atlas: --shard 3\/3: i must be below n; shards are counted from 0 \(0\/3 … 2\/3\)$/],
    [['--shard', '0/0'], /^basin-atlas: --shard 0\/0: n must be at least 1$/],
    [
      ['--shard', '0/31'],
      /^basin-atlas: --shard 0\/31: n must be at most the run's 30 particles \(--particles\), or some shards would be empty$/,
    ],
    [['--shard', 'half'], /^basin-atlas: --shard must be i\/n, shard i of n counted from 0 \(e\.g\. 0\/4 … 3\/4\), got "half"$/],
    [['--shard', '-1/3'], /^basin-atlas: --shard must be i\/n, .* got "-1\/3"$/],
    [['--shard', '1.5/3'], /^basin-atlas: --shard must be i\/n, .* got "1\.5\/3"$/],
    [
      ['--shard', '1/3', '--first-particle', '5'],
      /^basin-atlas: --shard and --first-particle cannot be combined: --shard i\/n sets the first particle itself .*; give one or the other$/,
    ],
  ];
  for (const [args, message] of bad) it(`refuses ${args.join(' ')}`, () => refused([...RUN, ...args], message));

  it('is a flag of train only', () => refused(['grid', '--engine', 'cpu', '--shard', '0/2'], /^basin-atlas: unknown option '--shard'$/));
});

describe('basin-atlas merge', () => {
  for (const n of [3, 4]) {
    it(`${n} shards of 30 merge, in any order, into exactly the result of one run`, async () => {
      const files = Array.from({ length: n }, (_, i) => at(`s${i}of${n}.json`)).reverse();
      const out = at(`merged${n}.json`);
      const stdout = await ok(['merge', ...files, '--out', out, '--json']);
      const whole = readJson(at('whole.json'));
      const merged = readJson(out);
      expect(JSON.parse(stdout)).toEqual(merged);
      for (const key of RUN_FIELDS) expect(JSON.stringify(merged[key]), key).toBe(JSON.stringify(whole[key]));
      expect(merged.shard).toBeUndefined();
      const shards = Array.from({ length: n }, (_, i) => readJson(at(`s${i}of${n}.json`)));
      expect(merged.seconds).toBeCloseTo(
        shards.reduce((s, r) => s + r.seconds, 0),
        12,
      );
      expect(
        merged.shards.map((s: { file: string; first: number; size: number; device: string }) => [s.file, s.first, s.size, s.device]),
      ).toEqual(shards.map((r, i) => [at(`s${i}of${n}.json`), r.shard.first, r.shard.size, r.device]));
    });
  }

  it('prints the merged table, saying that seconds are summed', async () => {
    const text = await ok(['merge', at('s0of3.json'), at('s1of3.json'), at('s2of3.json')]);
    expect(text).toMatch(/^30 particles merged from 3 shards · /m);
    expect(text).toMatch(/ s \(the shards' seconds, summed\)$/m);
    const whole = readJson(at('whole.json'));
    expect(text).toMatch(new RegExp(`^  colour\\s+${whole.counts.colour}\\s`, 'm'));
  });

  it('--help explains the slicing rule, what must match, and a Slurm array', async () => {
    const help = await ok(['merge', '--help']);
    expect(help).toMatch(/floor\(i\*N\/n\)/);
    expect(help).toMatch(/every field\s+of config but particles and firstParticle/);
    expect(help).toMatch(/SLURM_ARRAY_TASK_ID\/\$SHARDS/);
    expect(help).toMatch(/--shard \$JOB_COMPLETION_INDEX\/64/);
  });

  describe('refuses, exit status 2 and one line naming the files', () => {
    const s = (i: number, n = 3) => at(`s${i}of${n}.json`);
    let other: string;
    let wide: string;
    beforeAll(async () => {
      other = at('lr.json');
      await ok([...RUN, '--lr', '0.4', '--shard', '1/3', '--out', other]);
      wide = at('hidden.json');
      await ok([...RUN, '--hidden', '8', '--shard', '2/3', '--out', wide]);
    });
    const edited = (name: string, change: (doc: Record<string, unknown>) => void) => {
      const doc = readJson(s(0));
      change(doc);
      return writeTemp(dir, name, doc);
    };

    it('shards of different configurations', async () => {
      await refused(
        ['merge', s(0), other, s(2)],
        /^basin-atlas: merge: .*s0of3\.json and .*lr\.json are shards of different runs: config\.lr is 0\.5 in .*s0of3\.json but 0\.4 in .*lr\.json$/,
      );
      await refused(
        ['merge', s(0), s(1), wide],
        /different runs: config\.hidden is a list of 1 value \[16\] in .*s0of3\.json but a list of 1 value \[8\] in .*hidden\.json$/,
      );
    });
    it('overlapping slices', async () => {
      await refused(
        ['merge', s(0), s(1), s(2), s(1)],
        /^basin-atlas: merge: .*s1of3\.json \(shard 1\/3, particles 10–19\) and .*s1of3\.json \(shard 1\/3, particles 10–19\) overlap in particles 10–19: each particle must come from one shard$/,
      );
      await refused(
        ['merge', s(0), s(1, 4), s(1), s(2)],
        /^basin-atlas: merge: .*s0of3\.json \(shard 0\/3, particles 0–9\) and .*s1of4\.json \(shard 1\/4, particles 7–14\) overlap in particles 7–9/,
      );
    });
    it('missing slices, by particles and shard', async () => {
      await refused(
        ['merge', s(0), s(2)],
        /^basin-atlas: merge: particles 10–19 of the run's 30 are missing \(shard 1\/3\): given .*s0of3\.json \(shard 0\/3, particles 0–9\), .*s2of3\.json \(shard 2\/3, particles 20–29\)$/,
      );
      await refused(
        ['merge', s(1, 4), s(3, 4)],
        /^basin-atlas: merge: particles 0–6, 15–21 of the run's 30 are missing \(shards 0\/4, 2\/4\): given /,
      );
      await refused(['merge', s(0), s(1)], /particles 20–29 of the run's 30 are missing \(shard 2\/3\)/);
    });
    it('a result that is not a shard', () =>
      refused(
        ['merge', at('whole.json')],
        /^basin-atlas: merge: .*whole\.json is not a shard: it has no "shard" record \(make shards with train --shard i\/n\)$/,
      ));
    it('results of a kind it does not merge, and mixed kinds', async () => {
      const width = edited('width.json', (d) => (d.kind = 'width'));
      await refused(
        ['merge', width],
        /^basin-atlas: merge: .*width\.json is a width result; merge combines train, decompose, hypermap results \(made with train --shard i\/n or decompose --shard i\/n or hypermap --shard i\/n\), not width$/,
      );
      await refused(
        ['merge', s(0), width],
        /^basin-atlas: merge: .*s0of3\.json is a train result but .*width\.json is a width result: merge combines results of one kind$/,
      );
    });
    it('files that are not basin-atlas results', async () => {
      await refused(
        ['merge', writeTemp(dir, 'list.json', [1, 2, 3])],
        /^basin-atlas: merge: .*list\.json is not a basin-atlas result \(a JSON object with "kind" and "version"\)$/,
      );
      await refused(['merge', writeTemp(dir, 'task.json', { name: 't', inputs: 1, classes: 2 })], /task\.json is not a basin-atlas result/);
      await refused(
        ['merge', edited('v2.json', (d) => (d.version = 2))],
        /v2\.json is a result of version 2; this basin-atlas reads version 1$/,
      );
      await refused(['merge', writeTemp(dir, 'text.json', 'colour 3\n')], /^basin-atlas: merge .*text\.json: not valid JSON \(/);
      await refused(
        ['merge', edited('counts.json', (d) => ((d.counts as Record<string, number>).colour += 1)), s(1), s(2)],
        /counts\.json: counts\.colour is \d+ but \d+ of its particles are colour$/,
      );
    });
    it('unreadable files', async () => {
      await refused(['merge', s(0), at('nowhere.json')], /^basin-atlas: merge .*nowhere\.json: no such file$/);
      const folder = at('folder.json');
      mkdirSync(folder);
      await refused(['merge', folder], /^basin-atlas: merge .*folder\.json: is a directory$/);
      // a process of its own: read, were it not refused, /dev/zero would fill this one's memory
      await refused(['merge', '/dev/zero'], /^basin-atlas: merge \/dev\/zero: is a device, not a regular file$/, cli);
    });
    it('--out naming one of its inputs', () =>
      refused(
        ['merge', s(0), s(1), s(2), '--out', s(1)],
        /^basin-atlas: --out .*s1of3\.json is also the input file: writing it would replace that input; choose another --out$/,
      ));
    it('no files at all', () => refused(['merge'], /^basin-atlas: missing required argument 'files'$/));
  });
});
