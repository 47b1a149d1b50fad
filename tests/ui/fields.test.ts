import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { PRESETS, type KnobSpec } from '../../src/core/tasks/index';
import { fieldsFor, knobKey } from '../../src/ui/state/fields';
import { defaultValues, parseForm, presetValues, settle, type FormValues } from '../../src/ui/state/form';
import { presetShape } from '../../src/ui/state/taskShape';
import { SAMPLE } from './helpers/formSample';

const parse = (values: FormValues) => parseForm(values, presetShape(values));

describe('the field table', () => {
  test('the sample gives every field of the form, each different from its default', () => {
    expect(Object.keys(SAMPLE)).toEqual(fieldsFor('simplicity').map(([key]) => key));
    const defaults = defaultValues('gpu', 'simplicity');
    expect(Object.keys(defaults)).toEqual(Object.keys(SAMPLE));
    const same = Object.keys(SAMPLE).filter((key) => key !== 'task' && SAMPLE[key] === defaults[key]);
    expect(same).toEqual([]);
  });

  test('each field lands in its own place in the run settings', () => {
    const parsed = parse(SAMPLE);
    expect(parsed.errors).toEqual({});
    expect(parsed.settings).toStrictEqual({
      config: {
        task: 'simplicity',
        knobs: { margin: 0.2, slabs: 5, examples: 32, dataSeed: 7 },
        hidden: [8, 4],
        activation: 'relu',
        bias: false,
        optimizer: 'momentum',
        lr: 0.25,
        lrScale: [2, 0.5],
        momentum: 0.5,
        beta1: 0.8,
        beta2: 0.98,
        batch: 8,
        steps: 200,
        weightDecay: 0.001,
        initScale: 0.5,
        initDist: 'gaussian',
        particles: 64,
        seed: 11,
        noiseSeed: 77,
        firstParticle: 1000,
        thresholds: { train: 0.9, probe: 0.8 },
      },
      plane: {
        mode: 'through',
        center: { kind: 'final', particle: 3 },
        through: [
          { kind: 'init', particle: 0 },
          { kind: 'final', particle: 3 },
          { kind: 'init', particle: 5 },
        ],
        seed: 9,
        span: 2.5,
        offset: [0.5, -0.25],
        res: 32,
      },
      sharedInit: true,
    });
    expect(parsed.view).toEqual({ view: 'loss', log: false, trails: false });
  });

  test('the run config is written in the order of DEFAULT_CONFIG, as the CLI writes it', () => {
    expect(Object.keys(parse(SAMPLE).settings!.config)).toEqual(Object.keys(DEFAULT_CONFIG));
  });

  test('the defaults are the documented ones, per engine', () => {
    const gpu = defaultValues('gpu');
    expect([gpu.task, gpu.lr, gpu.batch, gpu.particles, gpu.steps, gpu.res, gpu.center, gpu.through]).toEqual([
      'thneeb',
      '0.5',
      '16',
      '1024',
      '1000',
      '64',
      'init:0',
      'init:0,init:1,init:2',
    ]);
    const cpu = defaultValues('cpu');
    expect([cpu.particles, cpu.steps, cpu.res]).toEqual(['128', '400', '16']);
    // a preset's own settings win over the engine's and the core's
    const corridor = defaultValues('cpu', 'corridor');
    expect([corridor.opt, corridor.lr, corridor['k.length']]).toEqual(['adam', '0.01', '6']);
  });

  test('choosing a preset brings its knobs and its own training settings, nothing else', () => {
    expect(presetValues('gpu', 'corridor')).toEqual({
      'k.length': '6',
      'k.randomCoin': '0',
      'k.examples': '256',
      'k.dataSeed': '0',
      opt: 'adam',
      lr: '0.01',
    });
    expect(presetValues('gpu', 'thneeb')).toEqual({ 'k.salience': '1', 'k.examples': '64', 'k.dataSeed': '0' });
  });
});

describe('form validation: a bad value is named with its range and nothing runs', () => {
  const valid = defaultValues('gpu');
  const BAD: [string, string, string][] = [
    ['task', 'nope', 'task "nope" is not loaded: choose a preset or drop the task file again'],
    ['k.salience', '0', 'colour salience must be a positive number up to 10, got "0"'],
    ['k.examples', '3', 'training examples must be an integer from 4 to 4096, got "3"'],
    ['k.dataSeed', '-1', 'data seed must be an integer from 0 to 4294967295, got "-1"'],
    ['hidden', '16,x', 'hidden widths must be a comma-separated list of up to 6 widths, each an integer from 1 to 1024, got "16,x"'],
    ['act', 'relu6', 'activation must be one of tanh, relu, gelu, square, identity, got "relu6"'],
    ['bias', '2', 'biases must be 0 or 1, got "2"'],
    ['lrs', '1,-1', 'layer learning-rate multiplier of layer 1 must be a number from 0 to 1000000, got "-1"'],
    ['opt', 'sgdx', 'optimizer must be one of sgd, momentum, adam, adamw, got "sgdx"'],
    ['lr', '-1', 'learning rate must be a positive number up to 1000, got "-1"'],
    ['momentum', '1', 'momentum must be a number ≥ 0 and < 1, got "1"'],
    ['beta1', '1', 'Adam β₁ must be a number ≥ 0 and < 1, got "1"'],
    ['beta2', '-0.1', 'Adam β₂ must be a number ≥ 0 and < 1, got "-0.1"'],
    ['batch', '65', 'batch must be "full" or an integer from 1 to 64 (the training set\'s size), got "65"'],
    ['steps', '0', 'steps must be an integer from 1 to 1000000, got "0"'],
    ['wd', '-1', 'weight decay must be a number from 0 to 100, got "-1"'],
    ['init', '0', 'init scale must be a positive number up to 100, got "0"'],
    ['dist', 'laplace', 'init distribution must be one of default, gaussian, meanfield, got "laplace"'],
    ['particles', '70000', 'particles must be an integer from 1 to 65536, got "70000"'],
    ['seed', '1.5', 'init seed must be an integer from 0 to 4294967295, got "1.5"'],
    ['noise', '-1', 'noise seed must be an integer from 0 to 4294967295, got "-1"'],
    ['first', '4294967295', 'first particle + particles must stay below 2^32, got 4294967295 + 1024'],
    ['shared', '2', 'shared init must be 0 or 1, got "2"'],
    ['tt', '0', 'train accuracy threshold must be a positive number up to 1, got "0"'],
    ['tp', '1.5', 'probe accuracy threshold must be a positive number up to 1, got "1.5"'],
    ['plane', 'flat', 'plane must be random or through, got "flat"'],
    ['center', 'init:5000', 'plane centre must be init:N or final:N with N a particle from 0 to 1023, got "init:5000"'],
    ['through', 'init:0,init:1', 'plane points must be three points like init:0,init:1,final:2, got "init:0,init:1"'],
    ['pseed', 'x', 'plane seed must be an integer from 0 to 4294967295, got "x"'],
    ['span', '0', 'span must be a positive number up to 1000, got "0"'],
    ['off', '0', 'plane offset must be two numbers "α,β", got "0"'],
    ['res', '300', 'grid resolution must be an integer from 2 to 256, got "300"'],
    ['view', 'map', 'view must be basin or loss, got "map"'],
    ['log', 'yes', 'log scale must be 0 or 1, got "yes"'],
    ['trails', '2', 'trails must be 0 or 1, got "2"'],
  ];

  test('every field of the table has a bad value below', () => {
    expect(BAD.map(([key]) => key).sort()).toEqual(
      fieldsFor('thneeb')
        .map(([key]) => key)
        .sort(),
    );
  });

  test.each(BAD)('%s = "%s": only that field is marked, with its message', (key, raw, message) => {
    const parsed = parse({ ...valid, [key]: raw });
    expect(parsed.errors).toEqual({ [key]: message });
    expect(parsed.settings).toBeUndefined();
  });

  test('a network with too many parameters is refused by the model check, on the hidden field', () => {
    const parsed = parse({ ...valid, hidden: '512,256' });
    expect(parsed.errors).toEqual({
      hidden:
        'hidden widths: a 3-512-256-1 network without biases has 132864 parameters; at most 131072 are supported (the largest size the engines are tested and benchmarked at)',
    });
  });

  test('the model check counts biases only when they are ticked', () => {
    const weightsFit = '508,254'; // 1,524 + 129,032 + 254 = 130,810 weights; + 508 + 254 + 1 biases = 131,573
    expect(parse({ ...valid, hidden: weightsFit, bias: '0' }).errors).toEqual({});
    expect(parse({ ...valid, hidden: weightsFit, bias: '1' }).errors).toEqual({
      bias: 'hidden widths: a 3-508-254-1 network has 131573 parameters; at most 131072 are supported (the largest size the engines are tested and benchmarked at)',
    });
  });

  test('an invalid view field still leaves a view to show', () => {
    expect(parse({ ...valid, view: 'map', log: 'yes' }).view).toEqual({ view: 'basin', log: true, trails: true });
  });
});

describe('defaults are valid for the task they are given', () => {
  /** the smallest and largest value a knob allows */
  const extremes = (spec: KnobSpec): number[] => {
    const step = spec.integer ? 1 : 0.01;
    return [spec.minExclusive ? spec.min + step : spec.min, spec.maxExclusive ? spec.max - step : spec.max];
  };
  const cases = PRESETS.flatMap((p) =>
    Object.entries(p.knobs).flatMap(([name, spec]) => extremes(spec).map((x) => [p.name, name, x] as const)),
  );

  test.each(cases)('%s with %s = %d: every other field defaults to a valid value', (task, name, x) => {
    for (const kind of ['gpu', 'cpu'] as const) {
      const { values, replaced } = settle({ task, [knobKey(name)]: String(x) }, kind);
      expect(replaced).toEqual([]);
      expect(values[knobKey(name)]).toBe(String(x));
      expect(parse(values).errors).toEqual({});
    }
  });

  test('a task smaller than the usual batch defaults to the full batch', () => {
    const { values } = settle({ task: 'thneeb', 'k.examples': '8' }, 'gpu');
    expect(values.batch).toBe('full');
    expect(parse(values).settings?.config.batch).toBe('full');
  });

  test('an ensemble of fewer than three particles gets plane points it has', () => {
    expect(settle({ task: 'thneeb', particles: '2' }, 'gpu').values.through).toBe('init:0,init:1,init:1');
    expect(settle({ task: 'thneeb', particles: '1' }, 'gpu').values.through).toBe('init:0,init:0,init:0');
  });
});
