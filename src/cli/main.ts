import { Command, CommanderError } from 'commander';
import { parseField } from '../core/config';
import { COMMAND_SETTINGS } from '../core/runSettings';
import { clip, printableLines } from '../core/describe';
import type { Engine, RunOptions } from '../core/engine';
import { CancelledError, DeviceFailure, UserError, isUserError } from '../core/errors';
import { basinResult, gridResult, summariseOutcomes, trainResult } from '../core/results';
import { metricSets, MetricsView } from '../core/metricsView';
import { basinMap, gridPoint, lossMap, planeCoordinates, trainEnsemble, type EnsembleResult, type Run } from '../core/runs';
import { paramsFileText, paramsHeader } from '../core/paramsFile';
import { PRESETS } from '../core/tasks';
import { chooseEngine } from './engineChoice';
import { Interrupts, type SignalSource } from './interrupt';
import { checkOutputs, writeOutputs, type NamedFile, type StagedOutput } from './outputs';
import { readPlaneInputs, resolvePlane } from './plane';
import { ProgressBar } from './progress';
import { inputFileFields, inputFiles, resolveRun } from './resolve';
import { addCliOption, addPlaneOptions, addRunOptions, addSetting, type FlagValues } from './runOptions';
import { CheckedOutput, describeWriteError } from './stdout';
import { describeRun, deviceLine, outcomeTable, reachedLines, si } from './summary';
import { measureTrainExtras, trainExtraLines } from '../core/instruments/trainExtras';
import { parseTrainOutcome } from './commands/hypermap';
import { INSTRUMENT_COMMANDS } from './commands/instrumentCommands';
import { TRAINABILITY_WINDOW } from '../core/instruments/trainability/trainability';
import { OUTCOME_RULES } from '../core/instruments/registry';
import type { CommandContext } from './commands/context';
import { measuredEnsemble } from './measured';
import { mergeCommand } from './commands/merge';
import { doctorCommand } from './commands/doctor';
import { packageVersion } from '../node/packageVersion';
import { rangeText } from '../core/shards';

/** The files a command writes, with their flags. */
function outputFiles(raw: FlagValues): NamedFile[] {
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
  emit(raw: FlagValues, result: object, human: string, more?: readonly StagedOutput[]): void;
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

/** The --params-out file (core/paramsFile.ts) of these networks: the header of `run`, vector i as global particle `index(i)`. */
function paramsOut(run: Run, result: EnsembleResult, count: number, steps: number | null, index: (i: number) => number): Generator<string> {
  return paramsFileText(paramsHeader(run, steps), result.params, count, index, (i) => result.classes[result.outcomes[i]]);
}

async function withEngine(s: Session, raw: FlagValues): Promise<Engine> {
  s.engine = await chooseEngine(raw.engine, s.notice);
  return s.engine;
}

async function runTrain(s: Session, raw: FlagValues & { outcome?: string }): Promise<void> {
  const { run, init, shard } = await resolveRun(raw, undefined, s.interrupts.signal);
  const recordEvery = raw.recordEvery !== undefined ? parseField('recordEvery', raw.recordEvery) : undefined;
  const outcome = parseTrainOutcome(raw.outcome, run.config.steps);
  checkOutputs(outputFiles(raw), inputFiles(raw));
  const e = await withEngine(s, raw);
  const bar = new ProgressBar('training');
  const t0 = performance.now();
  // 'classes' (the default) is the task's own classification: no rule
  const rule = OUTCOME_RULES.find((r) => r.name === outcome);
  const result = await trainEnsemble(e, run, { init, recordEvery, outcome: rule, signal: s.interrupts.signal, onProgress: bar.update });
  bar.done();
  const seconds = (performance.now() - t0) / 1000;
  const extras = measureTrainExtras(run, result);
  const json = {
    ...trainResult(run, e.kind, e.device, seconds, result),
    ...extras,
    ...inputFileFields(raw),
    ...(shard ? { shard } : {}),
  };
  if (raw.paramsOut !== undefined)
    s.stage(
      { flag: '--params-out', path: raw.paramsOut },
      paramsOut(run, result, run.config.particles, run.config.steps, (i) => run.config.firstParticle + i),
    );
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

async function runPlaneCommand(s: Session, raw: FlagValues, kind: 'grid' | 'basin'): Promise<void> {
  const res = raw.res !== undefined ? parseField('res', raw.res) : 64;
  const span = raw.span !== undefined ? parseField('span', raw.span) : 1;
  // a grid trains its centre (one particle, unless --center or --through gives it); a basin map res² particles
  const { run, init } = await resolveRun(raw, kind === 'grid' ? 1 : res * res, s.interrupts.signal);
  if (kind === 'grid' && raw.paramsOut !== undefined) throw new UserError('--params-out applies to train and basin');
  const planeInputs = await readPlaneInputs(raw, run, span, s.interrupts.signal);
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
  if (raw.paramsOut !== undefined)
    s.stage(
      { flag: '--params-out', path: raw.paramsOut },
      paramsOut(basinRun, result, res * res, run.config.steps, (i) => i),
    );
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
      s.stage(
        { flag: '--params-out', path: raw.paramsOut },
        paramsOut(
          resolved.run,
          result,
          resolved.run.config.particles,
          raw.params !== undefined ? null : resolved.run.config.steps,
          (i) => resolved.run.config.firstParticle + i,
        ),
      );
    return result;
  },
});

/** A measurement subcommand: the run flags, and --params / --params-out for the networks it measures. */
function addMeasureCommand(program: Command, name: string, description: string): Command {
  const cmd = addCliOption(addRunOptions(program.command(name).description(description)), 'params');
  return addCliOption(cmd, 'paramsOut', 'write the measured parameter vectors as a parameters file (docs/cli.md#parameters-files)');
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
  const train = addRunOptions(program.command('train').description('train many particles and count which algorithm each converged to'));
  addCliOption(train, 'shard', 'train slice i of n of the particles, counted from 0 (0/3, 1/3, 2/3); combine the results with merge');
  addCliOption(train, 'paramsOut');
  addSetting(train, COMMAND_SETTINGS.recordEvery)
    .option(
      '--outcome <kind>',
      `classes (default) or trainability: converged or diverged by the loss over the last ${TRAINABILITY_WINDOW} steps (as hypermap counts it)`,
    )
    .action((raw: FlagValues & { outcome?: string }) => runTrain(s, raw));
  mergeCommand(program, s.emit);
  doctorCommand(program, s.stdout.write, s.io.env);
  addPlaneOptions(
    addRunOptions(program.command('grid').description('loss and accuracy over a 2-D plane of parameter space')),
    'particle 0 after training',
  ).action((raw: FlagValues) => runPlaneCommand(s, raw, 'grid'));
  const basin = addPlaneOptions(
    addRunOptions(program.command('basin').description('train every grid point of a plane and colour it by outcome')),
    "particle 0's initialisation",
  );
  addCliOption(basin, 'paramsOut').action((raw: FlagValues) => runPlaneCommand(s, raw, 'basin'));
  for (const c of INSTRUMENT_COMMANDS) {
    const cmd = c.measures ? addMeasureCommand(program, c.name, c.summary) : addRunOptions(program.command(c.name).description(c.summary));
    c.options(cmd).action((raw: FlagValues) => c.run(raw, context));
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
