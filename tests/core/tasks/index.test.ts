import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseNumber } from '../../../src/core/config';
import { BOOLEAN_DEFAULTS, booleanTask } from '../../../src/core/tasks/boolean';
import { corridor, CORRIDOR_DEFAULTS } from '../../../src/core/tasks/corridor';
import { digits, DIGITS_DEFAULTS } from '../../../src/core/tasks/digits';
import { defaultKnobs, findPreset, PRESETS } from '../../../src/core/tasks/index';
import { simplicity, SIMPLICITY_DEFAULTS } from '../../../src/core/tasks/simplicity';
import { thneeb, THNEEB_DEFAULTS } from '../../../src/core/tasks/thneeb';
import { ensureDigitImages } from '../../../src/node/nodeDigitImages';
import { expectSameTask, expectWellFormed } from './shared';

// the digits preset builds from the MNIST images, which front ends load before building it
ensureDigitImages();

describe('presets', () => {
  it('thneeb, simplicity, corridor, digits and boolean, each with a summary and findable by name', () => {
    expect(PRESETS.map((p) => p.name)).toEqual(['thneeb', 'simplicity', 'corridor', 'digits', 'boolean']);
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
      // boolean has no example count: its size is the knob m (tests/core/tasks/boolean.test.ts)
      if (!('examples' in p.knobs)) continue;
      const task = p.build({ examples: 10 });
      expect(task.train.rows, `${p.name} with examples 10`).toBe(10);
      expect(task.params.examples).toBe(10);
    }
  });

  it('preset training defaults name real configuration fields', () => {
    for (const p of PRESETS)
      for (const key of Object.keys(p.defaults)) expect(Object.keys(DEFAULT_CONFIG), `${p.name}: ${key}`).toContain(key);
  });
});
