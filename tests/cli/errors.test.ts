import { describe, expect, it } from 'vitest';
import { paramCount } from '../../src/core/layout';
import { cli, inProcess, tempDir, writeTemp, type CliResult } from './run';

const dir = tempDir();
const P = paramCount([3, 16, 1]);
const task = (patch: object) => ({
  name: 't',
  inputs: 5,
  classes: 2,
  train: { x: [[0, 0, 0, 0, 0]], y: [0] },
  probes: { a: { x: [[1, 1, 1, 1, 1]], y: [1] } },
  ...patch,
});

/** [arguments, the one line expected on stderr (a regular expression)] */
const cases: [string[], RegExp][] = [
  [['train', '--lr', '-1'], /^basin-atlas: --lr must be a positive number up to 1000, got "-1"$/],
  [['train', '--lr', 'fast'], /^basin-atlas: --lr must be a positive number up to 1000, got "fast"$/],
  [['train', '--momentum', '1'], /^basin-atlas: --momentum must be a number ≥ 0 and < 1, got "1"$/],
  [['train', '--beta1', '1'], /^basin-atlas: --beta1 must be a number ≥ 0 and < 1, got "1"$/],
  [['train', '--beta2', '-0.5'], /^basin-atlas: --beta2 must be a number ≥ 0 and < 1, got "-0.5"$/],
  [['train', '--record-every', '0'], /^basin-atlas: --record-every must be an integer from 1 to 1000000, got "0"$/],
  [['train', '--task', 'grokking', '--knob', 'p=2'], /^basin-atlas: --knob p must be an integer from 3 to 27, got "2"$/],
  [
    ['train', '--task', 'grokking', '--knob', 'trainFraction=1'],
    /^basin-atlas: --knob trainFraction must be a number > 0 and < 1, got "1"$/,
  ],
  [['train', '--particles', '0'], /^basin-atlas: --particles must be an integer from 1 to 1048576, got "0"$/],
  [['train', '--steps', '2.5'], /^basin-atlas: --steps must be an integer from 1 to 1000000, got "2.5"$/],
  [['train', '--seed', '-3'], /^basin-atlas: --seed must be an integer from 0 to 4294967295, got "-3"$/],
  [['train', '--hidden', '16,0'], /^basin-atlas: --hidden must be .* got "16,0"$/],
  [
    ['train', '--hidden', '512,256'],
    /^basin-atlas: --hidden: a 3-512-256-1 network has 133633 parameters; at most 131072 are supported \(the largest size the engines are tested and benchmarked at\)$/,
  ],
  [['train', '--act', 'sigmoid'], /^basin-atlas: --act must be one of tanh, relu, gelu, square, identity, got "sigmoid"$/],
  [['train', '--opt', 'lbfgs'], /^basin-atlas: --opt must be one of sgd, momentum, adam, adamw, got "lbfgs"$/],
  [['train', '--batch', '0'], /^basin-atlas: --batch must be "full" or an integer from 1 to 64 \(the training set's size\), got "0"$/],
  [['train', '--engine', 'tpu'], /^basin-atlas: --engine must be one of auto, gpu, cpu, got "tpu"$/],
  [
    ['train', '--task', 'nothing'],
    /^basin-atlas: --task must be one of thneeb, simplicity, corridor, digits, mnist, grokking, fractal, spectral, lms, boolean, or a \.json task file, got "nothing"$/,
  ],
  [['train', '--knob', 'salience=0'], /^basin-atlas: --knob salience must be a positive number up to 10, got "0"$/],
  [['train', '--knob', 'colour=1'], /^basin-atlas: --knob colour: thneeb has no such knob; its knobs are salience, examples, dataSeed$/],
  [['train', '--task', 'lms', '--knob', 'dimension=1'], /^basin-atlas: --knob dimension must be an integer from 2 to 128, got "1"$/],
  [['train', '--knob', 'salience'], /^basin-atlas: --knob must look like NAME=VALUE, got "salience"$/],
  [['train', '--wobble'], /^basin-atlas: unknown option '--wobble'$/],
  [['fly'], /^basin-atlas: unknown command 'fly'$/],
  [['train', '--probe', 'a=b.csv'], /^basin-atlas: --probe needs --train FILE\.csv$/],
  [
    ['train', '--out', '/nonexistent/dir/out.json'],
    /^basin-atlas: --out \/nonexistent\/dir\/out\.json: folder \/nonexistent\/dir does not exist$/,
  ],
  [['grid', '--res', '1'], /^basin-atlas: --res must be an integer from 2 to 1024, got "1"$/],
  [['grid', '--span', '0'], /^basin-atlas: --span must be a positive number up to 1000, got "0"$/],
];

/** Exit status 2, the one line on stderr, nothing on stdout. */
function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim()).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stdout).toBe('');
}

describe('bad input: exit status 2 and one clear line, no stack trace', () => {
  for (const [args, message] of cases) it(args.join(' '), async () => expectRefused(await inProcess(args), message));

  // the cases above run the command line in this process; the binary around it gives the same
  it('through the binary as well: a flag out of its range, an unknown command', async () => {
    const viaBinary = cases.filter(([args]) => ['train --lr -1', 'fly'].includes(args.join(' ')));
    expect(viaBinary).toHaveLength(2);
    for (const [args, message] of viaBinary) {
      const [r, here] = await Promise.all([cli(args), inProcess(args)]);
      expectRefused(r, message);
      expect(r).toEqual(here);
    }
  });

  const fileCases: [string, () => string[], RegExp][] = [
    [
      'a task file row of the wrong length',
      () => [
        'train',
        '--task',
        writeTemp(
          dir,
          'x.json',
          task({
            train: {
              x: [
                [0, 0, 0, 0, 0],
                [0, 0, 0, 0, 0],
                [0, 0, 0, 0, 0],
                [1, 2, 3, 4],
              ],
              y: [0, 0, 0, 0],
            },
          }),
        ),
      ],
      /^basin-atlas: task file .*x\.json: train\.x\[3\] has 4 values, expected 5$/,
    ],
    [
      'a task file label out of range',
      () => ['train', '--task', writeTemp(dir, 'y.json', task({ train: { x: [[0, 0, 0, 0, 0]], y: [2] } }))],
      /^basin-atlas: task file .*y\.json: train\.y\[0\] must be an integer class from 0 to 1, got 2$/,
    ],
    [
      'a task file that is not JSON',
      () => ['train', '--task', writeTemp(dir, 'bad.json', '{"name": ')],
      /^basin-atlas: task file .*bad\.json: not valid JSON/,
    ],
    [
      'a task file without probes',
      () => ['train', '--task', writeTemp(dir, 'np.json', task({ probes: {} }))],
      /^basin-atlas: task file .*np\.json: probes must be an object with at least one probe set/,
    ],
    [
      'a missing task file',
      () => ['train', '--task', '/tmp/does-not-exist.json'],
      /^basin-atlas: --task \/tmp\/does-not-exist\.json: no such file$/,
    ],
    [
      'a CSV with a bad header',
      () => ['train', '--train', writeTemp(dir, 'h.csv', 'a,b,y\n1,2,0'), '--probe', `p=${writeTemp(dir, 'p.csv', 'x0,x1,y\n1,2,0')}`],
      /^basin-atlas: task file .*h\.csv: header column 1 must be "x0", got "a"/,
    ],
    [
      'a CSV with a non-number',
      () => ['train', '--train', writeTemp(dir, 'n.csv', 'x0,y\n1,0\nabc,1'), '--probe', `p=${writeTemp(dir, 'p1.csv', 'x0,y\n1,0')}`],
      /^basin-atlas: task file .*n\.csv: line 3, column x0: "abc" is not a decimal number$/,
    ],
    [
      'an --init vector of the wrong length',
      () => ['train', '--init', writeTemp(dir, 'i.json', [1, 2, 3])],
      new RegExp(`^basin-atlas: --init .*i\\.json: the vector has 3 values, expected ${P} \\(the model's parameter count\\)$`),
    ],
    [
      'an --init list that disagrees with --particles',
      () => ['train', '--particles', '5', '--init', writeTemp(dir, 'i2.json', [new Array(P).fill(0), new Array(P).fill(1)])],
      /^basin-atlas: --init .*i2\.json holds 2 vectors but --particles is 5/,
    ],
    [
      '--d1 without --d2',
      () => ['grid', '--d1', writeTemp(dir, 'd.json', new Array(P).fill(0))],
      /^basin-atlas: --d1 and --d2 go together/,
    ],
    [
      '--through with two vectors',
      () => ['grid', '--through', writeTemp(dir, 't.json', [new Array(P).fill(0), new Array(P).fill(1)])],
      /^basin-atlas: --through .*t\.json: needs exactly 3 vectors, got 2$/,
    ],
    [
      'a --center with a non-number',
      () => ['grid', '--center', writeTemp(dir, 'c.json', [...new Array(P - 1).fill(0), 'x'])],
      new RegExp(`^basin-atlas: --center .*c\\.json: the vector\\[${P - 1}\\] must be a finite number, got "x"$`),
    ],
  ];
  for (const [name, args, message] of fileCases) {
    it(name, async () => {
      const r = await inProcess(args());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('diverging training is an outcome, not an error', async () => {
    const r = await cli(['train', '--particles', '8', '--steps', '30', '--lr', '10', '--wd', '100', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).counts.diverged).toBe(8);
  });
});
