import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from '../cli/run';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The package as a user gets it: `npm pack` (which builds the CLI at prepack) and a fresh folder's `npm install --omit=dev`. */
export interface PackedCli {
  /** the folder the package was installed into */
  readonly dir: string;
  /** runs node_modules/.bin/basin-atlas there */
  run(args: string[]): Promise<CliResult>;
  remove(): void;
}

/**
 * One `npm pack` of the checkout at a time, across processes: its prepack empties and rebuilds
 * dist/cli, so a second pack running beside it (the package and Slurm test files run side by side)
 * could pack a half-built CLI. A folder is the lock (mkdir is atomic); one left by a killed run is
 * taken over after ten minutes, longer than a pack takes on a loaded machine.
 */
function withPackLock<T>(f: () => T): T {
  const lock = join(ROOT, 'node_modules', '.basin-atlas-pack.lock');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile: try again
      }
      Atomics.wait(pause, 0, 0, 200);
    }
  }
  try {
    return f();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function installPackedCli(): PackedCli {
  const dir = mkdtempSync(join(tmpdir(), 'basin-atlas-pack-'));
  const npm = (args: string[], cwd: string) =>
    execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  withPackLock(() => npm(['pack', '--pack-destination', dir], ROOT));
  const tarball = readdirSync(dir).find((f) => /^basin-atlas-.*\.tgz$/.test(f));
  if (!tarball) throw new Error(`npm pack wrote no basin-atlas-*.tgz in ${dir}`);
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'packed-cli-test', private: true }));
  npm(['install', '--omit=dev', join(dir, tarball)], app);
  const bin = join(app, 'node_modules', '.bin', 'basin-atlas');
  return {
    dir: app,
    run: (args) =>
      new Promise((resolve) =>
        execFile(bin, args, { cwd: app, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        ),
      ),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
