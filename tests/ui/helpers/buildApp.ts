import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Builds the sandbox page alone (the same Vite config, only index.html as input) into a fresh
 * temporary folder, so the tests neither depend on the benchmark page nor overwrite dist/ while
 * someone else builds.
 */
export async function buildSandbox(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'basin-atlas-ui-'));
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: join(ROOT, 'index.html') } },
  });
  return outDir;
}
