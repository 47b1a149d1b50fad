import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeResults, type ResultFile } from '../../src/core/merge';
import { inProcess, tempDir } from './run';

const dir = tempDir();
// batch 1, lr 0.8: rows split by noise, so a row out of place or a bootstrap on the wrong matrix shows
const RUN = ['decompose', '--engine', 'cpu', '--steps', '100', '--batch', '1', '--lr', '0.8', '--seed', '3'];
const SIZE = ['--inits', '5', '--noises', '4', '--resamples', '50'];
const at = (name: string) => join(dir, name);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const s = (i: number, n = 3) => at(`d${i}of${n}.json`);

async function ok(args: string[]): Promise<string> {
  const r = await inProcess(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  await ok([...RUN, ...SIZE, '--out', at('whole.json')]);
  for (let i = 0; i < 3; i++) await ok([...RUN, ...SIZE, '--shard', `${i}/3`, '--out', s(i)]);
});

describe('decompose --shard i/n and merge', () => {
  it('a shard trains its block of rows, whole, and computes no shares', () => {
    const whole = readJson(at('whole.json'));
    const firsts = [0, 1, 3];
    const sizes = [1, 2, 2];
    for (let i = 0; i < 3; i++) {
      const d = readJson(s(i));
      expect(d.shard).toEqual({ index: i, count: 3, first: firsts[i], size: sizes[i], total: 5 });
      expect(d.outcomes, `shard ${i}/3's rows`).toEqual(whole.outcomes.slice(firsts[i], firsts[i] + sizes[i]));
      expect(d.initShare).toBeUndefined();
      expect(d.config).toEqual(whole.config);
    }
  });

  it('3 shards merge, in any order, into the file one run writes, byte for byte but for the seconds, and print its shares', async () => {
    const text = await ok(['merge', s(2), s(0), s(1), '--out', at('merged.json')]);
    const merged = readJson(at('merged.json'));
    const whole = readJson(at('whole.json'));
    expect(text).toMatch(/^5 inits × 4 noise streams = 20 particles merged from 3 shards · /m);
    const share = whole.initShare;
    expect(text).toContain(`init share  ${(100 * share.value).toFixed(1)}%  [${(100 * share.low).toFixed(1)}%`);
    expect(new Set(whole.outcomes.flat()).size, 'the matrix has more than one class').toBeGreaterThan(1);
    const { seconds: _m, shards, ...mergedRest } = merged;
    const { seconds: _w, ...wholeRest } = whole;
    expect(JSON.stringify(mergedRest)).toBe(JSON.stringify(wholeRest));
    expect(shards.map((x: { file: string; first: number }) => [x.file, x.first])).toEqual([
      [s(0), 0],
      [s(1), 1],
      [s(2), 3],
    ]);
  });

  it('refuses a --shard that leaves a shard empty, exit status 2 and one line', async () => {
    const r = await inProcess([...RUN, ...SIZE, '--shard', '0/6']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).toBe('basin-atlas: --shard 0/6: n must be at most the 5 inits (--inits), or some shards would be empty');
  });

  // the command line's exit status and one line are pinned for train's merge; here, merge's own checks
  describe('merge refuses', () => {
    const shard = (i: number, change?: (d: Record<string, any>) => void): ResultFile => {
      const doc = readJson(s(i));
      change?.(doc);
      return { name: `d${i}of3${change ? '-edited' : ''}.json`, doc };
    };
    /** a hand-made shard's counts, as its rows say */
    const recount = (d: Record<string, any>) =>
      (d.counts = Object.fromEntries(
        d.classes.map((c: string, k: number) => [c, d.outcomes.flat().filter((o: number) => o === k).length]),
      ));
    const refuses = (files: ResultFile[], message: RegExp) => expect(() => mergeResults(files)).toThrow(message);

    it('shards of different configurations', () => {
      refuses(
        [shard(0), shard(1, (d) => (d.config.lr = 0.4)), shard(2)],
        /^merge: d0of3\.json and d1of3-edited\.json are shards of different runs: config\.lr is 0\.8 in d0of3\.json but 0\.4 in d1of3-edited\.json$/,
      );
      refuses([shard(0), shard(1, (d) => (d.resamples = 60)), shard(2)], /different runs: resamples is 50 in d0of3\.json but 60 in /);
      const narrower = (d: Record<string, any>) => {
        d.noises = 3;
        d.outcomes = d.outcomes.map((row: number[]) => row.slice(0, 3));
        recount(d);
      };
      refuses([shard(0), shard(1, narrower), shard(2)], /different runs: noises is 4 in d0of3\.json but 3 in /);
    });

    it("rows that are not the shard's, or counts that are not its rows'", () => {
      refuses(
        [shard(0), shard(1, (d) => (d.outcomes = [[0, 1, 2, 3]])), shard(2)],
        /d1of3-edited\.json: "outcomes" must hold the shard's 2 rows \(inits\), got a list of 1 value/,
      );
      refuses(
        [shard(0), shard(1, (d) => (d.outcomes[1][2] = 9)), shard(2)],
        /d1of3-edited\.json: outcomes\[1\] \(init 2\) must be 4 class indices from 0 to 4, got /,
      );
      refuses(
        [shard(0), shard(1, (d) => (d.counts.mixed += 1)), shard(2)],
        /d1of3-edited\.json: counts\.mixed is \d+ but \d+ of its cells are mixed$/,
      );
    });

    it('overlapping and missing rows', () => {
      const half = shard(1, (d) => {
        d.shard = { index: 1, count: 2, first: 2, size: 3, total: 5 };
        d.outcomes = readJson(at('whole.json')).outcomes.slice(2);
        recount(d);
      });
      refuses(
        [shard(0), shard(1), shard(2), half],
        /^merge: d1of3\.json \(shard 1\/3, inits 1–2\) and d1of3-edited\.json \(shard 1\/2, inits 2–4\) overlap in inits 2: each init must come from one shard$/,
      );
      refuses(
        [shard(0), shard(2)],
        /^merge: inits 1–2 of the run's 5 are missing \(shard 1\/3\): given d0of3\.json \(shard 0\/3, inits 0\), /,
      );
    });

    it('a whole run, and a decompose shard beside a train shard', () => {
      refuses(
        [{ name: 'whole.json', doc: readJson(at('whole.json')) }],
        /^merge: whole\.json is not a shard: it has no "shard" record \(make shards with decompose --shard i\/n\)$/,
      );
      refuses(
        [shard(0), shard(1, (d) => (d.kind = 'train'))],
        /d0of3\.json is a decompose result but d1of3-edited\.json is a train result/,
      );
    });
  });
});
