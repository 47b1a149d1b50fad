/**
 * `npx tsx scripts/keepResult.ts <section id> <result.json>`: keeps beside the findings report a
 * result that `basin-atlas … --out result.json` wrote on its own (a run too long to leave inside
 * `npm run report`, such as the grokking section's 256 particles on SwiftShader: hours), as the
 * report would have kept it: cut by summaryOf to the particle fields its command names, under its
 * command line. It is taken for the first command of the section that is not kept yet, and only
 * if it matches that command's kind, task, engine, particles, steps and recording (only these are
 * checked: a run with other flags or older preset defaults would pass, so run the command as written).
 * Then `npm run report` rebuilds docs/FINDINGS.md from the kept results without running anything.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { commandLine, type ToolCommand } from '../src/report/commandRunner';
import { cacheText, summaryOf } from '../src/report/keptResults';
import type { ReportSection } from '../src/report/section';
import { SECTIONS } from '../src/report/sections';

type Json = Record<string, unknown>;

const flag = (args: readonly string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

/** Where `result` differs from what `command` would have written (one line), or undefined when it is its result. */
export function mismatch(command: ToolCommand, result: Json): string | undefined {
  const config = (result.config ?? {}) as Json;
  const record = result.record as Json | undefined;
  const pairs: [string, unknown, unknown][] = [
    ['kind', command.args[0], result.kind],
    ['task', flag(command.args, '--task'), config.task],
    ['engine', flag(command.args, '--engine'), result.engine],
    ['particles', flag(command.args, '--particles'), config.particles],
    ['steps', flag(command.args, '--steps'), config.steps],
    ['record every', flag(command.args, '--record-every'), record?.every],
  ];
  // a flag the command does not give takes the tool's default: not checked here
  const wrong = pairs.find(([, asked, got]) => asked !== undefined && String(asked) !== String(got));
  return wrong && `its ${wrong[0]} is ${JSON.stringify(wrong[2])}, the command asks ${JSON.stringify(wrong[1])}`;
}

/**
 * Builds `section` at full size on `cache`, answering its first command not kept with `result`;
 * returns the command line it was kept under. Throws (one line) when the result is not that
 * command's, when every command is kept already, or when another command is missing too.
 */
export async function keepResult(cache: Record<string, Json>, section: ReportSection, result: Json): Promise<string> {
  let kept: string | undefined;
  const next: Record<string, Json> = { ...cache };
  await section.build({
    size: 'full',
    // as `npm run report` names them with its default --out docs/FINDINGS.md
    figure: (name) => ({ path: `docs/findings/${name}`, link: `findings/${name}` }),
    write: () => {},
    run: async (command) => {
      const line = commandLine(command);
      if (next[line] === undefined) {
        if (kept !== undefined) throw new Error(`${line} is not kept either: run it with npm run report -- --only ${section.id}`);
        const wrong = mismatch(command, result);
        if (wrong) throw new Error(`the result is not that of ${line}: ${wrong}`);
        next[line] = summaryOf(result, command.particleFields);
        kept = line;
      }
      return structuredClone(next[line]);
    },
  });
  if (kept === undefined) throw new Error(`every command of section ${section.id} is kept already`);
  Object.assign(cache, next);
  return kept;
}

/** A JSON object read from `file`, or one line naming the file and what is wrong with it. */
export function readJsonObject(file: string, what: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}, ${what}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file} holds no JSON object (${what})`);
  return json as Json;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [id, file] = process.argv.slice(2);
  const section = SECTIONS.find((s) => s.id === id);
  const fail = (message: string) => {
    process.stderr.write(`keepResult: ${message}\n`);
    process.exit(2);
  };
  if (!section || !file) fail(`usage: keepResult <section id> <result.json>; the sections: ${SECTIONS.map((s) => s.id).join(', ')}`);
  const cacheFile = 'docs/findings-results.json';
  try {
    const cache = <Record<string, Json>>(
      readJsonObject(cacheFile, 'the kept results (run from the repository, after a first npm run report)')
    );
    const line = await keepResult(cache, section!, readJsonObject(file, 'the result'));
    writeFileSync(cacheFile, cacheText(cache));
    process.stderr.write(`kept ${file} as ${line} in ${cacheFile}; now npm run report rebuilds docs/FINDINGS.md\n`);
  } catch (e) {
    fail((e as Error).message);
  }
}
