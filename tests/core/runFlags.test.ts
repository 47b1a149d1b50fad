import { describe, expect, it } from 'vitest';
import { resolveRun, type FlagValues } from '../../src/cli/resolve';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config';
import { runFlags } from '../../src/core/runFlags';

/** The flags as commander hands them to a command: --kebab-case as camelCase, repeatable ones as lists. */
function rawOf(flags: string[]): FlagValues {
  const raw: Record<string, unknown> = {};
  for (let k = 0; k < flags.length; k++) {
    if (flags[k] === '--no-bias') {
      raw.bias = false;
      continue;
    }
    const name = flags[k].slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const value = flags[++k];
    if (name === 'knob' || name === 'lrLayer') raw[name] = [...((raw[name] as string[]) ?? []), value];
    else raw[name] = value;
  }
  return raw as FlagValues;
}

const resolved = async (config: RunConfig) => (await resolveRun(rawOf(runFlags(config)))).run.config;

describe('runFlags', () => {
  it('gives the defaults as --task alone', () => {
    expect(runFlags({ ...DEFAULT_CONFIG, knobs: { salience: 1, examples: 64, dataSeed: 0 } })).toEqual(['--task', 'thneeb']);
  });

  it("gives back Adam's betas and the init distribution", async () => {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      knobs: { salience: 1, examples: 64, dataSeed: 0 },
      optimizer: 'adamw',
      beta1: 0.8,
      beta2: 0.95,
      initDist: 'gaussian',
      // as the command line resolves it: one multiplier per layer
      lrScale: [1, 1],
    };
    expect(runFlags(config)).toEqual([
      '--task',
      'thneeb',
      '--opt',
      'adamw',
      '--beta1',
      '0.8',
      '--beta2',
      '0.95',
      '--init-dist',
      'gaussian',
    ]);
    const { particles: _a, firstParticle: _b, ...back } = await resolved(config);
    const { particles: _c, firstParticle: _d, ...given } = config;
    expect(back).toEqual(given);
  });

  it('gives back every training setting through the command line', async () => {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      knobs: { salience: 1.5, examples: 64, dataSeed: 0 },
      hidden: [8, 4],
      activation: 'relu',
      bias: false,
      optimizer: 'momentum',
      lr: 0.25,
      lrScale: [1, 2, 0.5],
      momentum: 0.8,
      batch: 4,
      steps: 120,
      weightDecay: 0.001,
      initScale: 1.5,
      seed: 9,
      noiseSeed: 11,
      thresholds: { train: 0.9, probe: 0.8 },
    };
    const { particles: _a, firstParticle: _b, ...back } = await resolved(config);
    const { particles: _c, firstParticle: _d, ...given } = config;
    expect(back).toEqual(given);
  });

  it('names task files as the sandbox got them: a JSON task, or a training CSV and its probes', () => {
    expect(runFlags({ ...DEFAULT_CONFIG, task: 'file:my-task.json' }).slice(0, 2)).toEqual(['--task', 'my-task.json']);
    expect(runFlags({ ...DEFAULT_CONFIG, task: 'file:colour.csv+train.csv+shape.csv' }).slice(0, 6)).toEqual([
      '--train',
      'train.csv',
      '--probe',
      'colour=colour.csv',
      '--probe',
      'shape=shape.csv',
    ]);
  });

  it("takes a preset's own defaults as given, and says when they differ", () => {
    const flags = runFlags({ ...DEFAULT_CONFIG, task: 'corridor', knobs: {}, optimizer: 'adam', lr: 0.01 });
    expect(flags).not.toContain('--opt');
    expect(flags).not.toContain('--lr');
    expect(runFlags({ ...DEFAULT_CONFIG, task: 'corridor', knobs: {}, optimizer: 'adam', lr: 0.02 })).toContain('--lr');
  });
});
