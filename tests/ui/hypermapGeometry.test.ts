import { describe, expect, it } from 'vitest';
import { axisValues, type Axis } from '../../src/core/instruments/hypermap/hypermapAxes';
import { defaultAxes, parseHypermapFields } from '../../src/core/instruments/hypermap/hypermapFields';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { axisTicks, cellCommand, cellUnder, fractionOf, valueAtFraction, zoomedAxis } from '../../src/ui/views/hypermap/hypermapGeometry';

const lr: Axis = { name: 'lr', min: 0.01, max: 10, log: true, integer: false };
const salience: Axis = { name: 'knob:salience', min: 0.5, max: 1.5, log: false, integer: false };
const ctx = { config: DEFAULT_CONFIG, layers: 2, trainRows: 64 };

describe('the hyper map view: where things lie on the map', () => {
  it("puts each cell's value at its cell's centre, linear in log space on a log axis", () => {
    const res = 4;
    axisValues(lr, res).forEach((v, i) => expect(fractionOf(lr, res, v)).toBeCloseTo((i + 0.5) / res, 12));
    axisValues(salience, res).forEach((v, i) => expect(valueAtFraction(salience, res, (i + 0.5) / res)).toBeCloseTo(v, 12));
    // halfway between cells 1 and 2 of a log axis: the geometric mean of their values
    const [, a, b] = axisValues(lr, res);
    expect(valueAtFraction(lr, res, 0.5)).toBeCloseTo(Math.sqrt(a * b), 12);
  });

  it('zooms a box to the values at its edges, in either drag direction, and refuses a box too thin to hold two values', () => {
    const res = 4;
    const xs = axisValues(lr, res);
    const t = (v: number) => Number(v.toPrecision(4));
    expect(zoomedAxis(lr, res, 3.5 / res, 1.5 / res)).toBe(`lr:${t(xs[1])}:${t(xs[3])}:log`);
    expect(zoomedAxis(salience, res, 0, 1)).toBe('knob:salience:0.5:1.5');
    expect(zoomedAxis(salience, res, 0.5, 0.5)).toBeUndefined();
  });

  it('reads the cell under a point with y growing upwards', () => {
    expect(cellUnder(0.1, 0.1, 4)).toEqual({ i: 0, j: 3 });
    expect(cellUnder(0.9, 0.9, 4)).toEqual({ i: 3, j: 0 });
    expect(cellUnder(1, 0.5, 4)).toBeUndefined();
  });

  it('ticks a log axis at decades, a short one at 1, 2, 5, all inside the range', () => {
    expect(axisTicks(lr)).toEqual([0.01, 0.1, 1, 10]);
    expect(axisTicks({ ...lr, min: 0.15, max: 0.9 })).toEqual([0.2, 0.5]);
    expect(axisTicks(salience)).toEqual([0.5, 0.75, 1, 1.25, 1.5]);
  });

  it("writes the cell's command with both axes set as their train flags, once each, a default value too", () => {
    const settings = { x: lr, y: salience, res: 4, perCell: 2, outcome: 'classes' as const };
    const thneeb = { ...DEFAULT_CONFIG, task: 'thneeb', lr: 0.3 };
    expect(cellCommand(thneeb, settings, 0.7, 0.75)).toMatch(
      /^basin-atlas train --task thneeb --knob salience=0\.75 --lr 0\.7 .*--particles 2$/,
    );
    // thneeb's own salience and learning rate: runFlags leaves them out, the command names them
    const command = cellCommand(thneeb, settings, DEFAULT_CONFIG.lr, 1);
    expect(command).toContain(`--lr ${DEFAULT_CONFIG.lr} --knob salience=1`);
    expect(command.match(/--lr /g)).toHaveLength(1);
  });
});

describe('the hyper map form', () => {
  it("starts from the preset's axes, a salience knob's, or the command's", () => {
    expect(defaultAxes('fractal')).toEqual({ x: 'lr:0:10:100000:log', y: 'lr:1:20:1000:log' });
    expect(defaultAxes('thneeb')).toEqual({ x: 'lr:0.05:2:log', y: 'knob:salience:0.75:1.25' });
    expect(defaultAxes('file:mine.csv')).toEqual({ x: 'lr:0.01:10:log', y: 'init-scale:0.25:4:log' });
  });

  it('puts each error beside its field', () => {
    const texts = { x: 'lr:0.1:1', y: 'lr:1:2', res: '1', perCell: '65' };
    const { settings, errors } = parseHypermapFields(texts, DEFAULT_CONFIG, ctx);
    expect(settings).toBeUndefined();
    expect(errors).toEqual({
      y: 'x and y axes must be different settings, got lr for both',
      res: 'cells per axis must be an integer from 2 to 64, got "1"',
      perCell: 'particles per cell must be an integer from 1 to 64, got "65"',
    });
    expect(parseHypermapFields({ ...texts, y: 'wd:0:1', res: '8', perCell: '2' }, DEFAULT_CONFIG, ctx).settings).toMatchObject({
      res: 8,
      perCell: 2,
      outcome: 'classes',
    });
  });
});
