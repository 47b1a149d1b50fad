import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Everything a build reads: the sources, the shaders, the static files, the pages and the config. */
const INPUTS = ['src', 'shaders', 'public', 'index.html', 'bench.html', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];

const PREFIX = 'basin-atlas-ui-';
const MARK = '.built';

function hashInputs(hash: ReturnType<typeof createHash>, path: string): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) hashInputs(hash, join(path, name));
    return;
  }
  hash.update(path).update(readFileSync(path));
}

/**
 * Builds the given pages (the same Vite config; by default the sandbox alone) once per content of
 * the sources: each browser test file used to build its own copy, a few seconds apiece on two
 * cores. The build lands in a folder named by the hash of its inputs, written elsewhere first and
 * renamed into place, so a test never sees half a build, and two test runs building at once (two
 * worktrees, say) both end up with a whole one.
 */
export async function buildSandbox(pages: string[] = ['index.html']): Promise<string> {
  const hash = createHash('sha256').update(pages.join(','));
  for (const input of INPUTS) hashInputs(hash, join(ROOT, input));
  const dir = join(tmpdir(), PREFIX + hash.digest('hex').slice(0, 16));
  if (existsSync(join(dir, MARK))) {
    // in use: another test file's pruning (builds untouched for a day) must leave it alone
    const now = new Date();
    utimesSync(dir, now, now);
    return dir;
  }

  const outDir = mkdtempSync(join(tmpdir(), 'basin-atlas-building-'));
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
  writeFileSync(join(outDir, MARK), '');
  try {
    renameSync(outDir, dir);
  } catch {
    // another run put a whole build there first
    rmSync(outDir, { recursive: true, force: true });
  }
  pruneOldBuilds(dir);
  return dir;
}

/** Builds of other source states, untouched for a day: a long session would otherwise fill the disk. */
function pruneOldBuilds(keep: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith(PREFIX) || path === keep) continue;
    try {
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed by someone else meanwhile
    }
  }
}
