import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcess } from '../cli/run';
import { installPackedCli, type PackedCli } from './packedCli';
import { slurmMissing, startSlurmCluster, type SlurmCluster } from './slurmCluster';

/**
 * The Slurm recipe of docs/sweeps.md, run as written on a real one-node Slurm (Debian's slurm-wlm
 * and munge, started by this test as root): the package installed in a folder as a cluster user
 * installs it, deploy/slurm/sweep.sbatch and merge.sbatch as the package ships them, a task
 * cancelled, the merge that names it, the resubmission, and the merged result against one process's.
 * Only where BASIN_SLURM=1 (.ci/run sets it after installing Slurm); there a machine that cannot
 * run it fails the test rather than skipping it.
 */
const enabled = process.env.BASIN_SLURM === '1';

const TRAIN = ['train', '--engine', 'cpu', '--particles', '24', '--steps', '60', '--batch', '8'];
const HYPERMAP = ['hypermap', '--engine', 'cpu', '--res', '4', '--steps', '30', '--x', 'lr:0.05:2:log', '--y', 'batch:4:16'];

let packed: PackedCli;
let slurm: SlurmCluster;
let dir: string;
const daemons: ChildProcess[] = [];
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
/** A result less what differs between runs of the same command: the time taken, and where the shards ran. */
const sameRun = ({ seconds: _s, shards: _shards, ...rest }: Record<string, unknown>) => rest;

describe.runIf(enabled)('the Slurm recipe (deploy/slurm), on a one-node Slurm', () => {
  beforeAll(async () => {
    const missing = slurmMissing();
    if (missing) throw new Error(`BASIN_SLURM=1 but ${missing}`);
    dir = mkdtempSync(join(tmpdir(), 'basin-atlas-slurm-'));
    packed = installPackedCli();
    slurm = await startSlurmCluster(dir, daemons);
  });
  afterAll(async () => {
    // by process id, whether or not the start finished; the state folder is removed only once they
    // have exited (a daemon still writing its state on the way out made rmdir fail with ENOTEMPTY)
    const running = daemons.reverse().filter((d) => d.exitCode === null && d.signalCode === null);
    const exited = running.map((d) => new Promise((resolve) => d.once('exit', resolve)));
    for (const daemon of running) daemon.kill('SIGTERM');
    await Promise.all(exited);
    packed?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  const recipe = (name: string) => join(packed.dir, 'node_modules', 'basin-atlas', 'deploy', 'slurm', name);
  /** sbatch --parsable from the install folder, as docs/sweeps.md submits; the job id */
  const sbatch = (args: string[], env: Record<string, string> = {}) =>
    slurm.run('sbatch', ['--parsable', ...args], { cwd: packed.dir, env: { ...slurm.env, ...env } }).split(';')[0];
  const at = (...path: string[]) => join(packed.dir, ...path);

  it('a failed task ends in a merge naming the missing shard; SHARDS is required; the resubmitted task completes the run', async () => {
    mkdirSync(at('results'));
    // held, so the cancelled task is cancelled before it starts, whatever the machine's speed
    const job = sbatch(['--hold', '--array=0-3', recipe('sweep.sbatch'), ...TRAIN], { SHARDS: '4' });
    slurm.run('scancel', [`${job}_2`]);
    slurm.run('scontrol', ['release', job]);
    const merge = sbatch([`--dependency=afterany:${job}`, recipe('merge.sbatch')]);
    expect(await slurm.ended(merge)).toBe('FAILED');
    const mergeLog = readFileSync(at('results', `slurm-merge-${merge}.out`), 'utf8');
    expect(mergeLog).toMatch(/basin-atlas: merge: particles 12–17 of the run's 24 are missing \(shard 2\/4\)/);
    expect(existsSync(at('results', 'shard-2.json'))).toBe(false);
    expect(existsSync(at('results', 'run.json'))).toBe(false);

    // a resubmission that forgets SHARDS is refused, and writes nothing
    const forgot = sbatch(['--array=2', recipe('sweep.sbatch'), ...TRAIN]);
    expect(await slurm.ended(forgot)).toBe('FAILED');
    expect(readFileSync(at('results', `slurm-${forgot}_2.out`), 'utf8')).toMatch(/^sweep\.sbatch: set SHARDS to the sweep's shard count/m);
    expect(existsSync(at('results', 'shard-2.json'))).toBe(false);

    const retry = sbatch(['--array=2', recipe('sweep.sbatch'), ...TRAIN], { SHARDS: '4' });
    const merged = sbatch([`--dependency=afterany:${retry}`, recipe('merge.sbatch')]);
    expect(await slurm.ended(merged)).toBe('COMPLETED');
    const run = readJson(at('results', 'run.json'));
    expect(run.shards.map((s: { shard: unknown }) => s.shard)).toHaveLength(4);
    const one = await inProcess([...TRAIN, '--json']);
    expect(one.code, one.stderr).toBe(0);
    expect(sameRun(run)).toEqual(sameRun(JSON.parse(one.stdout)));
  });

  it('a hyper map swept in 3 shards merges into the map one process draws', async () => {
    mkdirSync(at('maps'));
    const env = { SHARDS: '3', RESULTS: 'maps' };
    // the job's output files go beside the results: --output overrides the recipe's results/ path
    const job = sbatch(['--array=0-2', '--output=maps/slurm-%A_%a.out', recipe('sweep.sbatch'), ...HYPERMAP], env);
    const merge = sbatch([`--dependency=afterany:${job}`, '--output=maps/slurm-merge-%j.out', recipe('merge.sbatch')], env);
    const state = await slurm.ended(merge);
    expect(state, readFileSync(at('maps', `slurm-merge-${merge}.out`), 'utf8')).toBe('COMPLETED');
    const one = await inProcess([...HYPERMAP, '--json']);
    expect(one.code, one.stderr).toBe(0);
    expect(sameRun(readJson(at('maps', 'run.json')))).toEqual(sameRun(JSON.parse(one.stdout)));
  });
});
