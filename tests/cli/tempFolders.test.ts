import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cli } from './run';

const uid = process.getuid?.();
const bases: string[] = [];
afterAll(() => bases.forEach((b) => rmSync(b, { recursive: true, force: true })));

/** A fresh folder to serve as the CLI's TMPDIR, and an environment without XDG_RUNTIME_DIR (as in CI). */
function freshTmp(): { tmp: string; env: NodeJS.ProcessEnv } {
  const tmp = mkdtempSync(join(tmpdir(), 'basin-atlas-tmpdir-test-'));
  bases.push(tmp);
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.XDG_RUNTIME_DIR;
  return { tmp, env };
}

/** What the run left in TMPDIR, less tsx's compile cache (tsx-<uid>: one per user, reused, like ours). */
const left = (tmp: string) => readdirSync(tmp).filter((name) => name !== `tsx-${uid}`);

// --engine auto asks Dawn for an adapter (setting up XDG_RUNTIME_DIR first), then falls back to the CPU if there is none
const TINY = ['train', '--particles', '4', '--steps', '2'];

describe.runIf(uid !== undefined)('temporary folders', () => {
  it('runs leave nothing in TMPDIR but the one reused basin-atlas-<uid> folder (mode 0700)', async () => {
    const { tmp, env } = freshTmp();
    for (let run = 0; run < 2; run++) {
      const r = await cli(TINY, env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/XDG_RUNTIME_DIR/);
      expect(left(tmp), `after run ${run + 1}`).toEqual([`basin-atlas-${uid}`]);
    }
    expect(statSync(join(tmp, `basin-atlas-${uid}`)).mode & 0o777).toBe(0o700);
  });

  it('a run cancelled with Ctrl-C (SIGINT) leaves nothing else behind either', async () => {
    const { tmp, env } = freshTmp();
    const child = spawn(process.execPath, [BIN, 'train', '--particles', '256', '--steps', '1000000'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // the folder appears just before Dawn starts; training begins soon after
    while (!existsSync(join(tmp, `basin-atlas-${uid}`))) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toMatch(/cancelled/);
    expect(left(tmp)).toEqual([`basin-atlas-${uid}`]);
  });

  it('with something else at that name, a run neither uses nor touches it, and adds nothing', async () => {
    const { tmp, env } = freshTmp();
    writeFileSync(join(tmp, `basin-atlas-${uid}`), 'not a folder');
    const r = await cli(TINY, env);
    expect(r.code, r.stderr).toBe(0);
    expect(left(tmp)).toEqual([`basin-atlas-${uid}`]);
    expect(statSync(join(tmp, `basin-atlas-${uid}`)).isFile()).toBe(true);
  });
});
