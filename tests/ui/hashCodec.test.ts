import { describe, expect, test } from 'vitest';
import { defaultValues } from '../../src/ui/state/formValues';
import { decodeHash, encodeHash, HASH_VERSION } from '../../src/ui/state/hashCodec';
import { parseForm } from '../../src/ui/state/parseForm';
import { presetShape } from '../../src/ui/state/taskShape';

describe('URL hash', () => {
  test('every field survives encode → decode unchanged, with no complaint', () => {
    const values = { ...defaultValues('gpu'), lr: '0.25', noise: '77', hidden: '8,8', plane: 'through', through: 'init:0,final:3,init:5', off: '0.5,-0.25', view: 'loss', log: '0' };
    const decoded = decodeHash(encodeHash(values), 'gpu');
    expect(decoded.problems).toEqual([]);
    expect(decoded.values).toEqual(values);
  });

  test('the hash carries its version and reads as text', () => {
    const hash = encodeHash(defaultValues('gpu'));
    expect(hash).toMatch(new RegExp(`^#v=${HASH_VERSION}&task=thneeb&`));
    expect(hash).toContain('center=init:0');
  });

  test('no hash gives the defaults for the engine, silently', () => {
    expect(decodeHash('', 'gpu')).toEqual({ values: defaultValues('gpu'), problems: [] });
    expect(decodeHash('', 'cpu').values.particles).toBe(defaultValues('cpu').particles);
    expect(Number(defaultValues('cpu').particles)).toBeLessThan(Number(defaultValues('gpu').particles));
  });

  test.each([
    ['#garbage!!', 'no Basin Atlas settings'],
    ['#v=99&lr=1', 'another version'],
    ['#%E0%A4%A', 'no Basin Atlas settings'],
  ])('a garbage or foreign hash %s gives the defaults and says why', (hash, says) => {
    const decoded = decodeHash(hash, 'gpu');
    expect(decoded.values).toEqual(defaultValues('gpu'));
    expect(decoded.problems.join(' ')).toContain(says);
  });

  test('a bad field falls back to its default and is named with its range', () => {
    const decoded = decodeHash('#v=1&lr=abc&particles=64&steps=0&color=red', 'gpu');
    expect(decoded.values.lr).toBe(defaultValues('gpu').lr);
    expect(decoded.values.steps).toBe(defaultValues('gpu').steps);
    expect(decoded.values.particles).toBe('64');
    const text = decoded.problems.join('\n');
    expect(text).toContain('learning rate must be a positive number up to 1000, got "abc"');
    expect(text).toContain('steps must be an integer from 1 to 1000000');
    expect(text).toContain('unknown setting "color"');
  });

  test('a task file cannot travel in a link: the message says to drop it again', () => {
    const decoded = decodeHash('#v=1&task=file:mine.json', 'gpu');
    expect(decoded.values.task).toBe('thneeb');
    expect(decoded.problems[0]).toContain('drop it again');
  });

  test('a batch larger than the training set is caught against the preset task', () => {
    const decoded = decodeHash('#v=1&task=thneeb&k.examples=8&batch=16', 'gpu');
    expect(decoded.problems.join(' ')).toContain('batch must be "full" or an integer from 1 to 8');
    expect(decoded.values.batch).toBe(defaultValues('gpu').batch === '16' ? '16' : decoded.values.batch);
  });
});

describe('form validation', () => {
  const valid = defaultValues('gpu');
  const shape = presetShape(valid);

  test('the defaults parse into run settings', () => {
    const parsed = parseForm(valid, shape);
    expect(parsed.errors).toEqual({});
    expect(parsed.settings?.config.task).toBe('thneeb');
    expect(parsed.settings?.plane.center).toEqual({ kind: 'init', particle: 0 });
  });

  test.each([
    ['lr', '-1', 'learning rate must be a positive number up to 1000, got "-1"'],
    ['particles', '70000', 'particles must be an integer from 1 to 65536, got "70000"'],
    ['res', '300', 'grid resolution must be an integer from 2 to 256, got "300"'],
    ['hidden', '16,x', 'hidden widths must be a comma-separated list'],
    ['center', 'init:5000', 'plane centre must be init:N or final:N with N a particle from 0 to 1023'],
    ['k.salience', '0', 'colour salience must be'],
    ['tp', '1.5', 'probe accuracy threshold must be a positive number up to 1, got "1.5"'],
  ])('a bad %s (%s) is marked, named, and nothing runs', (key, raw, message) => {
    const parsed = parseForm({ ...valid, [key]: raw }, presetShape({ ...valid, [key]: raw }));
    expect(parsed.settings).toBeUndefined();
    expect(parsed.errors[key]).toContain(message);
  });

  test('a network with too many parameters is refused by the model check', () => {
    const parsed = parseForm({ ...valid, hidden: '128,128,128' }, shape);
    expect(parsed.errors.hidden).toMatch(/parameters; at most \d+ are supported/);
  });
});
