import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { UserError } from '../../src/core/errors';
import { mergeResults, MERGEABLE_KINDS, type ResultFile } from '../../src/core/merge';
import { trainResult } from '../../src/core/results';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { shardRecord } from '../../src/core/shards';
import { thneeb } from '../../src/core/tasks/thneeb';
import { testSeed } from './helpers';

const task = thneeb({ salience: 1, examples: 16, dataSeed: 0 });
const seed = testSeed('merge');
const config = (over: Partial<RunConfig> = {}): RunConfig => ({
  ...DEFAULT_CONFIG,
  hidden: [4],
  particles: 11,
  steps: 30,
  batch: 4,
  seed,
  ...over,
});

/** A results file as the command line writes it, through JSON as merge reads it. */
async function result(c: RunConfig, shard?: { index: number; count: number; total: number }): Promise<Record<string, unknown>> {
  const run = makeRun(c, task);
  const json = { ...trainResult(run, 'cpu', 'test device', 0.25, await trainEnsemble(new CpuEngine(), run)) };
  return JSON.parse(JSON.stringify(shard ? { ...json, shard: shardRecord(shard.total, shard) } : json));
}

async function shards(count: number, over: Partial<RunConfig> = {}): Promise<ResultFile[]> {
  const files: ResultFile[] = [];
  for (let index = 0; index < count; index++) {
    const r = shardRecord(11, { index, count });
    files.push({
      name: `s${index}.json`,
      doc: await result(config({ ...over, firstParticle: r.first, particles: r.size }), { index, count, total: 11 }),
    });
  }
  return files;
}

function refusal(files: ResultFile[]): string {
  try {
    mergeResults(files);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('merge accepted what it should refuse');
}

const edit = (f: ResultFile, change: (doc: Record<string, unknown>) => void): ResultFile => {
  const doc = structuredClone(f.doc) as Record<string, unknown>;
  change(doc);
  return { name: f.name, doc };
};

describe(`mergeResults (seed ${seed})`, () => {
  it('3 shards of 11 (3, 4, 4), in any order, give exactly the result of one run', async () => {
    const whole = await result(config());
    const parts = await shards(3);
    const merged = mergeResults([parts[2], parts[0], parts[1]]);
    for (const key of ['kind', 'version', 'config', 'task', 'model', 'engine', 'device', 'classes', 'counts', 'fractions', 'particles'])
      expect(JSON.stringify(merged[key]), key).toBe(JSON.stringify(whole[key]));
    expect(merged.seconds).toBe(0.75);
    expect(merged.shard).toBeUndefined();
    expect((merged.shards as { file: string; first: number; size: number }[]).map((s) => [s.file, s.first, s.size])).toEqual([
      ['s0.json', 0, 3],
      ['s1.json', 3, 4],
      ['s2.json', 7, 4],
    ]);
  });

  it('shards of different counts merge when their slices tile the run', async () => {
    const whole = await result(config());
    const halves = await shards(2); // 0–4, 5–10
    const quarters = await shards(4); // 0–1, 2–4, 5–7, 8–10
    expect([halves[0], quarters[2], quarters[3]].map((f) => (f.doc as { shard: { first: number } }).shard.first)).toEqual([0, 5, 8]);
    const merged = mergeResults([quarters[3], halves[0], quarters[2]]);
    expect(JSON.stringify(merged.particles)).toBe(JSON.stringify(whole.particles));
    expect(JSON.stringify(merged.fractions)).toBe(JSON.stringify(whole.fractions));
  });

  it('key order in config does not matter; a value does', async () => {
    const parts = await shards(2);
    const reordered = edit(parts[1], (d) => {
      d.config = Object.fromEntries(Object.entries(d.config as object).reverse());
    });
    expect(() => mergeResults([parts[0], reordered])).not.toThrow();
    const other = edit(parts[1], (d) => ((d.config as { thresholds: { probe: number } }).thresholds.probe = 0.8));
    expect(refusal([parts[0], other])).toBe(
      'merge: s0.json and s1.json are shards of different runs: config.thresholds.probe is 0.9 in s0.json but 0.8 in s1.json',
    );
  });

  it('refuses shards of different tasks, models, input files or totals', async () => {
    const parts = await shards(2);
    expect(refusal([parts[0], edit(parts[1], (d) => ((d.task as { knobs: { salience: number } }).knobs.salience = 2))])).toMatch(
      /different runs: task\.knobs\.salience is 1 in s0\.json but 2 in s1\.json$/,
    );
    expect(refusal([parts[0], edit(parts[1], (d) => (d.initFile = 'init.json'))])).toMatch(
      /different runs: initFile is absent in s0\.json but "init\.json" in s1\.json$/,
    );
    expect(refusal([parts[0], edit(parts[1], (d) => (d.shard = shardRecord(12, { index: 1, count: 2 })))])).toMatch(
      /s1\.json: config\.particles and config\.firstParticle must be the shard's size and first particle \(6, 6\), got 6 and 5$/,
    );
  });

  it('refuses a shard record that does not follow the slicing rule', async () => {
    const parts = await shards(2);
    const bad = edit(parts[1], (d) => ((d.shard as { first: number }).first = 4));
    expect(refusal([parts[0], bad])).toBe('merge: s1.json: shard 1/2 of 11 particles is particles 5–10, but its "shard" says 4–9');
    expect(refusal([edit(parts[0], (d) => (d.shard = 'x'))])).toMatch(
      /s0\.json: "shard" must hold the integers index, count, first, size and total, got "x"$/,
    );
  });

  it('refuses particles out of place and counts that disagree with them', async () => {
    const parts = await shards(2);
    expect(refusal([parts[0], edit(parts[1], (d) => (d.particles as { index: number }[]).reverse())])).toMatch(
      /s1\.json: particles\[0\] must have index 5 \(shard 1\/2 starts at 5\), got 10$/,
    );
    expect(refusal([parts[0], edit(parts[1], (d) => ((d.particles as { outcome: string }[])[2].outcome = 'grue'))])).toMatch(
      /s1\.json: particle 7 has outcome "grue", not one of colour, shape, mixed, unconverged, diverged$/,
    );
    expect(
      refusal([
        parts[0],
        edit(parts[1], (d) => {
          const counts = d.counts as Record<string, number>;
          counts.colour += 1;
        }),
      ]),
    ).toMatch(/s1\.json: counts\.colour is \d+ but \d+ of its particles are colour$/);
  });

  it('refuses other kinds by name, and what is not a result', async () => {
    const parts = await shards(1);
    expect(MERGEABLE_KINDS).toEqual(['train', 'decompose', 'hypermap']);
    for (const kind of ['width', 'barriers', 'sharpness', 'llc', 'geometry', 'grid', 'basin'])
      expect(refusal([edit(parts[0], (d) => (d.kind = kind))])).toBe(
        `merge: s0.json is a ${kind} result; merge combines train, decompose, hypermap results (made with train --shard i/n or decompose --shard i/n or hypermap --shard i/n), not ${kind}`,
      );
    expect(refusal([{ name: 'x.json', doc: [1, 2] }])).toBe(
      'merge: x.json is not a basin-atlas result (a JSON object with "kind" and "version")',
    );
    expect(refusal([edit(parts[0], (d) => (d.kind = 'lunch'))])).toMatch(/s0\.json is not a basin-atlas result: its kind is "lunch"/);
    expect(refusal([edit(parts[0], (d) => (d.version = 2))])).toBe(
      'merge: s0.json is a result of version 2; this basin-atlas reads version 1',
    );
    expect(refusal([])).toBe('merge: give the shards to merge');
  });
});
