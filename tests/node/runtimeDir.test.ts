import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeDir } from '../../src/node/runtimeDir';

const uid = process.getuid?.();
const bases: string[] = [];
const freshBase = () => {
  const b = mkdtempSync(join(tmpdir(), 'basin-atlas-runtime-test-'));
  bases.push(b);
  return b;
};
afterAll(() => bases.forEach((b) => rmSync(b, { recursive: true, force: true })));

describe.runIf(uid !== undefined)('runtimeDir (XDG_RUNTIME_DIR for the Vulkan start-up)', () => {
  it('makes basin-atlas-<uid> with mode 0700 once and reuses it', () => {
    const base = freshBase();
    const dir = runtimeDir(base);
    expect(dir).toBe(join(base, `basin-atlas-${uid}`));
    expect(statSync(dir!).mode & 0o777).toBe(0o700);
    expect(runtimeDir(base)).toBe(dir);
    expect(readdirSync(base)).toEqual([`basin-atlas-${uid}`]);
  });

  it('tightens a folder of ours that others could read', () => {
    const base = freshBase();
    const dir = join(base, `basin-atlas-${uid}`);
    mkdirSync(dir, { mode: 0o755 });
    expect(runtimeDir(base)).toBe(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a link or a file at that name, and leaves it alone', () => {
    const base = freshBase();
    const target = join(base, 'elsewhere');
    mkdirSync(target, { mode: 0o755 });
    symlinkSync(target, join(base, `basin-atlas-${uid}`));
    expect(runtimeDir(base)).toBeUndefined();
    expect(statSync(target).mode & 0o777).toBe(0o755);

    const other = freshBase();
    writeFileSync(join(other, `basin-atlas-${uid}`), '');
    expect(runtimeDir(other)).toBeUndefined();
  });

  it.runIf(uid === 0)("refuses another user's folder (as root: chown it away)", () => {
    const base = freshBase();
    const dir = join(base, `basin-atlas-${uid}`);
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 12345, 12345);
    expect(runtimeDir(base)).toBeUndefined();
  });
});
