import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTRUMENT_COMMANDS } from '../../src/cli/commands/instrumentCommands';

const ROOT = resolve(import.meta.dirname, '../..');

describe("the instruments' one list of subcommands", () => {
  it('names each subcommand once, and each has its page in the manual (docs/instruments/<name>.md)', () => {
    const names = INSTRUMENT_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const missing = names.filter((n) => !existsSync(join(ROOT, 'docs/instruments', `${n}.md`)));
    expect(missing, 'subcommands without a page').toEqual([]);
  });
});
