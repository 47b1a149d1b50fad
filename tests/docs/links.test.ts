import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, headings, linkTargets, markdownFiles, read, slug } from './markdown';

/**
 * The README is the front door and docs/ the manual: every relative link in them, and every
 * docs page (with its section) that the code names, must lead somewhere. A heading renamed or a
 * page moved fails here, naming the file that points at it.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const PAGES = ['README.md', ...markdownFiles(ROOT, 'docs')];

/** Why a link from `from` to `target` leads nowhere, or undefined when it leads somewhere. */
function brokenLink(from: string, target: string): string | undefined {
  if (/^[a-z]+:/i.test(target)) return undefined; // https:, mailto:
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const file = path === '' ? from : normalize(join(dirname(from), decodeURIComponent(path)));
  if (!existsSync(join(ROOT, file))) return `${file} does not exist`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md')) return `${file} is not a Markdown page, so it has no #${anchor}`;
  return anchors(read(ROOT, file)).has(anchor) ? undefined : `${file} has no heading #${anchor}`;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|svelte|js)$/.test(e.name) ? [path] : [];
  });
}

describe('links in README.md and docs/', () => {
  it('every relative link and heading anchor exists', () => {
    const broken = PAGES.flatMap((page) =>
      linkTargets(read(ROOT, page)).flatMap((target) => {
        const why = brokenLink(page, target);
        return why ? [`${page} → ${target}: ${why}`] : [];
      }),
    );
    expect(broken).toEqual([]);
    expect(PAGES.length).toBeGreaterThan(10);
  });

  it('the README stays a front door (at most 250 lines)', () => {
    expect(read(ROOT, 'README.md').split('\n').length).toBeLessThanOrEqual(250);
  });

  it('every docs page and section the code and scripts name exists', () => {
    const named = ['src', 'scripts'].flatMap((dir) =>
      sources(join(ROOT, dir)).flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const at = file.slice(ROOT.length + 1);
        // docs/x.md, docs/x.md#anchor, and docs/x.md, "Heading" (a comment quoting a section)
        return [...text.matchAll(/(docs\/[\w/.-]+\.md)(#[\w-]+)?(,? "([^"]+)")?/g)].map((m) => ({
          at,
          page: m[1],
          anchor: m[2]?.slice(1),
          quoted: m[4],
        }));
      }),
    );
    expect(named.length).toBeGreaterThan(10);
    const broken = named.flatMap(({ at, page, anchor, quoted }) => {
      if (!existsSync(join(ROOT, page))) return [`${at}: ${page} does not exist`];
      const text = read(ROOT, page);
      if (anchor && !anchors(text).has(anchor)) return [`${at}: ${page} has no heading #${anchor}`];
      // a quoted section names the start of a heading ("Grokking" for "Grokking: the delay and …")
      if (quoted && !headings(text).some((h) => h.replaceAll('`', '').startsWith(quoted.replaceAll('`', ''))))
        return [`${at}: ${page} has no section "${quoted}"`];
      return [];
    });
    expect(broken).toEqual([]);
  });

  it("the anchors follow GitHub's rule, repeats numbered", () => {
    expect(slug('Init or noise? (`decompose`)')).toBe('init-or-noise-decompose');
    expect(slug('Spectral: a 5% higher frequency loses nearly every seed')).toBe('spectral-a-5-higher-frequency-loses-nearly-every-seed');
    expect(slug('Width: how far can a network be pushed?')).toBe('width-how-far-can-a-network-be-pushed');
    expect([...anchors('# A\n```\n# not a heading\n```\n## A\n### B')]).toEqual(['a', 'a-1', 'b']);
    expect(linkTargets('[a](x.md#y) `[b](z.md)` ![c](p.png)\n```\n[d](q.md)\n```')).toEqual(['x.md#y', 'p.png']);
  });
});
