import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, inProcess, tempDir } from '../cli/run';
import { installPackedCli, type PackedCli } from './packedCli';

// the packed package, installed as a user would, against the checkout's binary (tsx on the sources)
let packed: PackedCli;
const dir = tempDir();
const at = (name: string) => join(dir, name);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
/** Everything but the time a run took: the same command gives the same bytes. */
const lessSeconds = ({ seconds, ...rest }: { seconds: number }) => (expect(seconds).toBeGreaterThan(0), rest);
const lessTimes = (merged: { seconds: number; shards: { seconds: number }[] }) =>
  lessSeconds({ ...merged, shards: merged.shards.map((s) => lessSeconds(s)) } as never);

const TRAIN = ['train', '--engine', 'cpu', '--particles', '12', '--steps', '80', '--batch', '8'];

beforeAll(() => {
  packed = installPackedCli();
});
afterAll(() => packed?.remove());

async function ok(run: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>, args: string[]) {
  const r = await run(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('the npm package (npm pack, then npm install --omit=dev in an empty folder)', () => {
  it('installs only its runtime dependencies: no TypeScript compiler, no devDependency', () => {
    const modules = join(packed.dir, 'node_modules');
    const devDependencies = Object.keys(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).devDependencies);
    expect(devDependencies).toContain('tsx');
    // a devDependency may be installed only as a runtime dependency's own dependency (webgpu brings @webgpu/types)
    const broughtBy = (name: string) =>
      readdirSync(modules, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('package.json') && !f.includes(`${name}/`))
        .filter((f) => name in (JSON.parse(readFileSync(join(modules, f), 'utf8')).dependencies ?? {}));
    const unwanted = devDependencies.filter((name) => existsSync(join(modules, name)) && broughtBy(name).length === 0);
    expect(unwanted).toEqual([]);
    for (const name of ['tsx', 'typescript', 'vite', 'esbuild', 'd3-scale-chromatic'])
      expect(existsSync(join(modules, name)), name).toBe(false);
    // the built CLI, not the sources
    expect(existsSync(join(modules, 'basin-atlas', 'dist', 'cli', 'basin-atlas.js'))).toBe(true);
    expect(existsSync(join(modules, 'basin-atlas', 'src'))).toBe(false);
  });

  it('lists the tasks exactly as the checkout does', async () => {
    expect(await ok(packed.run, ['tasks'])).toBe(await ok(cli, ['tasks']));
  });

  it('knows every command and flag the checkout knows, its version, and which engine it would use here', async () => {
    const help = await ok(cli, ['--help']);
    expect(await ok(packed.run, ['--help'])).toBe(help);
    const commands = [...help.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['train', 'merge', 'hypermap', 'decompose', 'doctor']));
    for (const command of commands)
      expect(await ok(packed.run, [command, '--help']), command).toBe(await ok(inProcess, [command, '--help']));
    expect(await ok(packed.run, ['--version'])).toBe(await ok(cli, ['--version']));
    expect(JSON.parse(await ok(packed.run, ['doctor', '--json'])).verdict).toEqual(JSON.parse(await ok(cli, ['doctor', '--json'])).verdict);
  });

  it('trains the same networks as the checkout, and reads the digit images it ships (7×7 and 28×28)', async () => {
    await ok(packed.run, [...TRAIN, '--out', at('packed.json')]);
    await ok(cli, [...TRAIN, '--out', at('checkout.json')]);
    expect(lessSeconds(readJson(at('packed.json')))).toEqual(lessSeconds(readJson(at('checkout.json'))));
    const digits = ['train', '--task', 'digits', '--engine', 'cpu', '--particles', '2', '--steps', '3', '--json'];
    expect(lessSeconds(JSON.parse(await ok(packed.run, digits)))).toEqual(lessSeconds(JSON.parse(await ok(cli, digits))));
    const mnist = ['train', '--task', 'mnist', '--engine', 'cpu', '--particles', '2', '--steps', '2', '--json'];
    expect(lessSeconds(JSON.parse(await ok(packed.run, mnist)))).toEqual(lessSeconds(JSON.parse(await ok(cli, mnist))));
  });

  it('merges two shards into the whole run, as the checkout does', async () => {
    for (const i of [0, 1]) await ok(packed.run, [...TRAIN, '--shard', `${i}/2`, '--out', at(`shard-${i}.json`)]);
    await ok(packed.run, ['merge', at('shard-0.json'), at('shard-1.json'), '--out', at('packed-merged.json')]);
    await ok(cli, ['merge', at('shard-1.json'), at('shard-0.json'), '--out', at('checkout-merged.json')]);
    const merged = readJson(at('packed-merged.json'));
    expect(lessTimes(merged)).toEqual(lessTimes(readJson(at('checkout-merged.json'))));
    const { shards: _shards, ...run } = lessTimes(merged) as Record<string, unknown>;
    expect(run).toEqual(lessSeconds(readJson(at('checkout.json'))));
  });

  it('refuses bad input in one line, as the checkout does', async () => {
    const args = ['train', '--engine', 'cpu', '--lr', '-1'];
    const [p, c] = [await packed.run(args), await cli(args)];
    expect([p.code, p.stderr]).toEqual([c.code, c.stderr]);
    expect(p.stderr.trim().split('\n')).toHaveLength(1);
  });
});
