import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTRUMENT_KINDS, INSTRUMENTS, OUTCOME_RULES, TRAIN_EXTRAS } from '../../../src/core/instruments/registry';
import { MERGEABLE_KINDS, RESULT_KINDS } from '../../../src/core/merge';

const FOLDER = resolve(import.meta.dirname, '../../../src/core/instruments');

describe('the instruments registry (src/core/instruments/registry.ts)', () => {
  it('lists every instrument folder once, and only folders that exist', () => {
    const folders = readdirSync(FOLDER, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(INSTRUMENTS.map((i) => i.name).sort()).toEqual(folders);
    expect(new Set(INSTRUMENTS.map((i) => i.name)).size).toBe(INSTRUMENTS.length);
  });

  it('gives merge its kinds and mergers, and train its extras and outcome rules, with no kind twice', () => {
    expect(new Set(INSTRUMENT_KINDS).size).toBe(INSTRUMENT_KINDS.length);
    expect(RESULT_KINDS).toEqual(['train', 'grid', 'basin', ...INSTRUMENT_KINDS]);
    expect(MERGEABLE_KINDS).toEqual(['train', ...INSTRUMENTS.filter((i) => i.merge).map((i) => i.kind)]);
    expect(TRAIN_EXTRAS.map((x) => x.key)).toEqual(['fourier']);
    expect(OUTCOME_RULES.map((r) => r.name)).toEqual(['trainability']);
    // a merged summary belongs to a kind that merges
    for (const i of INSTRUMENTS) if (i.mergedSummary) expect(i.merge, i.name).toBeDefined();
  });
});
