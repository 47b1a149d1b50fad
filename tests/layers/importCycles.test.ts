import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No import circles in src/, type-only imports included (ESLint's import cycle rules skip those,
 * and a type circle still ties two files into one). A circle means neither file can be read, moved
 * or tested without the other; break it by moving the shared piece into a small file of its own
 * (core/run.ts, core/mergeKind.ts and ui/state/formValues.ts were made that way).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(e.name) ? [path] : [];
  });
}

/** The code a file imports from: a component's <script> blocks, or the whole file. */
function code(path: string): string {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.svelte')) return text;
  return [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** The source file a relative import names, or undefined for a package or a non-source file (.wgsl). */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  return [base, `${base}.ts`, join(base, 'index.ts')].find((p) => /\.(ts|svelte)$/.test(p) && existsSync(p));
}

/** Every file's imports, type-only and re-exports included (TypeScript's own scanner reads them). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const { importedFiles } = ts.preProcessFile(code(file), true, true);
    graph.set(
      file,
      importedFiles.map((i) => resolveImport(file, i.fileName)).filter((p): p is string => p !== undefined),
    );
  }
  return graph;
}

/** The graph's strongly connected components of more than one file (Tarjan): each is a circle. */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(ROOT, w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports in src/', () => {
  it('has no circle, type-only imports included', () => {
    expect(circles(importGraph())).toEqual([]);
  });

  it('the check sees a circle when there is one (a → b → c → a) and resolves the imports it is given', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(circles(g).map((c) => c.map((p) => p.split('/').pop()).sort())).toEqual([['a', 'b', 'c']]);
    const graph = importGraph();
    const form = graph.get(join(SRC, 'ui/state/form.ts'))!.map((p) => relative(SRC, p));
    expect(form).toContain('ui/state/formValues.ts');
    expect(form).toContain('core/config.ts');
  });
});
