import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { isUserError } from '../../src/core/errors';
import {
  COMMAND_SETTINGS,
  RUN_SETTINGS,
  setting,
  SETTING_KEYS,
  settingHelp,
  settingOf,
  withSetting,
  type SettingContext,
} from '../../src/core/runSettings';

const ctx: SettingContext = { trainRows: 64, layers: 2 };
const all = [...Object.values(RUN_SETTINGS), ...Object.values(COMMAND_SETTINGS)];

describe('the run settings table', () => {
  it('gives every setting its own flag and its own form/hash key', () => {
    const flags = all.map((s) => s.flag);
    expect(new Set(flags).size).toBe(flags.length);
    const hashes = all.flatMap((s) => (s.hash === undefined ? [] : [s.hash]));
    expect(new Set(hashes).size).toBe(hashes.length);
    // every run setting has a field in the sandbox
    expect(SETTING_KEYS.every((k) => setting(k).hash !== undefined)).toBe(true);
  });

  it('writes each --help line whole: no placeholder left, a number setting names its range', () => {
    for (const s of all) {
      const help = settingHelp(s);
      expect(help, s.flag).not.toMatch(/\{\w+\}/);
      if (s.kind === 'number') expect(help, s.flag).toContain(String(s.spec!.max));
      if (s.kind === 'choice') expect(help, s.flag).toContain(s.choices!.join(', '));
    }
  });

  it("reads back every default from its own text, and DEFAULT_CONFIG holds the table's defaults", () => {
    for (const key of SETTING_KEYS) {
      const s = setting(key);
      const format = s.format as (v: unknown) => string;
      const text = format(s.default);
      expect(s.parse(text, 'label', ctx), key).toEqual(s.default);
      expect(settingOf(DEFAULT_CONFIG, key), key).toEqual(s.default);
    }
  });

  it('refuses a bad value in one line naming the field, by flag or by label', () => {
    for (const key of SETTING_KEYS) {
      const s = setting(key);
      for (const style of ['flag', 'label'] as const) {
        try {
          s.parse('x', style, ctx);
          expect.fail(`${key} took "x"`);
        } catch (e) {
          expect(isUserError(e), String(e)).toBe(true);
          const message = (e as Error).message;
          expect(message, key).toContain(style === 'flag' ? s.flag : s.label);
          expect(message).not.toContain('\n');
        }
      }
    }
  });

  it('sets and reads each setting where RunConfig keeps it (the thresholds inside thresholds)', () => {
    expect(withSetting(DEFAULT_CONFIG, 'trainThreshold', 0.5).thresholds).toEqual({ train: 0.5, probe: 0.9 });
    expect(settingOf(withSetting(DEFAULT_CONFIG, 'weightDecay', 0.01), 'weightDecay')).toBe(0.01);
    expect(withSetting(DEFAULT_CONFIG, 'lr', 2)).toEqual({ ...DEFAULT_CONFIG, lr: 2 });
  });

  it('says why a run never reads a setting: momentum without --opt momentum, betas without Adam', () => {
    expect(RUN_SETTINGS.momentum.unread!(DEFAULT_CONFIG)).toBe('the optimizer is sgd, which reads no momentum; give --opt momentum');
    expect(RUN_SETTINGS.momentum.unread!({ ...DEFAULT_CONFIG, optimizer: 'momentum' })).toBeUndefined();
    expect(RUN_SETTINGS.beta1.unread!({ ...DEFAULT_CONFIG, optimizer: 'adamw' })).toBeUndefined();
  });
});
