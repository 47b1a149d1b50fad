import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}_\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The lines of a Markdown text outside fenced code blocks. */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** A file's headings, as written (without the #s). */
export function headings(text: string): string[] {
  return proseLines(text)
    .map((line) => line.match(/^#{1,6} (.*)$/)?.[1])
    .filter((h): h is string => h !== undefined);
}

/** A file's heading anchors, with GitHub's -1, -2 … for repeats. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(text)) {
    const s = slug(h);
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    out.add(n === 0 ? s : `${s}-${n}`);
  }
  return out;
}

/** The targets of a file's Markdown links and images, outside code (fenced or inline). */
export function linkTargets(text: string): string[] {
  const prose = proseLines(text)
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

/** Every .md file under `dir`, relative to `root`. */
export function markdownFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(root, path);
    return e.name.endsWith('.md') ? [path] : [];
  });
}

export const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
