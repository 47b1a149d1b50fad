import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseNumber } from '../../../src/core/config';
import { BOOLEAN_DEFAULTS, booleanTask } from '../../../src/core/tasks/boolean';
import { paramCount } from '../../../src/core/layout';
import { corridor, CORRIDOR_DEFAULTS } from '../../../src/core/tasks/corridor';
import { digits, DIGITS_DEFAULTS } from '../../../src/core/tasks/digits';
import { fractal, FRACTAL_DEFAULTS } from '../../../src/core/tasks/fractal';
import { grokking, GROKKING_DEFAULTS } from '../../../src/core/tasks/grokking';
import { defaultKnobs, findPreset, PRESETS } from '../../../src/core/tasks/index';
import { lms, LMS_DEFAULTS } from '../../../src/core/tasks/lms';
import { simplicity, SIMPLICITY_DEFAULTS } from '../../../src/core/tasks/simplicity';
import { spectral, SPECTRAL_DEFAULTS } from '../../../src/core/tasks/spectral';
import { thneeb, THNEEB_DEFAULTS } from '../../../src/core/tasks/thneeb';
import { ensureDigitImages } from '../../../src/node/nodeDigitImages';
import { ensureMnistImages } from '../../../src/node/nodeMnistImages';
import { mnist, MNIST_DEFAULTS } from '../../../src/core/tasks/mnist';
import { expectSameTask, expectWellFormed } from './shared';

// the digits and mnist presets build from the MNIST images, which front ends load before building them
ensureDigitImages();
ensureMnistImages();

describe('presets', () => {
  it('every preset, each with a summary and findable by name', () => {
    expect(PRESETS.map((p) => p.name)).toEqual([
      'thneeb',
      'simplicity',
      'corridor',
      'digits',
      'mnist',
      'grokking',
      'fractal',
      'spectral',
      'lms',
      'boolean',
    ]);
    for (const p of PRESETS) {
      expect(findPreset(p.name)).toBe(p);
      expect(p.summary.length, `${p.name} summary`).toBeGreaterThan(10);
      expect(p.summary.includes('\n')).toBe(false);
    }
    expect(findPreset('nope')).toBeUndefined();
  });

  it('the default knobs build the same task as the module defaults', () => {
    const direct = {
      thneeb: thneeb(THNEEB_DEFAULTS),
      simplicity: simplicity(SIMPLICITY_DEFAULTS),
      corridor: corridor(CORRIDOR_DEFAULTS),
      digits: digits(DIGITS_DEFAULTS),
      mnist: mnist(MNIST_DEFAULTS),
      grokking: grokking(GROKKING_DEFAULTS),
      fractal: fractal(FRACTAL_DEFAULTS),
      spectral: spectral(SPECTRAL_DEFAULTS),
      lms: lms(LMS_DEFAULTS),
      boolean: booleanTask(BOOLEAN_DEFAULTS),
    };
    for (const p of PRESETS) {
      const task = p.build(defaultKnobs(p));
      expectWellFormed(task);
      expect(task.name).toBe(p.name);
      expect(task.description.length).toBeGreaterThan(10);
      expectSameTask(task, direct[p.name as keyof typeof direct], p.name);
      expect(task.params, `${p.name} records its knobs`).toEqual(defaultKnobs(p));
    }
  });

  it('every knob default lies in its own range, and a knob overrides the default', () => {
    for (const p of PRESETS) {
      for (const [name, spec] of Object.entries(p.knobs)) {
        expect(parseNumber(spec, String(spec.default)), `${p.name} ${name}`).toBe(spec.default);
        expect(spec.flag).toBe(`--knob ${name}`);
      }
      // grokking's training set is a share of the p² pairs (its trainFraction knob), not a count; fractal's
      // size is its network's parameter count; boolean's, the knob m (tests/core/tasks/boolean.test.ts)
      if (!('examples' in p.knobs)) continue;
      const task = p.build({ examples: 10 });
      expect(task.train.rows, `${p.name} with examples 10`).toBe(10);
      expect(task.params.examples).toBe(10);
    }
  });

  it('spectral, lms and corridor knobs refuse values outside their ranges with one line naming the knob', () => {
    const bad: [string, string, string, RegExp][] = [
      ['spectral', 'ratio', '0.5', /^--knob ratio must be a number from 1 to 16, got "0.5"$/],
      ['spectral', 'frequency', '9', /^--knob frequency must be a number from 1 to 8, got "9"$/],
      ['spectral', 'amplitude', '0', /^--knob amplitude must be a positive number up to 10, got "0"$/],
      ['lms', 'dimension', '129', /^--knob dimension must be an integer from 2 to 128, got "129"$/],
      ['lms', 'margin', '1', /^--knob margin must be a number ≥ 0 and < 1, got "1"$/],
      ['corridor', 'randomCoin', '1.5', /^--knob randomCoin must be a number from 0 to 1, got "1.5"$/],
    ];
    for (const [preset, knob, value, message] of bad) {
      const spec = findPreset(preset)!.knobs[knob];
      expect(() => parseNumber(spec, value), `${preset} ${knob}=${value}`).toThrow(message);
    }
  });

  it('preset training defaults name real configuration fields', () => {
    for (const p of PRESETS)
      for (const key of Object.keys(p.defaults)) expect(Object.keys(DEFAULT_CONFIG), `${p.name}: ${key}`).toContain(key);
  });
});

describe('the fractal preset (Sohl-Dickstein 2024)', () => {
  it('has as many random Gaussian points as its 16-16-1 network without biases has parameters', () => {
    const preset = findPreset('fractal')!;
    const task = preset.build(defaultKnobs(preset));
    const widths = [task.inputs, ...(preset.defaults.hidden ?? []), 1];
    expect(widths).toEqual([16, 16, 1]);
    expect(preset.defaults.bias).toBe(false);
    expect(preset.defaults.initDist).toBe('meanfield');
    expect(task.train.rows).toBe(paramCount({ widths, bias: false }));
    expect(task.loss).toBe('mse');
    // standard normal inputs and targets: mean near 0, variance near 1 over 272 × 16 and 272 draws
    const stats = (v: Float32Array) => {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return [mean, v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length];
    };
    const [mx, vx] = stats(task.train.x);
    expect(Math.abs(mx)).toBeLessThan(0.05);
    expect(Math.abs(vx - 1)).toBeLessThan(0.1);
    const [mt, vt] = stats(task.train.targets!);
    expect(Math.abs(mt)).toBeLessThan(0.2);
    expect(Math.abs(vt - 1)).toBeLessThan(0.25);
  });
});
