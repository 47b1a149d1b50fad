import { Command, InvalidArgumentError } from 'commander';
import { writeFileSync } from 'node:fs';
import { stderr } from 'node:process';
import { commandLine, runTool } from './commandRunner';
import { reportMarkdown, SECTIONS, type ReportSection, type ReportSize, type SectionBody } from './sections';

/**
 * `npm run report`: runs every experiment of the findings report through the command line and
 * writes docs/FINDINGS.md. `--size small` is a quick check that it builds (CI runs two sections).
 */
const program = new Command('report')
  .description('run the findings report experiments and write the report as Markdown')
  .option('--size <small|full>', 'full: 1,024 seeds a point (the committed report); small: a quick check', 'full')
  .option('--only <ids>', `comma-separated sections (${SECTIONS.map((s) => s.id).join(', ')})`)
  .option('--out <file.md>', 'where to write the report', 'docs/FINDINGS.md')
  .exitOverride()
  .configureOutput({ outputError: (s) => stderr.write(s) });

function fail(message: string): never {
  stderr.write(`report: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  try {
    program.parse();
  } catch (e) {
    if (e instanceof InvalidArgumentError || (e as { exitCode?: number }).exitCode !== undefined)
      process.exit((e as { exitCode: number }).exitCode || 2);
    throw e;
  }
  const opts = program.opts<{ size: string; only?: string; out: string }>();
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

  let device = 'an unknown device';
  const run = async (command: { args: readonly string[] }) => {
    const started = Date.now();
    stderr.write(`  ${commandLine(command)} … `);
    const json = await runTool(command);
    stderr.write(`${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    if (typeof json.device === 'string') device = `${json.engine} engine, ${json.device}`;
    return json;
  };
  const built: { section: ReportSection; body: SectionBody }[] = [];
  for (const [i, section] of chosen.entries()) {
    stderr.write(`[${i + 1}/${chosen.length}] ${section.title}\n`);
    built.push({ section, body: await section.build({ size, run }) });
  }
  writeFileSync(opts.out, reportMarkdown(size, device, built));
  stderr.write(`wrote ${opts.out}\n`);
}

main().catch((e: unknown) => {
  stderr.write(`report: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
