import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md, written here as the spec, held against the lint rules that
 * enforce them (eslint.config.js, LAYERS): every import a layer must not make is flagged, from a
 * file at every depth its folder has and one deeper, and the imports it may make are not. The two
 * lists are kept apart on purpose: a rule dropped or loosened in the config fails here.
 */
const ROOT = resolve(import.meta.dirname, '../..');

const MUST_NOT: Record<string, string[]> = {
  core: ['engine', 'cli', 'worker', 'ui', 'node', 'bench', 'report'],
  engine: ['cli', 'worker', 'ui', 'node', 'bench', 'report'],
  worker: ['ui', 'cli', 'node', 'bench', 'report'],
  ui: ['engine', 'cli', 'node', 'bench', 'report'],
  cli: ['ui', 'worker', 'bench', 'report'],
  node: ['cli', 'worker', 'ui', 'bench', 'report'],
  report: ['engine', 'cli', 'worker', 'ui', 'node', 'bench'],
  bench: ['cli', 'worker', 'ui', 'report'],
};
const MAY: Record<string, string[]> = {
  core: [],
  engine: ['core'],
  worker: ['engine', 'core'],
  ui: ['worker', 'core'],
  cli: ['engine', 'node', 'core'],
  node: ['engine', 'core'],
  report: ['core'],
  bench: ['engine', 'node', 'core'],
};

/** How many folders deep the files of src/<layer>/ go (0: all at its top). */
function depthOf(dir: string): number {
  const below = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  return below.length === 0 ? 0 : 1 + Math.max(...below.map((e) => depthOf(join(dir, e.name))));
}

const eslint = new ESLint({ cwd: ROOT });

/** The no-restricted-imports messages for each line of `code`, linted as if it were the file at `path`. */
async function flagged(path: string, imports: string[]): Promise<number[]> {
  const code = imports.map((spec, i) => `import * as m${i} from '${spec}';\nexport { m${i} };`).join('\n');
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => (m.line - 1) / 2);
}

describe('layer rules (eslint.config.js) against the layers of docs/architecture.md', () => {
  for (const layer of Object.keys(MUST_NOT)) {
    it(`${layer}: every forbidden import is flagged at every depth, the allowed ones are not`, async () => {
      const deepest = depthOf(join(ROOT, 'src', layer)) + 1;
      for (let depth = 0; depth <= deepest; depth++) {
        const path = `src/${layer}/${'sub/'.repeat(depth)}bad.ts`;
        const up = '../'.repeat(depth + 1);
        const bad = MUST_NOT[layer].map((f) => `${up}${f}/x`);
        expect(await flagged(path, bad), `${path} importing ${bad.join(', ')}`).toEqual(bad.map((_, i) => i));
        const good = MAY[layer].map((f) => `${up}${f}/x`);
        expect(await flagged(path, good), `${path} importing ${good.join(', ')}`).toEqual([]);
      }
    });
  }

  it('no layer imports from tests/, at any depth', async () => {
    for (const layer of Object.keys(MUST_NOT)) {
      for (let depth = 0; depth <= depthOf(join(ROOT, 'src', layer)) + 1; depth++) {
        const up = '../'.repeat(depth + 2);
        expect(await flagged(`src/${layer}/${'sub/'.repeat(depth)}bad.ts`, [`${up}tests/helpers/x`]), `${layer} at depth ${depth}`).toEqual(
          [0],
        );
      }
    }
  });

  it('core imports no host module and no GPU or UI package; a core file may name its own engine.ts', async () => {
    const host = ['node:fs', 'webgpu', 'svelte', 'commander', 'comlink'];
    expect(await flagged('src/core/x.ts', host)).toEqual(host.map((_, i) => i));
    // src/core/instruments/llc/x.ts → ../../engine is src/core/engine.ts, not the GPU engine
    expect(await flagged('src/core/instruments/llc/x.ts', ['../../engine', '../../../core/engine'])).toEqual([]);
  });
});
