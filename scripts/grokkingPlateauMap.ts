/**
 * Where does grokking's plateau appear? Trains the grokking preset over a small grid of two
 * settings, one `basin-atlas train --json` per cell (the CPU engine unless --engine says), and reads
 * each particle's curves with `grokkingPlateau` (src/core/verdicts/grokkingPlateau.ts): the step
 * the training pairs were fitted, the step held-out accuracy left chance, the step it reached 0.9,
 * and the plateau in fitting times. Prints a Markdown table per cell; --out keeps the JSON.
 *
 *   nice -n 10 npx tsx scripts/grokkingPlateauMap.ts --x wd=0.1,1 --y init-scale=1,3 --steps 3000
 *
 * An axis is FLAG=V1,V2,… with FLAG one of train's options without its dashes (wd, lr, init-scale,
 * hidden, …) or knob:NAME (knob:trainFraction, knob:p). Every other argument after `--` goes to
 * train as it is.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { grokkingPlateau, GROKKING_PLATEAU_MIN_RATIO, type GrokkingPlateau } from '../src/core/verdicts/grokkingPlateau';

interface Axis {
  readonly flag: string;
  readonly values: string[];
}

function fail(message: string): never {
  process.stderr.write(`grokkingPlateauMap: ${message}\n`);
  process.exit(2);
}

function parseAxis(name: string, text: string | undefined): Axis {
  const m = text?.match(/^([a-z][a-zA-Z0-9-]*|knob:[a-zA-Z]+)=([^=]+)$/);
  if (!m) fail(`--${name} must be FLAG=V1,V2,… (e.g. wd=0.1,1 or knob:trainFraction=0.3,0.6), got "${text ?? ''}"`);
  return { flag: m[1], values: m[2].split(',') };
}

const args = process.argv.slice(2);
const extra = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
const opt = (name: string, fallback?: string) => {
  const i = own.indexOf(`--${name}`);
  return i >= 0 ? own[i + 1] : fallback;
};
const x = parseAxis('x', opt('x'));
const y = parseAxis('y', opt('y'));
const steps = opt('steps', '3000')!;
const particles = opt('particles', '2')!;
const every = opt('record-every', '10')!;
const engine = opt('engine', 'cpu')!;
const out = opt('out');

const flagArgs = (a: Axis, v: string) => (a.flag.startsWith('knob:') ? ['--knob', `${a.flag.slice(5)}=${v}`] : [`--${a.flag}`, v]);

interface Cell {
  readonly x: string;
  readonly y: string;
  readonly seconds: number;
  readonly p: number;
  readonly particles: GrokkingPlateau[];
  /** each particle's held-out accuracy at the last recorded step */
  readonly finalHeldOut: number[];
}

interface TrainJson {
  config: { knobs: { p: number } };
  seconds: number;
  record: { steps: number[] };
  particles: { record: { train: { acc: number[] }; probes: { generalised: { acc: number[] } } } }[];
}

const cells: Cell[] = [];
for (const yv of y.values)
  for (const xv of x.values) {
    const cmd = [
      'bin/basin-atlas.js',
      'train',
      '--task',
      'grokking',
      '--engine',
      engine,
      '--particles',
      particles,
      '--steps',
      steps,
      '--record-every',
      every,
      ...flagArgs(x, xv),
      ...flagArgs(y, yv),
      ...extra,
      '--json',
    ];
    process.stderr.write(`${x.flag}=${xv} ${y.flag}=${yv}: basin-atlas ${cmd.slice(1).join(' ')}\n`);
    const r = spawnSync(process.execPath, cmd, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) fail(`train exited ${r.status} for ${x.flag}=${xv} ${y.flag}=${yv}`);
    const j = JSON.parse(r.stdout) as TrainJson;
    const p = j.config.knobs.p;
    cells.push({
      x: xv,
      y: yv,
      seconds: j.seconds,
      p,
      particles: j.particles.map((q) =>
        grokkingPlateau({ steps: j.record.steps, trainAcc: q.record.train.acc, heldOutAcc: q.record.probes.generalised.acc, classes: p }),
      ),
      finalHeldOut: j.particles.map((q) => q.record.probes.generalised.acc.at(-1) ?? NaN),
    });
  }

const list = (xs: (number | undefined)[]) => xs.map((v) => (v === undefined ? '—' : String(v))).join(', ');
const rows = cells.map((c) => {
  const ratios = c.particles.map((g) => (g.ratio === undefined ? '—' : `${g.ratioIsLowerBound ? '≥' : ''}${g.ratio.toFixed(1)}`));
  return `| ${c.x} | ${c.y} | ${list(c.particles.map((g) => g.fit))} | ${list(c.particles.map((g) => g.leaves))} | ${list(c.particles.map((g) => g.generalises))} | ${ratios.join(', ')} | ${c.finalHeldOut.map((a) => a.toFixed(2)).join(', ')} | ${c.particles.filter((g) => g.grokked).length} of ${c.particles.length} | ${Math.round(c.seconds)} |`;
});
process.stdout.write(
  [
    `grokking, ${steps} steps recorded every ${every}, ${particles} particle(s) a cell, ${engine} engine; plateau = steps from the fit to leaving chance (held-out > 2/p), in fitting times; grokked: fitted, plateau ≥ ${GROKKING_PLATEAU_MIN_RATIO}, then held-out ≥ 0.9`,
    '',
    `| ${x.flag} | ${y.flag} | fit (train ≥ 0.9) | leaves chance | held-out ≥ 0.9 | plateau (fitting times) | final held-out | grokked | s |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
if (out)
  writeFileSync(
    out,
    JSON.stringify({ x, y, steps: Number(steps), particles: Number(particles), every: Number(every), engine, extra, cells }, null, 1),
  );
