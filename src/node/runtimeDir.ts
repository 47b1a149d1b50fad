import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder for XDG_RUNTIME_DIR: libwayland-client, which Dawn's Vulkan start-up loads, looks for a
 * display socket there and prints an error on every start when the variable is unset, as it is in
 * CI and containers. The folder only has to exist and be the user's. One folder per user,
 * `basin-atlas-<uid>` in the temp folder, created once with mode 0700 and reused by every run:
 * nothing to remove, whichever way a run ends (even SIGKILL), where a fresh folder per run left
 * one behind each time. It is used only if it is a real directory (not a link) owned by this user;
 * otherwise, or where there are no uids (Windows), the variable stays unset.
 */
export function runtimeDir(base = tmpdir()): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = join(base, `basin-atlas-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    // made by an earlier run (or a concurrent one): checked below like any other
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    // lstat: a link planted at that name is refused, not followed
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid) return undefined;
    if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
    return dir;
  } catch {
    return undefined;
  }
}
