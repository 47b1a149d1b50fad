import { describe, expect, it } from 'vitest';
import { AXIS_MODEL_NAMES, axisModels } from '../../src/bench/modelAxis';
import { parseBenchSettings } from '../../src/bench/options';
import { DEFAULT_LOSS_MAP_RESOLUTIONS, DEFAULT_PARTICLE_COUNTS } from '../../src/bench/suite';
import { UserError } from '../../src/core/errors';

const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('no error thrown');
};

describe('benchmark settings', () => {
  it('defaults to the full suite', () => {
    expect(parseBenchSettings({}, 'flag')).toEqual({
      rowSeconds: 1,
      particleCounts: DEFAULT_PARTICLE_COUNTS,
      lossMapResolutions: DEFAULT_LOSS_MAP_RESOLUTIONS,
      withTfjs: true,
    });
  });

  it('takes lists sorted and without repeats, and tfjs as 0/1 or a flag', () => {
    expect(parseBenchSettings({ seconds: '0.5', particles: '4096,256,4096', res: '64', tfjs: '0' }, 'label')).toEqual({
      rowSeconds: 0.5,
      particleCounts: [256, 4096],
      axisParticleCounts: [256, 4096],
      lossMapResolutions: [64],
      withTfjs: false,
    });
    expect(parseBenchSettings({ tfjs: false }, 'flag').withTfjs).toBe(false);
    // the model axis's nets in the axis's order, whatever order they are named in
    expect(parseBenchSettings({ models: '784-128-10,3-16-1,3-16-1' }, 'flag').axisModels).toEqual(['3-16-1', '784-128-10']);
  });

  it('names the flag, or the URL parameter, and the allowed range', () => {
    expect(message(() => parseBenchSettings({ seconds: 'abc' }, 'flag'))).toBe('--seconds must be a positive number up to 600, got "abc"');
    expect(message(() => parseBenchSettings({ seconds: '0' }, 'label'))).toBe('seconds must be a positive number up to 600, got "0"');
    expect(message(() => parseBenchSettings({ seconds: 'Infinity' }, 'label'))).toMatch(/^seconds must be/);
    expect(message(() => parseBenchSettings({ particles: '256,,1024' }, 'flag'))).toBe(
      '--particles must be a comma-separated list, each an integer from 1 to 1048576, got "256,,1024"',
    );
    expect(message(() => parseBenchSettings({ particles: '2.5' }, 'label'))).toMatch(/^particles must be a comma-separated list/);
    expect(message(() => parseBenchSettings({ res: '1' }, 'label'))).toBe(
      'res must be a comma-separated list, each an integer from 2 to 1024, got "1"',
    );
    expect(message(() => parseBenchSettings({ tfjs: 'no' }, 'label'))).toBe('tfjs must be 0 or 1, got "no"');
    expect(message(() => parseBenchSettings({ models: '3-16-1,mnist' }, 'label'))).toBe(
      `models must be a comma-separated list of ${AXIS_MODEL_NAMES.join(', ')}, got "3-16-1,mnist"`,
    );
  });

  it('names every net of the model axis, in its order', () => {
    expect(axisModels().map((m) => m.name)).toEqual([...AXIS_MODEL_NAMES]);
  });
});
