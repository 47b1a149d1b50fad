import { existsSync } from 'node:fs';
import {
  DEFAULT_CONFIG,
  checkModelSize,
  checkParticleRange,
  MAX_PARTICLES,
  parseBatch,
  parseNumber,
  parseLrScales,
  type RunConfig,
} from '../core/config';
import { setting, SETTING_KEYS, withSetting, type FlagValue, type SettingContext } from '../core/runSettings';
import { UserError } from '../core/errors';
import { paramCount } from '../core/layout';
import { paramsModel } from '../core/paramsFile';
import { makeRun, repeatVector, type Run } from '../core/runs';
import { initEnsemble } from '../core/init';
import { taskOutputs, type Task } from '../core/task';
import { checkCsvProbes, csvProbeSource, parseTaskJson, taskFromCsvTables } from '../core/taskFile';
import type { CsvTable } from '../core/csvTable';
import { clip, quote } from '../core/describe';
import { PRESETS, defaultKnobs, findKnob, findPreset } from '../core/tasks';
import { readCsvTable, readTextAsync, readVectors } from './files';
import { mib } from '../core/taskFile';
import { ensureDigitImages } from '../node/nodeDigitImages';
import { ensureMnistImages } from '../node/nodeMnistImages';
import type { NamedFile } from './outputs';
import { parseShard, shardRecord, type ShardRecord } from '../core/shards';
import { attributeName, type FlagValues } from './runOptions';

export type { FlagValues };

/** "NAME=VALUE" → [NAME, VALUE] */
function splitPair(flag: string, text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) throw new UserError(`${flag} must look like NAME=VALUE, got ${quote(text)}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** --probe NAME=FILE pairs by name: a Map, so a name like "__proto__" or "constructor" is just a name. */
function probeFiles(raw: FlagValues): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of raw.probe ?? []) {
    const [name, file] = splitPair('--probe', p);
    if (files.has(name)) throw new UserError(`--probe ${clip(name, 40)} is given twice`);
    files.set(name, file);
  }
  return files;
}

/** Every input file the flags name, with its flag: outputs must not replace any of them. */
export function inputFiles(raw: FlagValues): NamedFile[] {
  const files: NamedFile[] = [];
  const add = (flag: string, path: string | undefined) => path !== undefined && files.push({ flag, path });
  if (raw.task !== undefined && !findPreset(raw.task)) add('--task', raw.task);
  add('--train', raw.train);
  for (const [name, path] of probeFiles(raw)) add(`--probe ${name}`, path);
  add('--init', raw.init);
  add('--params', raw.params);
  add('--center', raw.center);
  add('--d1', raw.d1);
  add('--d2', raw.d2);
  add('--through', raw.through);
  return files;
}

/** The input files results record beside `config` (which holds the task file's path). */
export function inputFileFields(raw: FlagValues): { initFile?: string; paramsFile?: string; probeFiles?: Record<string, string> } {
  return {
    ...(raw.init !== undefined ? { initFile: raw.init } : {}),
    // the measured networks came from this file: nothing was trained
    ...(raw.params !== undefined ? { paramsFile: raw.params } : {}),
    ...(raw.probe?.length ? { probeFiles: Object.fromEntries(probeFiles(raw)) } : {}),
  };
}

/**
 * The most a JSON task file may hold on the command line: JSON.parse reads a file whole, in one
 * step nothing can interrupt, so it is kept to what parses in well under a second (65,536 rows
 * of 31 inputs). Bigger tasks are CSV files, which are parsed as they are read.
 */
export const MAX_TASK_JSON_BYTES = 32 * 2 ** 20;

async function loadTask(raw: FlagValues, signal?: AbortSignal): Promise<{ task: Task; presetDefaults: Partial<RunConfig> }> {
  if (raw.train !== undefined) {
    if (raw.task !== undefined) throw new UserError('--task and --train: give a task name/file or CSV files, not both');
    if (raw.knob?.length) throw new UserError('--knob applies to built-in tasks only');
    const files = Object.fromEntries(probeFiles(raw));
    const names = checkCsvProbes(raw.train, Object.keys(files));
    // one file after another, each parsed as it is read: a stop is honoured between chunks
    const train = await readCsvTable('--train', raw.train, raw.train, signal);
    const probes = new Map<string, CsvTable>();
    for (const name of names) probes.set(name, await readCsvTable(`--probe ${name}`, files[name], csvProbeSource(name, files), signal));
    return { task: taskFromCsvTables(train, probes, raw.train, files), presetDefaults: {} };
  }
  if (raw.probe?.length) throw new UserError('--probe needs --train FILE.csv');
  const name = raw.task ?? DEFAULT_CONFIG.task;
  const preset = findPreset(name);
  if (preset) {
    const knobs = defaultKnobs(preset);
    for (const k of raw.knob ?? []) {
      const [key, value] = splitPair('--knob', k);
      const spec = findKnob(preset, key);
      if (!spec)
        throw new UserError(
          `--knob ${clip(key, 40)}: ${preset.name} has no such knob; its knobs are ${Object.keys(preset.knobs).join(', ')}`,
        );
      knobs[key] = parseNumber(spec, value);
    }
    if (preset.needsDigitImages) ensureDigitImages();
    if (preset.needsMnistImages) ensureMnistImages();
    return { task: preset.build(knobs), presetDefaults: preset.defaults };
  }
  if (name.toLowerCase().endsWith('.json') || existsSync(name)) {
    if (raw.knob?.length) throw new UserError('--knob applies to built-in tasks only');
    const why = `a JSON task file may hold up to ${mib(MAX_TASK_JSON_BYTES)} (it is parsed whole); give a bigger task as CSV files (--train, --probe), which are parsed as they are read`;
    const text = await readTextAsync('--task', name, signal, { bytes: MAX_TASK_JSON_BYTES, why });
    return { task: parseTaskJson(text, name), presetDefaults: {} };
  }
  throw new UserError(`--task must be one of ${PRESETS.map((p) => p.name).join(', ')}, or a .json task file, got ${quote(name)}`);
}

/**
 * The run settings the flags give, each checked by the settings table's rule (in the table's
 * order: a setting's check may read those above it, as --lr-layer reads --hidden's layers) and
 * laid over `config` (the defaults and the preset's). A flag not given keeps the value beneath.
 */
function applySettingFlags(raw: FlagValues, base: RunConfig, trainRows: number): RunConfig {
  const values = raw as Record<string, FlagValue | undefined>;
  let config = base;
  const ctx: SettingContext = {
    trainRows,
    get layers() {
      return config.hidden.length + 1;
    },
  };
  for (const key of SETTING_KEYS) {
    const s = setting(key);
    const value = values[attributeName(s.flag)];
    // commander gives an on/off flag (--no-bias) its "on" when it is not given
    if (value === undefined || (s.kind === 'switch' && value === true)) continue;
    const parsed = s.fromFlag ? s.fromFlag(value, ctx) : s.parse(String(value), 'flag', ctx);
    config = withSetting(config, key, parsed);
  }
  return config;
}

export interface Resolved {
  run: Run;
  /** with --shard: the slice of the run's particles this run trains (run.config holds its first and size) */
  shard?: ShardRecord;
  /** starting parameters from --init, already expanded to one vector per particle */
  init?: Float32Array;
}

/**
 * Validates every flag and file and returns the fully resolved run, or throws one UserError.
 * `trains`: how many particles the command trains from --first-particle on, where that is not the
 * run's particle count (grid trains its centre, 1; basin its grid, res²): the index range is
 * checked against what will run. Files are read asynchronously: `signal` (a Ctrl-C) stops the
 * reading between chunks with CancelledError.
 */
export async function resolveRun(raw: FlagValues, trains?: number, signal?: AbortSignal): Promise<Resolved> {
  const { task, presetDefaults } = await loadTask(raw, signal);
  const base: RunConfig = {
    ...DEFAULT_CONFIG,
    ...presetDefaults,
    task: raw.train ?? raw.task ?? DEFAULT_CONFIG.task,
    knobs: { ...task.params },
  };
  const config = applySettingFlags(raw, base, task.train.rows);
  // what the flags left at their defaults, fitted to this task's network and data
  if (raw.lrLayer === undefined) config.lrScale = parseLrScales([], config.hidden.length + 1);
  if (raw.batch === undefined)
    config.batch = parseBatch(String(config.batch === 'full' ? 'full' : Math.min(config.batch, task.train.rows)), task.train.rows);
  checkModelSize(config.hidden, task.inputs, taskOutputs(task), 'flag', raw.hidden === undefined, config.bias);
  const run = makeRun(config, task);

  if (raw.initIndex !== undefined) {
    if (raw.init !== undefined)
      throw new UserError('--init and --init-index: give starting parameters from a file or from a particle index, not both');
    const index = parseNumber({ flag: '--init-index', label: 'init index', integer: true, min: 0, max: MAX_PARTICLES - 1 }, raw.initIndex);
    // a shard of such a run is its slice like any other: every particle still starts from that one init
    const shard = applyShard(raw, config);
    checkParticleRange(config.firstParticle, trains ?? config.particles);
    // every particle starts where global particle `index` of --seed starts: its noise stream stays its own
    const init = repeatVector(initEnsemble(run.layout, config.seed, index, 1, config.initScale, config.initDist), config.particles);
    return { run: makeRun(config, task), init, ...(shard ? { shard } : {}) };
  }
  if (raw.init === undefined) {
    const shard = applyShard(raw, config);
    checkParticleRange(config.firstParticle, trains ?? config.particles);
    return { run: makeRun(config, task), ...(shard ? { shard } : {}) };
  }
  const p = paramCount(run.layout);
  const vectors = await readVectors('--init', raw.init, paramsModel(run.layout), MAX_PARTICLES, signal);
  if (vectors.length > 1) {
    if (raw.particles !== undefined && config.particles !== vectors.length) {
      throw new UserError(
        `--init ${raw.init} holds ${vectors.length} vectors but --particles is ${config.particles}: give one vector (used for every particle) or one per particle`,
      );
    }
    config.particles = vectors.length;
  }
  // only now is the particle count known: --init may have set it
  const shard = applyShard(raw, config, vectors.length > 1 ? `the vectors in --init ${raw.init}` : '--particles');
  checkParticleRange(config.firstParticle, trains ?? config.particles);
  const init = new Float32Array(config.particles * p);
  // a shard of a list of vectors starts from its own slice of them
  const from = shard?.first ?? 0;
  for (let i = 0; i < config.particles; i++) init.set(vectors[vectors.length === 1 ? 0 : from + i], i * p);
  return { run: makeRun(config, task), init, ...(shard ? { shard } : {}) };
}

/**
 * Commands that choose their own particles (decompose, hypermap, prior) refuse the run flags that
 * would choose them, by name: "`command` takes no --flag: `reason`", the reason saying how they choose.
 */
export function refuseParticleFlags(raw: FlagValues, command: string, reason: string): void {
  for (const [flag, given] of [
    ['--particles', raw.particles],
    ['--first-particle', raw.firstParticle],
    ['--init', raw.init],
    ['--init-index', raw.initIndex],
  ] as const) {
    if (given !== undefined) throw new UserError(`${command} takes no ${flag}: ${reason}`);
  }
}

/**
 * --shard i/n: the run becomes its slice i of n (shardRange's rule), with the particles' global
 * indices; config.firstParticle and config.particles then say which slice ran.
 */
function applyShard(raw: FlagValues, config: RunConfig, source = '--particles'): ShardRecord | undefined {
  if (raw.shard === undefined) return undefined;
  if (raw.firstParticle !== undefined)
    throw new UserError(
      '--shard and --first-particle cannot be combined: --shard i/n sets the first particle itself (where slice i of n begins), and an offset on top would train particles outside the run; give one or the other',
    );
  const total = config.particles;
  const record = shardRecord(total, parseShard('--shard', raw.shard, total, `the run's ${total} particles (${source})`));
  config.firstParticle = record.first;
  config.particles = record.size;
  return record;
}
