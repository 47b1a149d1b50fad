import { describe, expect, it } from 'vitest';
import {
  checkConfig,
  checkModelSize,
  DEFAULT_CONFIG,
  describeRange,
  MAX_HIDDEN_LAYERS,
  MAX_PARAMS,
  MAX_WIDTH,
  NUMBER_FIELDS,
  parseActivation,
  parseBatch,
  parseField,
  parseHidden,
  parseNumber,
  parseOptimizer,
  type NumberField,
} from '../../src/core/config';
import { UserError } from '../../src/core/errors';

/** The UserError a call throws (fails the test when it throws nothing or something else). */
function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(UserError);
    return e as UserError;
  }
  return expect.fail(`no error thrown`);
}

const FIELDS = Object.keys(NUMBER_FIELDS) as NumberField[];

describe('numeric fields', () => {
  it('the documented message: --lr must be a positive number up to 1000, got "-1"', () => {
    expect(userError(() => parseField('lr', '-1')).message).toBe('--lr must be a positive number up to 1000, got "-1"');
    expect(userError(() => parseField('lr', '-1', 'label')).message).toBe('learning rate must be a positive number up to 1000, got "-1"');
  });

  it('range descriptions', () => {
    expect(describeRange(NUMBER_FIELDS.lr)).toBe('a positive number up to 1000');
    expect(describeRange(NUMBER_FIELDS.steps)).toBe('an integer from 1 to 1000000');
    expect(describeRange(NUMBER_FIELDS.weightDecay)).toBe('a number from 0 to 100');
    expect(describeRange(NUMBER_FIELDS.res)).toBe('an integer from 2 to 1024');
    expect(describeRange(NUMBER_FIELDS.momentum)).toBe('a number ≥ 0 and < 1');
    expect(describeRange(NUMBER_FIELDS.trainThreshold)).toBe('a positive number up to 1');
  });

  for (const field of FIELDS) {
    const spec = NUMBER_FIELDS[field];
    it(`${spec.flag}: values in range pass, as strings or numbers`, () => {
      const good = [spec.integer ? Math.ceil((spec.min + spec.max) / 2) : (spec.min + spec.max) / 2];
      if (!spec.minExclusive) good.push(spec.min);
      if (!spec.maxExclusive) good.push(spec.max);
      for (const v of good) {
        expect(parseField(field, String(v)), `"${v}"`).toBe(v);
        expect(parseField(field, ` ${v} `), `" ${v} " (spaces trimmed)`).toBe(v);
        expect(parseField(field, v), `${v} as a number`).toBe(v);
      }
    });

    it(`${spec.flag}: each kind of bad value is a UserError naming the flag (or label), the range and the input`, () => {
      const step = spec.integer ? 1 : Math.max(1e-9, (spec.max - spec.min) * 1e-6);
      const bad: string[] = ['abc', '', '   ', 'NaN', 'Infinity', '-Infinity', '1,5', String(spec.min - step), String(spec.max + step)];
      if (spec.minExclusive) bad.push(String(spec.min));
      if (spec.maxExclusive) bad.push(String(spec.max));
      if (spec.integer) bad.push(String(spec.min + 0.5));
      for (const raw of bad) {
        for (const style of ['flag', 'label'] as const) {
          const message = userError(() => parseField(field, raw, style)).message;
          const name = style === 'flag' ? spec.flag : spec.label;
          expect(message.startsWith(`${name} must be `), `${raw} (${style}): ${message}`).toBe(true);
          expect(message, `${raw}: names the range`).toContain(describeRange(spec));
          expect(message, `${raw}: shows the input`).toContain(`got "${raw.trim()}"`);
          expect(message.includes('\n'), 'one line').toBe(false);
        }
      }
    });
  }

  it('integers stay integers, and non-numbers (null, objects) are refused', () => {
    expect(parseField('steps', '1e3')).toBe(1000);
    expect(userError(() => parseField('steps', '2.5')).message).toContain('an integer');
    expect(userError(() => parseField('particles', null)).message).toContain('got "null"');
    expect(userError(() => parseField('seed', undefined)).message).toContain('--seed');
    expect(userError(() => parseField('lr', {})).message).toContain('--lr');
  });

  it('the default configuration is inside every range it is checked against', () => {
    for (const field of [
      'lr',
      'momentum',
      'weightDecay',
      'initScale',
      'steps',
      'particles',
      'seed',
      'noiseSeed',
      'firstParticle',
    ] as const) {
      expect(parseField(field, DEFAULT_CONFIG[field]), field).toBe(DEFAULT_CONFIG[field]);
    }
    expect(parseField('trainThreshold', DEFAULT_CONFIG.thresholds.train)).toBe(0.95);
    expect(parseField('probeThreshold', DEFAULT_CONFIG.thresholds.probe)).toBe(0.9);
  });

  it('takes decimal notation only', () => {
    for (const text of ['0x10', '0b1', 'Infinity', '1e', '.', '1,5'])
      expect(userError(() => parseField('steps', text)).message).toContain(`got "${text}"`);
    expect(parseField('lr', '1e-3')).toBe(0.001);
    expect(parseField('lr', '.5')).toBe(0.5);
  });

  it('a long value is quoted by its start and its length, on one line', () => {
    const message = userError(() => parseField('lr', `${'9'.repeat(100_000)}\n`)).message;
    expect(message).toBe(`--lr must be a positive number up to 1000, got "${'9'.repeat(40)}…" (100000 characters)`);
    expect(userError(() => parseActivation('a\u001b[2Jb')).message).toBe(
      '--act must be one of tanh, relu, gelu, square, identity, got "a\\u001b[2Jb"',
    );
  });

  it('parseNumber works on any spec', () => {
    const spec = { flag: '--x', label: 'x', integer: false, min: -1, max: 1, maxExclusive: true };
    expect(parseNumber(spec, '-1')).toBe(-1);
    const message = userError(() => parseNumber(spec, '1')).message;
    expect(message).toBe(`--x must be ${describeRange(spec)}, got "1"`);
    expect(describeRange(spec)).toBe('a number ≥ -1 and < 1');
  });
});

describe('choices', () => {
  it('activation and optimizer: the allowed names pass, others are refused listing every choice', () => {
    for (const a of ['tanh', 'relu', 'gelu']) expect(parseActivation(a)).toBe(a);
    for (const o of ['sgd', 'momentum', 'adam']) expect(parseOptimizer(o)).toBe(o);
    expect(userError(() => parseActivation('sigmoid')).message).toBe(
      '--act must be one of tanh, relu, gelu, square, identity, got "sigmoid"',
    );
    expect(userError(() => parseOptimizer('rmsprop', 'label')).message).toBe(
      'optimizer must be one of sgd, momentum, adam, adamw, got "rmsprop"',
    );
    expect(userError(() => parseActivation('Tanh', 'label')).message).toContain('activation must be one of');
    expect(userError(() => parseOptimizer(3)).message).toContain('got "3"');
  });
});

describe('hidden widths', () => {
  it('comma-separated widths; empty means no hidden layer; arrays accepted', () => {
    expect(parseHidden('16,16')).toEqual([16, 16]);
    expect(parseHidden(' 8 , 4 ')).toEqual([8, 4]);
    expect(parseHidden('')).toEqual([]);
    expect(parseHidden([32, 1])).toEqual([32, 1]);
    expect(parseHidden(String(MAX_WIDTH))).toEqual([MAX_WIDTH]);
    expect(parseHidden(Array(MAX_HIDDEN_LAYERS).fill(2).join(','))).toEqual(Array(MAX_HIDDEN_LAYERS).fill(2));
  });

  it('bad widths name the flag, the limits and the input', () => {
    for (const raw of [
      '0',
      String(MAX_WIDTH + 1),
      '1.5',
      'a',
      '16,,16',
      '16;16',
      '-4',
      // one rule for typed numbers: decimal notation, as for every numeric flag
      '0x10',
      '16,0b1',
      Array(MAX_HIDDEN_LAYERS + 1)
        .fill(2)
        .join(','),
    ]) {
      const message = userError(() => parseHidden(raw)).message;
      expect(message, raw).toBe(
        `--hidden must be a comma-separated list of up to ${MAX_HIDDEN_LAYERS} widths, each an integer from 1 to ${MAX_WIDTH}, got "${raw}"`,
      );
      expect(userError(() => parseHidden(raw, 'label')).message.startsWith('hidden widths must be')).toBe(true);
    }
  });
});

describe('batch', () => {
  it('"full" or an integer from 1 to the training set size', () => {
    expect(parseBatch('full', 64)).toBe('full');
    expect(parseBatch('1', 64)).toBe(1);
    expect(parseBatch('64', 64)).toBe(64);
    expect(parseBatch(16, 64)).toBe(16);
  });

  it('bad sizes name the flag, the range (with the set size) and the input', () => {
    for (const raw of ['0', '65', '2.5', '', 'all', '-1', 'Full', '0x10', '1e1000']) {
      expect(userError(() => parseBatch(raw, 64)).message, raw).toBe(
        `--batch must be "full" or an integer from 1 to 64 (the training set's size), got "${raw}"`,
      );
    }
    expect(userError(() => parseBatch('9', 8, 'label')).message).toBe(
      `batch must be "full" or an integer from 1 to 8 (the training set's size), got "9"`,
    );
  });
});

describe('checkConfig', () => {
  it('accepts the defaults and the largest model', () => {
    expect(() => checkConfig(DEFAULT_CONFIG, 3, 1)).not.toThrow();
    // 30-30-30-30-1: three 30×30 layers with biases, then 30 + 1 → 2821 parameters
    const widths = [30, 30, 30, 30, 1];
    expect(30 * 30 * 3 + 30 * 3 + 31).toBeLessThanOrEqual(MAX_PARAMS);
    expect(() => checkConfig({ ...DEFAULT_CONFIG, hidden: widths.slice(1, -1) }, 30, 1)).not.toThrow();
    // MNIST scale: 784-128-10 has 785·128 + 129·10 = 101,770 parameters
    expect(() => checkConfig({ ...DEFAULT_CONFIG, hidden: [128] }, 784, 10)).not.toThrow();
  });

  it('a model over the parameter limit names --hidden, the network and both counts', () => {
    const e = userError(() => checkConfig({ ...DEFAULT_CONFIG, hidden: [512, 256] }, 3, 1));
    // 3·512 + 512 + 512·256 + 256 + 256 + 1 = 133,633
    expect(e.message).toBe(
      `--hidden: a 3-512-256-1 network has 133633 parameters; at most ${MAX_PARAMS} are supported (the largest size the engines are tested and benchmarked at)`,
    );
    expect(
      userError(() => checkConfig({ ...DEFAULT_CONFIG, hidden: [512, 256] }, 3, 1, 'label')).message.startsWith('hidden widths:'),
    ).toBe(true);
  });

  it('over the limit with the default widths, it says they are the default and suggests one that fits', () => {
    // 8,192 inputs: 8193·16 + 17 = 131,105 parameters; one layer of 15 units has 8193·15 + 16 = 122,911
    expect(userError(() => checkModelSize([16], 8192, 1, 'flag', true)).message).toBe(
      `--hidden was not given and its default 16 makes a 8192-16-1 network of 131105 parameters; at most ${MAX_PARAMS} are supported (the largest size the engines are tested and benchmarked at): give a smaller one, e.g. --hidden 15`,
    );
    expect(() => checkModelSize([15], 8192, 1)).not.toThrow();
    expect(() => checkModelSize([16], 8192, 1)).toThrow(/^--hidden: a 8192-16-1 network has 131105 parameters/);
  });

  it('particle indices must fit in 32 bits', () => {
    expect(() => checkConfig({ ...DEFAULT_CONFIG, firstParticle: 0xffffffff - 9, particles: 10 }, 3, 1)).not.toThrow();
    const e = userError(() => checkConfig({ ...DEFAULT_CONFIG, firstParticle: 0xffffffff - 9, particles: 11 }, 3, 1));
    expect(e.message).toContain('--first-particle');
    expect(e.message).toContain(`${0xffffffff - 9} + 11`);
  });
});
