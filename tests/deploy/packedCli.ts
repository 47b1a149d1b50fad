import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

export function installPackedCli(): PackedCli {
  const dir = mkdtempSync(join(tmpdir(), 'basin-atlas-pack-'));
  const npm = (args: string[], cwd: string) =>
    execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  npm(['pack', '--pack-destination', dir], ROOT);
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
