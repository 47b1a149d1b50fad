import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_DOC, cliFlagTables, committedTables } from '../../scripts/docsCli';

describe("docs/cli.md's flag tables", () => {
  it("equal what the command line's --help says (npm run docs:cli rewrites them)", async () => {
    const committed = committedTables(readFileSync(CLI_DOC, 'utf8'));
    expect(committed, 'docs/cli.md is out of date with --help: run npm run docs:cli').toBe(await cliFlagTables());
  });

  it('cover every command', async () => {
    const tables = await cliFlagTables();
    for (const command of [
      'train',
      'merge',
      'grid',
      'basin',
      'barriers',
      'width',
      'sharpness',
      'geometry',
      'decompose',
      'llc',
      'hypermap',
      'prior',
    ])
      expect(tables, command).toContain(`### \`${command}\``);
    expect(tables).toContain('| `--lr <number>` | learning rate, a positive number up to 1000 (default 0.5) |');
  });
});
