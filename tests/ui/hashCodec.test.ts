import { describe, expect, test } from 'vitest';
import { defaultValues, parseForm } from '../../src/ui/state/form';
import { decodeHash, encodeHash, HASH_VERSION } from '../../src/ui/state/hashCodec';
import { checkLineSet } from '../../src/ui/state/barrierHash';
import { STAGE_VIEWS } from '../../src/ui/state/stageViews';
import { presetShape } from '../../src/ui/state/taskShape';
import { SAMPLE } from './helpers/formSample';

const parse = (values: Record<string, string>) => parseForm(values, presetShape(values));

describe('URL hash', () => {
  test('every field, knobs included, survives encode → decode unchanged, with no complaint', () => {
    const hash = encodeHash(SAMPLE);
    for (const [key, value] of Object.entries(SAMPLE)) expect(new URLSearchParams(hash.slice(1)).get(key), key).toBe(value);
    const decoded = decodeHash(hash, 'gpu');
    expect(decoded.problems).toEqual([]);
    expect(decoded.values).toEqual(SAMPLE);
    expect(parse(decoded.values).settings).toEqual(parse(SAMPLE).settings);
  });

  test('each field on its own survives the round trip from the defaults', () => {
    const defaults = defaultValues('gpu', 'simplicity');
    for (const [key, value] of Object.entries(SAMPLE)) {
      // the particle refs of the sample need its particle count
      const values = { ...defaults, particles: SAMPLE.particles, [key]: value };
      expect(decodeHash(encodeHash(values), 'gpu'), key).toEqual({ values, problems: [] });
    }
  });

  test('the hash carries its version and reads as text, knobs after the task', () => {
    const hash = encodeHash(defaultValues('gpu'));
    expect(hash).toMatch(new RegExp(`^#v=${HASH_VERSION}&task=thneeb&k\\.salience=1&k\\.examples=64&k\\.dataSeed=0&hidden=16&`));
    expect(hash).toContain('&center=init:0&through=init:0,init:1,init:2&');
    expect(hash).toContain('&off=0,0&');
  });

  test('no hash gives the defaults for the engine, silently', () => {
    const gpu = decodeHash('', 'gpu');
    expect(gpu.problems).toEqual([]);
    expect([gpu.values.task, gpu.values.lr, gpu.values.particles, gpu.values.res]).toEqual(['thneeb', '0.5', '1024', '64']);
    expect([decodeHash('', 'cpu').values.particles, decodeHash('', 'cpu').values.res]).toEqual(['128', '16']);
  });

  test.each([
    ['#garbage!!', 'no Basin Atlas settings'],
    ['#v=99&lr=1', 'another version'],
    ['#%E0%A4%A', 'no Basin Atlas settings'],
  ])('a garbage or foreign hash %s gives the defaults and says why', (hash, says) => {
    const decoded = decodeHash(hash, 'gpu');
    expect(decoded.values).toEqual(defaultValues('gpu'));
    expect(decoded.values.lr).toBe('0.5');
    expect(decoded.problems).toHaveLength(1);
    expect(decoded.problems[0]).toContain(says);
  });

  test('a bad field falls back to its default and is named with its range', () => {
    const decoded = decodeHash('#v=1&lr=abc&particles=64&steps=0&color=red', 'gpu');
    expect([decoded.values.lr, decoded.values.steps, decoded.values.particles]).toEqual(['0.5', '1000', '64']);
    expect(decoded.problems).toEqual([
      'ignored unknown setting "color"',
      'learning rate must be a positive number up to 1000, got "abc": using 0.5',
      'steps must be an integer from 1 to 1000000, got "0": using 1000',
    ]);
    expect(parse(decoded.values).errors).toEqual({});
  });

  test('a task file cannot travel in a link: the message says to drop it again', () => {
    const decoded = decodeHash('#v=1&task=file:mine.json', 'gpu');
    expect(decoded.values.task).toBe('thneeb');
    expect(decoded.problems).toEqual(['the task file mine.json cannot travel in a link: drop it again; showing the default task']);
  });

  test('a task with fewer examples than the usual batch, and no batch, falls back to the full batch', () => {
    const decoded = decodeHash('#v=1&task=thneeb&k.examples=8', 'gpu');
    expect(decoded.problems).toEqual([]);
    expect(decoded.values.batch).toBe('full');
    expect(parse(decoded.values).settings?.config.batch).toBe('full');
  });

  test('a batch larger than the training set is named with the range of the resolved task, and replaced by a valid one', () => {
    const decoded = decodeHash('#v=1&task=thneeb&k.examples=8&batch=16', 'gpu');
    expect(decoded.problems).toEqual(['batch must be "full" or an integer from 1 to 8 (the training set\'s size), got "16": using full']);
    expect(decoded.values.batch).toBe('full');
    expect(parse(decoded.values).errors).toEqual({});
  });

  test('a bad knob falls back first, and the batch is checked against the task it resolves to', () => {
    const decoded = decodeHash('#v=1&task=thneeb&k.examples=2&batch=64', 'gpu');
    expect(decoded.problems).toEqual(['training examples must be an integer from 4 to 4096, got "2": using 64']);
    expect([decoded.values['k.examples'], decoded.values.batch]).toEqual(['64', '64']);
  });

  test('a particle range past 2^32 is named on the first-particle field, which falls back alone', () => {
    const decoded = decodeHash('#v=1&first=4294967295&particles=64&hidden=8', 'gpu');
    expect(decoded.problems).toEqual(['first particle + particles must stay below 2^32, got 4294967295 + 64: using 0']);
    expect([decoded.values.first, decoded.values.hidden]).toEqual(['0', '8']);
  });

  test('plane points past a small ensemble fall back to points it has', () => {
    const decoded = decodeHash('#v=1&particles=2&through=init:0,init:1,init:2', 'gpu');
    expect(decoded.problems).toEqual([
      'plane points must be init:N or final:N with N a particle from 0 to 1, got "init:2": using init:0,init:1,init:1',
    ]);
    expect(parse(decoded.values).errors).toEqual({});
  });

  test.each([
    '#v=1&task=thneeb&k.examples=4&batch=5&particles=1&center=final:3&through=x&first=4294967295',
    '#v=1&task=corridor&k.length=3&k.examples=abc&hidden=128,128,128,128&batch=0',
    '#v=1&task=simplicity&k.slabs=15&k.examples=4&particles=0&res=1&off=1&view=x&log=x&trails=x&shared=x',
  ])('whatever a link holds, what it decodes to is a valid form: %s', (hash) => {
    const decoded = decodeHash(hash, 'gpu');
    expect(decoded.problems.length).toBeGreaterThan(0);
    const parsed = parse(decoded.values);
    expect(parsed.errors).toEqual({});
    expect(parsed.settings).toBeDefined();
  });

  describe('the view on the centre stage', () => {
    test.each(STAGE_VIEWS.map((v) => v.id))('%s survives encode → decode beside the settings, silently', (stage) => {
      const values = defaultValues('gpu', 'simplicity');
      const hash = encodeHash(values, undefined, stage);
      expect(new URLSearchParams(hash.slice(1)).get('stage')).toBe(stage === 'map' ? null : stage);
      const decoded = decodeHash(hash, 'gpu');
      expect(decoded).toEqual({ values, problems: [], ...(stage === 'map' ? {} : { stage }) });
    });

    test('a view alone opens on the default settings', () => {
      expect(decodeHash('#stage=barriers', 'gpu')).toEqual({ values: defaultValues('gpu'), problems: [], stage: 'barriers' });
    });

    test('an unknown view is named with the views there are, shows the map, and keeps the settings', () => {
      const decoded = decodeHash('#v=1&stage=%3Cscript%3E&lr=0.25', 'gpu');
      expect(decoded.stage).toBeUndefined();
      expect(decoded.values.lr).toBe('0.25');
      expect(decoded.problems).toEqual([
        'unknown view "<script>" (the views: map, curves, geometry, barriers, decompose, hypermap, prior): showing the map',
      ]);
    });

    test('a view beside a story keeps both', () => {
      const decoded = decodeHash('#story=init-or-noise&stage=decompose', 'gpu');
      expect([decoded.story, decoded.stage, decoded.problems]).toEqual(['init-or-noise', 'decompose', []]);
    });
  });

  describe("a story's full size (full=1)", () => {
    test('travels beside its story, and only there', () => {
      const values = defaultValues('gpu', 'grokking');
      const hash = encodeHash(values, 'grokking', 'curves', true);
      expect(new URLSearchParams(hash.slice(1)).get('full')).toBe('1');
      expect(decodeHash(hash, 'gpu')).toEqual({ values, problems: [], story: 'grokking', stage: 'curves', full: true });
      expect(new URLSearchParams(encodeHash(values, undefined, 'map', true).slice(1)).has('full')).toBe(false);
      expect(decodeHash('#story=grokking&full=1', 'gpu').full).toBe(true);
      expect(decodeHash('#story=grokking', 'gpu').full).toBeUndefined();
    });

    test.each([
      ['#story=grokking&full=yes', 'ignored full="yes" (a story\'s full size is full=1)'],
      ['#story=grokking&full=%3Cb%3E', 'ignored full="<b>" (a story\'s full size is full=1)'],
      ['#v=1&full=1', 'ignored full=1 (it sizes a story, and the link names none)'],
    ])('garbage is named in one line and the story keeps its size for the device: %s', (hash, problem) => {
      const decoded = decodeHash(hash, 'gpu');
      expect(decoded.full).toBeUndefined();
      expect(decoded.problems).toEqual([problem]);
    });
  });

  describe("the barrier view's alignment and set (barriers.align, barriers.set)", () => {
    test('travel when not at their defaults, and a link without them reads as before', () => {
      const values = defaultValues('gpu');
      const hash = encodeHash(values, undefined, 'barriers', false, { align: true, set: 'colour' });
      expect(hash).toContain('barriers.align=1&barriers.set=colour');
      expect(decodeHash(hash, 'gpu')).toEqual({ values, problems: [], stage: 'barriers', line: { align: true, set: 'colour' } });
      expect(encodeHash(values, undefined, 'barriers', false, { align: false, set: 'train' })).not.toContain('barriers.');
      expect(decodeHash(encodeHash(values), 'gpu').line).toBeUndefined();
    });

    test.each([
      [
        '#v=1&barriers.align=yes',
        { align: false, set: 'train' },
        'ignored barriers.align="yes" (1 aligns the barrier view\'s hidden units, 0 does not): not aligned',
      ],
      [
        '#v=1&barriers.set=',
        { align: false, set: 'train' },
        "ignored an empty barriers.set (train or a probe set's name): measuring on train",
      ],
    ])('a bad value is named in one line and its default used: %s', (hash, line, problem) => {
      const decoded = decodeHash(hash, 'gpu');
      expect(decoded.line).toEqual(line);
      expect(decoded.problems).toEqual([problem]);
    });

    test("a set the task lacks is named with the task's sets, and the training set used", () => {
      expect(checkLineSet({ align: true, set: 'shape' }, ['colour', 'shape'])).toEqual({ line: { align: true, set: 'shape' } });
      expect(checkLineSet({ align: true, set: 'xor' }, ['colour', 'shape'])).toEqual({
        line: { align: true, set: 'train' },
        problem:
          'ignored barriers.set: the set must be one of train, colour, shape (the training set or a probe set of the task), got "xor"; measuring on train',
      });
      expect(checkLineSet({ align: false, set: 'xor' }, undefined)).toEqual({ line: { align: false, set: 'xor' } });
    });
  });
});
