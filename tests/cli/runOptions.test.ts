import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_SETTINGS, RUN_SETTINGS } from '../../src/core/runSettings';
import { addRunOptions, attributeName, CLI_OPTIONS } from '../../src/cli/runOptions';

describe("the command line's options, from the settings table", () => {
  it('name each value as commander does (--init-scale → initScale, --no-bias → bias)', () => {
    for (const o of [...Object.values(RUN_SETTINGS), ...Object.values(COMMAND_SETTINGS), ...Object.values(CLI_OPTIONS)]) {
      expect(attributeName(o.flag), o.flag).toBe(new Option(o.flag).attributeName());
    }
  });

  it('give every run command each run setting once, with its range and default in --help', () => {
    const cmd = addRunOptions(new Command('train'));
    const longs = cmd.options.map((o) => o.long);
    expect(new Set(longs).size).toBe(longs.length);
    for (const s of Object.values(RUN_SETTINGS)) expect(longs, s.flag).toContain(s.flag);
    expect(cmd.options.find((o) => o.long === '--lr')!.description).toBe('learning rate, a positive number up to 1000 (default 0.5)');
  });

  it('hand a command typed values: strings, lists for repeatable flags, false for --no-bias', () => {
    const cmd = addRunOptions(new Command('train')).exitOverride();
    cmd.parse(['--lr', '0.1', '--lr-layer', '0=2', '--lr-layer', '1=3', '--no-bias'], { from: 'user' });
    expect(cmd.opts()).toMatchObject({ lr: '0.1', lrLayer: ['0=2', '1=3'], bias: false });
  });
});
