import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepResult, mismatch, readJsonObject } from '../../scripts/keepResult';
import { commandLine } from '../../src/report/commandRunner';
import type { ReportSection } from '../../src/report/section';

const map = { args: ['hypermap', '--task', 'grokking', '--res', '7'] };
const train = {
  args: ['train', '--task', 'grokking', '--engine', 'gpu', '--particles', '100', '--steps', '1500', '--record-every', '50'],
  particleFields: ['outcome'],
};

/** A section that runs a train, then a map, and reads a field of each. */
const section: ReportSection = {
  id: 'fake',
  title: 'fake',
  paper: '',
  async build(ctx) {
    const r = await ctx.run(train);
    const m = await ctx.run(map);
    return { commands: [train, map], found: `${String(r.kind)} ${String(m.kind)}`, differs: '' };
  },
};

const result = (over: Record<string, unknown> = {}) => ({
  kind: 'train',
  engine: 'gpu',
  config: { task: 'grokking', particles: 100, steps: 1500 },
  record: { every: 50 },
  particles: Array.from({ length: 100 }, (_, i) => ({ index: i, outcome: 'generalised', trainLoss: 0.1 })),
  ...over,
});

describe('keeping a result the tool wrote on its own', () => {
  test("it is kept under its command's line, cut to the fields the command names, beside what was kept", async () => {
    const cache: Record<string, Record<string, unknown>> = { [commandLine(map)]: { kind: 'hypermap' } };
    const line = await keepResult(cache, section, result());
    expect(line).toBe(commandLine(train));
    expect(Object.keys(cache)).toEqual([commandLine(map), commandLine(train)]);
    expect(cache[line].particles).toEqual(Array.from({ length: 100 }, () => ({ outcome: 'generalised' })));
    expect(cache[line].config).toEqual(result().config);
  });

  test("another command's result is refused, naming the field, and nothing is kept", async () => {
    const cache: Record<string, Record<string, unknown>> = { [commandLine(map)]: { kind: 'hypermap' } };
    await expect(keepResult(cache, section, result({ engine: 'cpu' }))).rejects.toThrow(
      `the result is not that of ${commandLine(train)}: its engine is "cpu", the command asks "gpu"`,
    );
    expect(Object.keys(cache)).toEqual([commandLine(map)]);
    expect(mismatch(train, result({ config: { task: 'grokking', particles: 8, steps: 1500 } }))).toBe(
      'its particles is 8, the command asks "100"',
    );
    expect(mismatch(train, result({ record: undefined }))).toBe('its record every is undefined, the command asks "50"');
    expect(mismatch(train, result())).toBeUndefined();
  });

  test('with every command kept, or a second one missing, it says so and keeps nothing', async () => {
    const kept = { [commandLine(map)]: { kind: 'hypermap' }, [commandLine(train)]: { kind: 'train' } };
    await expect(keepResult(kept, section, result())).rejects.toThrow('every command of section fake is kept already');
    const empty = {};
    await expect(keepResult(empty, section, result())).rejects.toThrow(`${commandLine(map)} is not kept either`);
    expect(empty).toEqual({});
  });
});

describe('readJsonObject', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keep-result-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  test('names the file and what is wrong with it, in one line', () => {
    expect(() => readJsonObject(join(dir, 'missing.json'), 'the result')).toThrow(`cannot read ${join(dir, 'missing.json')}, the result`);
    expect(() => readJsonObject(file('bad.json', '{'), 'the result')).toThrow(`${join(dir, 'bad.json')} is not JSON:`);
    for (const text of ['null', '[1]', '3']) {
      expect(() => readJsonObject(file('other.json', text), 'the result')).toThrow(
        `${join(dir, 'other.json')} holds no JSON object (the result)`,
      );
    }
  });

  test('reads an object as it is', () => {
    expect(readJsonObject(file('good.json', '{"kind":"train","n":[1,2]}'), 'the result')).toEqual({ kind: 'train', n: [1, 2] });
  });
});
