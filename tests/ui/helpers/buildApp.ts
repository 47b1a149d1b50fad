import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Builds the given pages (the same Vite config; by default the sandbox alone) into a fresh
 * temporary folder, so a test depends only on the page it tests and never overwrites dist/ while
 * someone else builds.
 */
export async function buildSandbox(pages: string[] = ['index.html']): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'basin-atlas-ui-'));
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: Object.fromEntries(pages.map((page) => [basename(page, '.html'), join(ROOT, page)])) },
    },
  });
  return outDir;
}
