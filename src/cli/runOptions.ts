import type { Command } from 'commander';
import { DEFAULT_CONFIG } from '../core/config';
import { COMMAND_SETTINGS, RUN_SETTINGS, settingHelp } from '../core/runSettings';
import { PRESETS } from '../core/tasks';
import { ENGINES } from './engineChoice';

/**
 * The command line's options, from the settings table (src/core/runSettings.ts) and, for the
 * flags that name files and outputs rather than settings, from CLI_OPTIONS below. Commander's
 * options are added from these tables and the values it hands a command are typed from them
 * (FlagValues): no flag is spelt by hand twice.
 */

/** A flag that is no run setting: a file, an output, a choice of engine. */
export interface CliOption {
  readonly flag: `--${string}`;
  /** commander's placeholder for the value; none for an on/off flag */
  readonly arg?: `<${string}>`;
  /** given once per value: commander collects the values in a list */
  readonly repeatable?: boolean;
  /** the --help line, where it is one for every command (a command may give its own) */
  readonly help?: string;
}

export const CLI_OPTIONS = {
  task: {
    flag: '--task',
    arg: '<name|file>',
    help: `built-in task (${PRESETS.map((p) => p.name).join(', ')}) or a JSON task file (default ${DEFAULT_CONFIG.task})`,
  },
  train: { flag: '--train', arg: '<file.csv>', help: 'training set as CSV with header x0,...,x{d-1},y (instead of --task)' },
  probe: {
    flag: '--probe',
    arg: '<NAME=file.csv>',
    repeatable: true,
    help: 'a probe set as CSV, one per hypothesis (repeatable, with --train)',
  },
  knob: {
    flag: '--knob',
    arg: '<NAME=VALUE>',
    repeatable: true,
    help: 'a knob of the built-in task, e.g. salience=1.2 (repeatable; see `basin-atlas tasks`)',
  },
  init: {
    flag: '--init',
    arg: '<file.json>',
    help: 'starting parameters: a parameters file, one flat vector (for every particle) or a list of them',
  },
  initIndex: {
    flag: '--init-index',
    arg: '<i>',
    help: "every particle starts from global particle i's init of --seed (its noise stream stays its own)",
  },
  engine: {
    flag: '--engine',
    arg: '<name>',
    help: `${ENGINES.join(' | ')}: auto uses a GPU adapter when one exists, else the CPU engine (default auto)`,
  },
  out: { flag: '--out', arg: '<file.json>', help: 'write the results as JSON' },
  json: { flag: '--json', help: 'print the results as JSON on stdout' },
  paramsOut: {
    flag: '--params-out',
    arg: '<file.json>',
    help: 'write the final parameter vectors as a parameters file (docs/cli.md#parameters-files)',
  },
  /** measurement commands: trained networks to measure instead of training */
  params: {
    flag: '--params',
    arg: '<file.json>',
    help: 'measure these networks (a parameters file, as --params-out writes and the sandbox exports) instead of training',
  },
  /** "i/n": slice i of n of the run (what is sliced is the command's: particles, inits, cells) */
  shard: { flag: '--shard', arg: '<i/n>' },
  center: { flag: '--center', arg: '<file.json>' },
  d1: { flag: '--d1', arg: '<file.json>', help: 'first direction, used exactly as given (default: random, filter-normalised)' },
  d2: { flag: '--d2', arg: '<file.json>', help: 'second direction, used exactly as given' },
  through: { flag: '--through', arg: '<file.json>', help: 'three vectors [a, b, c]: the plane with a at (0,0), b at (1,0), c at (0,1)' },
} as const satisfies Record<string, CliOption>;

type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
/** The name commander gives a flag's value: --init-scale → initScale, --no-bias → bias. */
export type AttributeName<F extends string> = F extends `--no-${infer R}` ? Camel<R> : F extends `--${infer R}` ? Camel<R> : never;

/** The same at run time (tests/cli/runOptions.test.ts checks it against commander's own). */
export function attributeName(flag: string): string {
  return flag.replace(/^--(no-)?/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

type ValueOf<O> = O extends { readonly repeatable: true } ? string[] : O extends { readonly arg: string } ? string : boolean;
type ValuesOf<T> = {
  -readonly [K in keyof T as T[K] extends { readonly flag: infer F extends string } ? AttributeName<F> : never]?: ValueOf<T[K]>;
};

/**
 * What commander hands a run command: every flag's value as typed (a string, a list for a
 * repeatable flag, a boolean for an on/off one), undefined when not given. `resolveRun` turns it
 * into a checked RunConfig; a command's own flags are added to it by the command.
 */
export type FlagValues = ValuesOf<typeof RUN_SETTINGS> & ValuesOf<typeof COMMAND_SETTINGS> & ValuesOf<typeof CLI_OPTIONS>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

type Described = Pick<CliOption, 'flag' | 'arg' | 'repeatable'>;

/** Adds one flag to a command: `help` where the command says it its own way. */
export function addOption(cmd: Command, o: Described, help: string): Command {
  const flags = o.arg ? `${o.flag} ${o.arg}` : o.flag;
  return o.repeatable ? cmd.option(flags, help, collect) : cmd.option(flags, help);
}

/** Adds a setting's flag, with its --help line from the table. */
export const addSetting = (cmd: Command, s: Described & Parameters<typeof settingHelp>[0]): Command => addOption(cmd, s, settingHelp(s));

/** Adds a flag that is no setting, with its own --help line. */
export const addCliOption = (cmd: Command, key: keyof typeof CLI_OPTIONS, help?: string): Command => {
  const o: CliOption = CLI_OPTIONS[key];
  return addOption(cmd, o, help ?? o.help ?? '');
};

/** The options of every run command: the task, every run setting, the starting parameters, the engine and the outputs. */
export function addRunOptions(cmd: Command): Command {
  for (const key of ['task', 'train', 'probe', 'knob'] as const) addCliOption(cmd, key);
  for (const s of Object.values(RUN_SETTINGS)) addSetting(cmd, s);
  for (const key of ['init', 'initIndex', 'engine', 'out', 'json'] as const) addCliOption(cmd, key);
  return cmd;
}

/** The options of the commands that map a plane (grid, basin): its resolution, span, centre and directions. */
export function addPlaneOptions(cmd: Command, defaultCenter: string): Command {
  addSetting(cmd, COMMAND_SETTINGS.res);
  addSetting(cmd, COMMAND_SETTINGS.span);
  addCliOption(cmd, 'center', `the plane's centre, a flat vector (default ${defaultCenter})`);
  for (const key of ['d1', 'd2', 'through'] as const) addCliOption(cmd, key);
  return addSetting(cmd, COMMAND_SETTINGS.planeSeed);
}
