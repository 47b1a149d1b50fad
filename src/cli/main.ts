import { Command, CommanderError } from 'commander';
import { NUMBER_FIELDS, describeRange, DEFAULT_CONFIG, parseField } from '../core/config';
import { clip, printableLines } from '../core/describe';
import type { Engine, RunOptions } from '../core/engine';
import { CancelledError, DeviceFailure, UserError, isUserError } from '../core/errors';
import { basinResult, gridResult, list, summariseOutcomes, trainResult } from '../core/results';
import { metricSets, MetricsView } from '../core/metricsView';
import { basinMap, gridPoint, lossMap, planeCoordinates, trainEnsemble } from '../core/runs';
import { PRESETS } from '../core/tasks';
import { chooseEngine, ENGINES } from './engineChoice';
import { Interrupts, type SignalSource } from './interrupt';
import { checkOutputs, writeOutputs, type NamedFile, type StagedOutput } from './outputs';
import { readPlaneInputs, resolvePlane } from './plane';
import { ProgressBar } from './progress';
import { inputFileFields, inputFiles, resolveRun, type RawOptions } from './resolve';
import { CheckedOutput, describeWriteError } from './stdout';
import { describeRun, deviceLine, outcomeTable, reachedLines, si } from './summary';
import { measureTrainExtras, trainExtraLines } from '../core/instruments/trainExtras';
import { ACTIVATIONS, OPTIMIZERS } from '../core/layout';
import { INIT_DISTS } from '../core/init';
import { parseTrainOutcome } from './commands/hypermap';
import { INSTRUMENT_COMMANDS } from './commands/instrumentCommands';
import { TRAINABILITY_WINDOW } from '../core/instruments/trainability/trainability';
import type { CommandContext } from './commands/context';
import { measuredEnsemble } from './measured';
import { mergeCommand } from './commands/merge';
import { doctorCommand } from './commands/doctor';
import { packageVersion } from '../node/packageVersion';
import { rangeText } from '../core/shards';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const range = (field: keyof typeof NUMBER_FIELDS) => describeRange(NUMBER_FIELDS[field]);

function addRunOptions(cmd: Command): Command {
  const d = DEFAULT_CONFIG;
  return cmd
    .option('--task <name|file>', `built-in task (${PRESETS.map((p) => p.name).join(', ')}) or a JSON task file (default ${d.task})`)
    .option('--train <file.csv>', 'training set as CSV with header x0,...,x{d-1},y (instead of --task)')
    .option('--probe <NAME=file.csv>', 'a probe set as CSV, one per hypothesis (repeatable, with --train)', collect)
    .option('--knob <NAME=VALUE>', 'a knob of the built-in task, e.g. salience=1.2 (repeatable; see `basin-atlas tasks`)', collect)
    .option('--hidden <widths>', `hidden layer widths, comma-separated, e.g. 16,16 (default ${d.hidden.join(',')})`)
    .option('--act <name>', `activation: ${ACTIVATIONS.join(', ')} (default ${d.activation})`)
    .option('--no-bias', 'layers without bias parameters (weights only; PyTorch nn.Linear(bias=False))')
    .option('--opt <name>', `optimizer: ${OPTIMIZERS.join(', ')} (default ${d.optimizer}; task presets may differ)`)
    .option('--lr <number>', `learning rate, ${range('lr')} (default ${d.lr})`)
    .option(
      '--lr-layer <K=MULT>',
      `multiply the learning rate of layer K (from 0) by MULT, ${range('lrScale')} (repeatable; default 1 for every layer)`,
      collect,
    )
    .option('--momentum <number>', `momentum coefficient for --opt momentum, ${range('momentum')} (default ${d.momentum})`)
    .option('--beta1 <number>', `Adam's β₁ for --opt adam and adamw, ${range('beta1')} (default ${d.beta1})`)
    .option('--beta2 <number>', `Adam's β₂ for --opt adam and adamw, ${range('beta2')} (default ${d.beta2})`)
    .option('--batch <n|full>', `minibatch size, drawn with replacement, or "full" (default ${d.batch})`)
    .option('--steps <n>', `optimizer steps per particle, ${range('steps')} (default ${d.steps})`)
    .option(
      '--wd <number>',
      `weight decay, ${range('weightDecay')}: L2 added to the gradient, decoupled for adamw (default ${d.weightDecay})`,
    )
    .option('--init-scale <number>', `multiplier on PyTorch's default init, ${range('initScale')} (default ${d.initScale})`)
    .option(
      '--init-dist <name>',
      `init distribution: ${INIT_DISTS.join(', ')} (default: uniform ±1/√fan_in as PyTorch; gaussian: N(0, 1/fan_in) weights, N(0, 1) biases; presets may differ)`,
    )
    .option('--particles <n>', `particles (independent training runs), ${range('particles')} (default ${d.particles})`)
    .option('--seed <n>', `init seed, ${range('seed')} (default ${d.seed})`)
    .option('--noise-seed <n>', `noise (minibatch) seed, ${range('noiseSeed')} (default ${d.noiseSeed})`)
    .option('--first-particle <k>', 'global index of the first particle, to split a sweep across machines (default 0)')
    .option('--init <file.json>', 'starting parameters: one flat vector (for every particle) or a list of them')
    .option('--init-index <i>', "every particle starts from global particle i's init of --seed (its noise stream stays its own)")
    .option('--train-threshold <number>', `training accuracy below which a particle is "unconverged" (default ${d.thresholds.train})`)
    .option('--probe-threshold <number>', `probe accuracy a hypothesis needs to win (default ${d.thresholds.probe})`)
    .option('--engine <name>', `${ENGINES.join(' | ')}: auto uses a GPU adapter when one exists, else the CPU engine (default auto)`)
    .option('--out <file.json>', 'write the results as JSON')
    .option('--json', 'print the results as JSON on stdout');
}

function addPlaneOptions(cmd: Command, defaultCenter: string): Command {
  return cmd
    .option('--res <n>', `grid points per side, ${range('res')} (default 64)`)
    .option('--span <number>', 'coordinates run from -span to span along both directions (default 1)')
    .option('--center <file.json>', `the plane's centre, a flat vector (default ${defaultCenter})`)
    .option('--d1 <file.json>', 'first direction, used exactly as given (default: random, filter-normalised)')
    .option('--d2 <file.json>', 'second direction, used exactly as given')
    .option('--through <file.json>', 'three vectors [a, b, c]: the plane with a at (0,0), b at (1,0), c at (0,1)')
    .option('--plane-seed <n>', 'seed of the random directions (default: the init seed)');
}

/** The files a command writes, with their flags. */
function outputFiles(raw: RawOptions): NamedFile[] {
  const files: NamedFile[] = [];
  if (raw.out !== undefined) files.push({ flag: '--out', path: raw.out });
  if (raw.paramsOut !== undefined) files.push({ flag: '--params-out', path: raw.paramsOut });
  return files;
}

/**
 * What a run of the command line is given of the process it runs in. The binary gives it the
 * real one (src/cli/entry.ts); the tests give it collecting streams and signals of their own.
 */
export interface CommandLineIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** where SIGINT, SIGTERM and SIGHUP arrive */
  signals: SignalSource;
  /** ends the process at once: a second Ctrl-C */
  exit(code: number): void;
  env: NodeJS.ProcessEnv;
  ppid(): number;
}

/** One run of the command line: where its output goes, what stops it, and the engine it started. */
interface Session {
  io: CommandLineIo;
  /** Every message is one line of bounded length, whatever the user's input quoted in it. */
  notice(line: string): void;
  stdout: CheckedOutput;
  interrupts: Interrupts;
  engine?: Engine;
  /** an output made before the results (--params-out), written with them by emit */
  stage(file: NamedFile, chunks: Iterable<string | Uint8Array>): void;
  /** writes the staged outputs, `more` and --out together (all or none), then prints the results */
  emit(raw: RawOptions, result: object, human: string, more?: readonly StagedOutput[]): void;
}

function session(io: CommandLineIo): Session {
  const notice = (line: string) => void io.stderr.write(`basin-atlas: ${clip(line, 1000)}\n`);
  const stdout = new CheckedOutput(io.stdout);
  const staged: StagedOutput[] = [];
  return {
    io,
    notice,
    stdout,
    interrupts: new Interrupts(notice, io.exit, io.signals),
    stage: (file, chunks) => void staged.push({ file, chunks }),
    emit(raw, result, human, more = []) {
      const out = raw.out !== undefined ? [{ file: { flag: '--out', path: raw.out }, chunks: [JSON.stringify(result)] }] : [];
      const outputs = [...staged.splice(0), ...more, ...out];
      if (outputs.length > 0) writeOutputs(outputs);
      if (raw.json) stdout.write(`${JSON.stringify(result)}\n`);
      else stdout.write(`${printableLines(human)}\n`);
    },
  };
}

/** The final parameter vectors as a JSON list, in pieces of about a megabyte: the whole may exceed one string. */
function* paramsList(params: Float32Array, count: number): Generator<string> {
  const p = params.length / count;
  let piece = '[';
  for (let i = 0; i < count; i++) {
    piece += `${i > 0 ? ',' : ''}${JSON.stringify(list(params.subarray(i * p, (i + 1) * p)))}`;
    if (piece.length > 1 << 20) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}]`;
}

async function withEngine(s: Session, raw: RawOptions): Promise<Engine> {
  s.engine = await chooseEngine(raw.engine, s.notice);
  return s.engine;
}

async function runTrain(s: Session, raw: RawOptions & { outcome?: string }): Promise<void> {
  const { run, init, shard } = resolveRun(raw);
  const recordEvery = raw.recordEvery !== undefined ? parseField('recordEvery', raw.recordEvery) : undefined;
  const outcome = parseTrainOutcome(raw.outcome, run.config.steps);
  checkOutputs(outputFiles(raw), inputFiles(raw));
  const e = await withEngine(s, raw);
  const bar = new ProgressBar('training');
  const t0 = performance.now();
  const result = await trainEnsemble(e, run, { init, recordEvery, outcome, signal: s.interrupts.signal, onProgress: bar.update });
  bar.done();
  const seconds = (performance.now() - t0) / 1000;
  const extras = measureTrainExtras(run, result);
  const json = {
    ...trainResult(run, e.kind, e.device, seconds, result),
    ...extras,
    ...inputFileFields(raw),
    ...(shard ? { shard } : {}),
  };
  if (raw.paramsOut !== undefined) s.stage({ flag: '--params-out', path: raw.paramsOut }, paramsList(result.params, run.config.particles));
  const rate = `${si((run.config.particles * run.config.steps) / seconds)} particle-steps/s`;
  s.emit(
    raw,
    json,
    [
      describeRun(
        run,
        shard
          ? `shard ${shard.index}/${shard.count}: particles ${rangeText(shard.first, shard.first + shard.size)} of ${shard.total}`
          : `${run.config.particles} particles`,
      ),
      deviceLine(e.kind, e.device, seconds, rate),
      outcomeTable(summariseOutcomes(result.classes, result.outcomes)),
      ...(json.record ? [reachedLines(json.record.every, json.record.reachedAt, json.particles)] : []),
      ...trainExtraLines(extras),
    ].join('\n'),
  );
}

async function runPlaneCommand(s: Session, raw: RawOptions, kind: 'grid' | 'basin'): Promise<void> {
  const res = raw.res !== undefined ? parseField('res', raw.res) : 64;
  const span = raw.span !== undefined ? parseField('span', raw.span) : 1;
  // a grid trains its centre (one particle, unless --center or --through gives it); a basin map res² particles
  const { run, init } = resolveRun(raw, kind === 'grid' ? 1 : res * res);
  if (kind === 'grid' && raw.paramsOut !== undefined) throw new UserError('--params-out applies to train and basin');
  const planeInputs = readPlaneInputs(raw, run, span);
  checkOutputs(outputFiles(raw), inputFiles(raw));
  const e = await withEngine(s, raw);
  const t0 = performance.now();
  const options: RunOptions = { signal: s.interrupts.signal };
  const centerBar = new ProgressBar('training the centre');
  const { plane, description } = await resolvePlane(planeInputs, raw, run, init, kind, e, { ...options, onProgress: centerBar.update });
  centerBar.done();
  const grid = planeCoordinates(res, span);
  const bar = new ProgressBar(kind === 'grid' ? 'loss map' : 'basin map');
  if (kind === 'grid') {
    const metrics = await lossMap(e, run, plane, grid, { ...options, onProgress: bar.update });
    bar.done();
    const seconds = (performance.now() - t0) / 1000;
    const json = { ...gridResult(run, e.kind, e.device, seconds, plane, grid, description, metrics), ...inputFileFields(raw) };
    const m = new MetricsView(metrics, metricSets(run.task));
    let best = 0;
    let nonFinite = 0;
    for (let k = 0; k < m.count; k++) {
      if (!(m.loss(k) >= m.loss(best))) best = k;
      if (!Number.isFinite(m.loss(k))) nonFinite++;
    }
    if (nonFinite > 0)
      s.notice(`${nonFinite} of ${m.count} grid points have a non-finite loss (null in the results): the plane reaches past float32`);
    const lowest = gridPoint(grid, best);
    const centre = Math.floor(res / 2) * res + Math.floor(res / 2);
    s.emit(
      raw,
      json,
      [
        describeRun(run, `loss map ${res}×${res}, span ±${span}, centre: ${description.origin}`),
        deviceLine(e.kind, e.device, seconds, `${si((res * res) / seconds)} points/s`),
        `  train loss at the centre ${m.loss(centre).toFixed(4)}, lowest ${m.loss(best).toFixed(4)} at (α, β) = (${lowest.alpha.toFixed(3)}, ${lowest.beta.toFixed(3)})`,
      ].join('\n'),
    );
    return;
  }
  const result = await basinMap(e, run, plane, grid, { ...options, onProgress: bar.update });
  bar.done();
  const seconds = (performance.now() - t0) / 1000;
  const basinRun = { ...run, config: { ...run.config, particles: res * res } };
  const json = { ...basinResult(basinRun, e.kind, e.device, seconds, plane, grid, description, result), ...inputFileFields(raw) };
  if (raw.paramsOut !== undefined) s.stage({ flag: '--params-out', path: raw.paramsOut }, paramsList(result.params, res * res));
  s.emit(
    raw,
    json,
    [
      describeRun(basinRun, `basin map ${res}×${res} = ${res * res} particles, span ±${span}, centre: ${description.origin}`),
      deviceLine(e.kind, e.device, seconds, `${si((res * res * run.config.steps) / seconds)} particle-steps/s`),
      outcomeTable(summariseOutcomes(result.classes, result.outcomes)),
    ].join('\n'),
  );
}

/** What the measurement subcommands (src/cli/commands/) get of this command line. */
const commandContext = (s: Session): CommandContext => ({
  checkOutputs: (raw) => checkOutputs(outputFiles(raw), inputFiles(raw)),
  withEngine: (raw) => withEngine(s, raw),
  signal: s.interrupts.signal,
  emit: s.emit,
  async ensemble(raw, resolved, e, options) {
    const result = await measuredEnsemble(raw, resolved, e, options);
    if (raw.paramsOut !== undefined)
      s.stage({ flag: '--params-out', path: raw.paramsOut }, paramsList(result.params, resolved.run.config.particles));
    return result;
  },
});

/** A measurement subcommand: the run flags, and --params / --params-out for the networks it measures. */
function addMeasureCommand(program: Command, name: string, description: string): Command {
  return addRunOptions(program.command(name).description(description))
    .option('--params <file.json>', 'measure these networks (a list of flat vectors, as --params-out writes) instead of training')
    .option('--params-out <file.json>', 'write the measured parameter vectors as a JSON list');
}

function listTasks(stdout: CheckedOutput): void {
  for (const p of PRESETS) {
    stdout.write(`${p.name.padEnd(12)}${p.summary}\n`);
    const knobs = Object.entries(p.knobs)
      .map(([k, s]) => `${k}=${s.default}`)
      .join(' ');
    stdout.write(`${''.padEnd(12)}knobs: ${knobs}\n`);
  }
  stdout.write('\nOr bring your own: --task FILE.json, or --train FILE.csv --probe NAME=FILE.csv (see docs/tasks.md).\n');
}

function buildProgram(s: Session): Command {
  const context = commandContext(s);
  const program = new Command('basin-atlas')
    .description('Train thousands of small networks on the GPU and see which algorithm each one learned.')
    .exitOverride()
    .configureOutput({ writeOut: s.stdout.write, outputError: () => {} })
    .showSuggestionAfterError(false)
    .version(packageVersion(), '--version', 'print the version (`basin-atlas doctor` says which engine and adapter a run would use)');
  program
    .command('tasks')
    .description('list the built-in tasks')
    .action(() => listTasks(s.stdout));
  addRunOptions(program.command('train').description('train many particles and count which algorithm each converged to'))
    .option('--shard <i/n>', 'train slice i of n of the particles, counted from 0 (0/3, 1/3, 2/3); combine the results with merge')
    .option('--params-out <file.json>', 'write the final parameter vectors as a JSON list')
    .option(
      '--record-every <k>',
      `record every particle's metrics every k steps, ${range('recordEvery')}: curves and the step each set reached the probe threshold`,
    )
    .option(
      '--outcome <kind>',
      `classes (default) or trainability: converged or diverged by the loss over the last ${TRAINABILITY_WINDOW} steps (as hypermap counts it)`,
    )
    .action((raw: RawOptions & { outcome?: string }) => runTrain(s, raw));
  mergeCommand(program, s.emit);
  doctorCommand(program, s.stdout.write, s.io.env);
  addPlaneOptions(
    addRunOptions(program.command('grid').description('loss and accuracy over a 2-D plane of parameter space')),
    'particle 0 after training',
  ).action((raw: RawOptions) => runPlaneCommand(s, raw, 'grid'));
  addPlaneOptions(
    addRunOptions(program.command('basin').description('train every grid point of a plane and colour it by outcome')),
    "particle 0's initialisation",
  )
    .option('--params-out <file.json>', 'write the final parameter vectors as a JSON list')
    .action((raw: RawOptions) => runPlaneCommand(s, raw, 'basin'));
  for (const c of INSTRUMENT_COMMANDS) {
    const cmd = c.measures ? addMeasureCommand(program, c.name, c.summary) : addRunOptions(program.command(c.name).description(c.summary));
    c.options(cmd).action((raw: RawOptions) => c.run(raw, context));
  }
  return program;
}

/**
 * `--lr --steps 5`: commander takes "--steps" as the learning rate and then finds "5" left over
 * ("too many arguments"). Any flag that takes a value and is followed by another flag is missing
 * its value: said so, for every such flag at once.
 */
function checkFlagValues(program: Command, argv: string[]): void {
  const command = program.commands.find((c) => c.name() === argv[0]);
  if (!command) return;
  const takesValue = new Set(command.options.filter((o) => o.required || o.optional).map((o) => o.long));
  for (let i = 1; i < argv.length && argv[i] !== '--'; i++) {
    if (!takesValue.has(argv[i])) continue;
    const next = argv[i + 1];
    if (next?.startsWith('--')) throw new UserError(`${argv[i]} needs a value, got the flag ${clip(next, 40)}`);
    i++;
  }
}

async function main(s: Session, argv: string[]): Promise<number> {
  const { io, notice, interrupts } = s;
  // npx: see Interrupts.watchParent
  if (io.env.npm_lifecycle_event !== undefined) interrupts.watchParent(io.ppid);
  try {
    const program = buildProgram(s);
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    checkFlagValues(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      notice(e.message.replace(/^error: /, ''));
      return 2;
    }
    if (isUserError(e)) {
      notice(e.message);
      return 2;
    }
    if (e instanceof DeviceFailure) {
      notice(`${e.message}; run the command again, or use --engine cpu`);
      return 1;
    }
    if (e instanceof CancelledError) {
      notice('cancelled');
      return interrupts.exitCode;
    }
    notice(`internal error: ${(e as Error).message ?? e}${io.env.BASIN_ATLAS_DEBUG ? '' : ' (set BASIN_ATLAS_DEBUG=1 for a stack trace)'}`);
    if (io.env.BASIN_ATLAS_DEBUG) io.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  } finally {
    s.engine?.dispose();
  }
}

/**
 * The command line as a function: runs `argv` (the arguments after the command's name) and
 * resolves to the exit status. The basin-atlas binary is this, given the real process
 * (src/cli/entry.ts). Its output, its messages, the signals that stop it and a second signal's
 * exit go through `io`; only the progress bars write to the process's stderr, when a terminal.
 */
export async function runCommandLine(argv: string[], io: CommandLineIo): Promise<number> {
  const s = session(io);
  let code = await main(s, argv);
  // results that did not reach stdout are a failure, said on stderr, not a silent exit 0
  const failed = await s.stdout.finish();
  if (failed) {
    s.notice(`cannot write the results to standard output (${describeWriteError(failed)})`);
    if (code === 0) code = 1;
  }
  return code;
}
