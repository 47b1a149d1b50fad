import { Command, InvalidArgumentError } from 'commander';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stderr } from 'node:process';
import { DEFAULT_CONFIG } from '../core/config';
import { findPreset } from '../core/tasks';
import { commandLine, runTool, stopTools, type ToolCommand } from './commandRunner';
import { cacheText, summaryOf } from './keptResults';
import { deviceText, reportMarkdown } from './reportMarkdown';
import { SECTIONS } from './sections';
import type { ReportSection, ReportSize, SectionBody } from './section';

/**
 * `npm run report`: runs every experiment of the findings report through the command line and
 * writes docs/FINDINGS.md. `--size small` is a quick check that it builds (CI runs two sections).
 */
const program = new Command('report')
  .description('run the findings report experiments and write the report as Markdown')
  .option('--size <small|full>', 'full: 1,024 seeds a point (the committed report); small: a quick check', 'full')
  .option('--only <ids>', `comma-separated sections (${SECTIONS.map((s) => s.id).join(', ')})`)
  .option('--out <file.md>', 'where to write the report', 'docs/FINDINGS.md')
  .option('--fresh', 'run every command again, ignoring the results kept beside the report')
  .exitOverride()
  .configureOutput({ outputError: (s) => stderr.write(s) });

function fail(message: string): never {
  stderr.write(`report: ${message}\n`);
  process.exit(2);
}

/**
 * A kept result is stamped with the defaults of the task its command runs (training settings,
 * knobs, map axes): the command line alone does not say that a preset's defaults changed under it.
 * A change inside a task's data code is not seen: run with --fresh, or delete its results.
 */
const PRESET_STAMP = '_presetDefaults';

function presetStamp(args: readonly string[]): string {
  const i = args.indexOf('--task');
  const preset = findPreset(i >= 0 ? args[i + 1] : DEFAULT_CONFIG.task);
  if (!preset) return '';
  const knobs = Object.fromEntries(Object.entries(preset.knobs).map(([k, spec]) => [k, spec.default]));
  return JSON.stringify({ defaults: preset.defaults, knobs, hypermap: preset.hypermap ?? null });
}

/** The results kept beside the report, or none; a file that is not them is named, not a bare JSON error. */
function readCache(file: string): Record<string, Record<string, unknown>> {
  if (!existsSync(file)) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`${file}: the kept results are not valid JSON (${(e as Error).message.slice(0, 120)}); delete the file or run with --fresh`);
  }
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(doc) || !Object.values(doc as object).every(isObject))
    fail(`${file}: the kept results must be an object of results by command line; delete the file or run with --fresh`);
  return doc as Record<string, Record<string, unknown>>;
}

const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Ctrl-C, SIGTERM or SIGHUP (or npm that started it going away): the signal is passed to the
 * running basin-atlas, which stops between chunks of work; the report waits for it, its temporary
 * folder is removed, and the report exits 128 + the signal's number without writing anything more.
 */
function watchSignals(): void {
  let stopping = false;
  const stop = (name: keyof typeof SIGNAL_EXIT, why: string) => {
    if (stopping) return;
    stopping = true;
    stderr.write(`\nreport: ${why}\n`);
    void stopTools(name).then(() => process.exit(SIGNAL_EXIT[name]));
  };
  for (const name of Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[])
    process.on(name, () => stop(name, `stopping (${name}): waiting for the running command to stop`));
  // npm run: npm exits on SIGTERM without waiting for the report; the report is then handed to another parent
  if (process.env.npm_lifecycle_event !== undefined) {
    const parent = process.ppid;
    const timer = setInterval(() => {
      if (process.ppid !== parent) stop('SIGHUP', 'stopping: npm, which started the report, has exited');
    }, 250);
    timer.unref();
  }
}

async function main(): Promise<void> {
  try {
    program.parse();
  } catch (e) {
    // --help and --version: 0; every usage error (unknown option, extra argument, missing value): 2, as basin-atlas
    if (e instanceof InvalidArgumentError || (e as { exitCode?: number }).exitCode !== undefined)
      process.exit((e as { exitCode: number }).exitCode === 0 ? 0 : 2);
    throw e;
  }
  const opts = program.opts<{ size: string; only?: string; out: string; fresh?: boolean }>();
  if (opts.size !== 'small' && opts.size !== 'full') fail(`--size must be small or full, got "${opts.size}"`);
  const size = opts.size as ReportSize;
  let chosen: readonly ReportSection[] = SECTIONS;
  if (opts.only !== undefined) {
    const ids = opts.only.split(',').map((s) => s.trim());
    const unknown = ids.filter((id) => !SECTIONS.some((s) => s.id === id));
    if (unknown.length > 0)
      fail(`--only: unknown section ${unknown.map((u) => `"${u}"`).join(', ')}; the sections: ${SECTIONS.map((s) => s.id).join(', ')}`);
    chosen = SECTIONS.filter((s) => ids.includes(s.id));
  }

  // each command's result, kept beside the report by command line: a full report takes long on a
  // machine without a GPU, and an interrupted one picks up where it stopped (--fresh ignores it)
  // before the first experiment: the report's folder must take the report, and kept results must read
  const folder = dirname(resolve(opts.out));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) fail(`--out ${opts.out}: folder ${folder} does not exist`);
  const cacheFile = join(dirname(opts.out), 'findings-results.json');
  const cache = opts.fresh ? {} : readCache(cacheFile);
  watchSignals();
  // every result in the order met: the report names the engines and devices they ran on
  const results: Record<string, unknown>[] = [];
  const used = new Set<string>();
  const run = async (command: ToolCommand) => {
    const line = commandLine(command);
    used.add(line);
    // a figure is drawn by its command: a kept result without its PNG runs again
    const png = command.args[command.args.indexOf('--png') + 1];
    const preset = presetStamp(command.args);
    let json = command.args.includes('--png') && !existsSync(png) ? undefined : cache[line];
    // kept under other preset defaults: stale. (Results kept before stamps existed take today's.)
    if (json && json[PRESET_STAMP] !== undefined && json[PRESET_STAMP] !== preset) {
      stderr.write(`  ${line}: its task's defaults changed since it was kept, running it again\n`);
      json = undefined;
    }
    const kept = json !== undefined;
    if (json) stderr.write(`  ${line} (kept from an earlier run)\n`);
    else {
      const started = Date.now();
      stderr.write(`  ${line} … `);
      json = summaryOf(await runTool(command), command.particleFields);
      stderr.write(`${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      cache[line] = json;
    }
    json[PRESET_STAMP] = preset;
    // written at once: an interrupted report resumes from here
    if (!kept) writeFileSync(cacheFile, cacheText(cache));
    results.push(json);
    return json;
  };
  // figures beside the report, in findings/, linked relative to it
  const figure = (name: string) => {
    const folder = join(dirname(opts.out), 'findings');
    mkdirSync(folder, { recursive: true });
    return { path: join(folder, name), link: `findings/${name}` };
  };
  const built: { section: ReportSection; body: SectionBody }[] = [];
  for (const [i, section] of chosen.entries()) {
    stderr.write(`[${i + 1}/${chosen.length}] ${section.title}\n`);
    built.push({ section, body: await section.build({ size, run, figure, write: writeFileSync }) });
  }
  writeFileSync(opts.out, reportMarkdown(size, deviceText(results), built));
  // a whole full-size report drops the results of commands it no longer runs (a small or --only one
  // keeps them); the cache is written again for the stamps given to results kept before them
  const stale = opts.only === undefined && size === 'full' ? Object.keys(cache).filter((line) => !used.has(line)) : [];
  for (const line of stale) delete cache[line];
  if (stale.length > 0) stderr.write(`dropped ${stale.length} kept result${stale.length === 1 ? '' : 's'} no section runs any more\n`);
  writeFileSync(cacheFile, cacheText(cache));
  stderr.write(`wrote ${opts.out}\n`);
}

main().catch((e: unknown) => {
  stderr.write(`report: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
