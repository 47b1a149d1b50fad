import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { commandLine } from '../../src/report/commandRunner';
import { deviceText, reportMarkdown } from '../../src/report/reportMarkdown';
import type { ReportSection, SectionBody, SectionContext } from '../../src/report/section';
import { SECTIONS } from '../../src/report/sections';

const DOCS = new URL('../../docs/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DOCS), 'utf8');

/**
 * The committed report is what its kept results say: every section rebuilt from
 * docs/findings-results.json, without running a command, gives docs/FINDINGS.md to the byte.
 * A section that reads a field its result no longer has, or a cache missing a command, fails here.
 */
test('docs/FINDINGS.md is rebuilt byte for byte from docs/findings-results.json', async () => {
  const cache = JSON.parse(read('findings-results.json')) as Record<string, Record<string, unknown>>;
  const results: Record<string, unknown>[] = [];
  const missing: string[] = [];
  const ctx: SectionContext = {
    size: 'full',
    // as `npm run report` names them with its default --out docs/FINDINGS.md
    figure: (name) => ({ path: `docs/findings/${name}`, link: `findings/${name}` }),
    write: () => {},
    run: async (command) => {
      const line = commandLine(command);
      const json = cache[line];
      if (json === undefined) {
        missing.push(line);
        throw new Error(`not kept: ${line}`);
      }
      results.push(json);
      return structuredClone(json);
    },
  };
  const built: { section: ReportSection; body: SectionBody }[] = [];
  for (const section of SECTIONS) {
    const body = await section.build(ctx).catch((e: Error) => e);
    if (body instanceof Error) continue;
    built.push({ section, body });
  }
  expect(missing, 'commands the sections run that docs/findings-results.json does not keep').toEqual([]);
  expect(reportMarkdown('full', deviceText(results), built)).toBe(read('FINDINGS.md'));
});
