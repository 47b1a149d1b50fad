import { commandLine } from './commandRunner';
import type { ReportSection, ReportSize, SectionBody } from './section';

/** The report as Markdown: every section with its commands, the paper, what we found and where they differ. */
export function reportMarkdown(size: ReportSize, device: string, built: readonly { section: ReportSection; body: SectionBody }[]): string {
  const parts = [
    '# Findings',
    '',
    `Written by \`npm run report${size === 'full' ? '' : ' -- --size small'}\` with ${device}. Every number below comes from the command printed beside it; run it to check it. ` +
      (size === 'full'
        ? 'Size: 1,024 seeds per point unless a section says otherwise.'
        : 'Size: small (a quick check that the report builds; the numbers are too few to read).'),
    '',
  ];
  for (const { section, body } of built) {
    parts.push(
      `## ${section.title}`,
      '',
      `**What the paper found.** ${section.paper}`,
      '',
      '**Commands.**',
      '',
      '```sh',
      ...body.commands.map(commandLine),
      '```',
      '',
      '**What we found.**',
      '',
      body.found,
      '',
      ...(body.figures ?? []).flatMap((f) => [`![${f.caption}](${f.link})`, '', `*${f.caption}*`, '']),
      `**Where they agree and differ.** ${body.differs}`,
      '',
    );
  }
  return parts.join('\n');
}

/** The engines and devices the results ran on, in the order first met, for the report's first line (grokking's runs use the CPU engine). */
export function deviceText(results: readonly Record<string, unknown>[]): string {
  const devices = new Set<string>();
  for (const json of results)
    if (typeof json.device === 'string')
      devices.add(json.engine === 'cpu' ? `the ${json.device}` : `the ${json.engine} engine on ${json.device}`);
  return devices.size ? [...devices].join(' and ') : 'an unknown device';
}
