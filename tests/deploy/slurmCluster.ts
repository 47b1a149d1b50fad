import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync, mkdirSync, chmodSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * A one-node Slurm cluster on this machine, in one folder: munged, slurmctld and slurmd (Debian's
 * munge and slurm-wlm, run as root) started in the foreground as this process's children, with a
 * generated slurm.conf and munge key, and stopped by their process ids.
 */
export interface SlurmCluster {
  readonly dir: string;
  /** the environment the Slurm commands (sbatch, scancel, scontrol) need to reach this cluster */
  readonly env: NodeJS.ProcessEnv;
  /** runs a Slurm client command; its stdout, trimmed */
  run(command: string, args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): string;
  /** the job's JobState once it has ended (COMPLETED, FAILED, CANCELLED…), polling scontrol */
  ended(jobId: string): Promise<string>;
  stop(): void;
}

const ENDED = /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|BOOT_FAIL|DEADLINE)$/;

/** Why this machine cannot run the cluster, or undefined when it can. */
export function slurmMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'the Slurm test starts munged, slurmctld and slurmd as root; run it as root';
  for (const tool of ['munged', 'slurmctld', 'slurmd', 'sbatch'])
    if (!['/usr/sbin', '/usr/bin'].some((dir) => existsSync(join(dir, tool))))
      return `${tool} is not installed (apt-get install slurm-wlm munge)`;
  return undefined;
}

/**
 * Starts the cluster in `dir`. `children` receives each daemon as it starts, so the caller can
 * stop them by process id even if the start never finishes.
 */
export async function startSlurmCluster(dir: string, children: ChildProcess[]): Promise<SlurmCluster> {
  const node = hostname().split('.')[0];
  // ports of their own, so a Slurm already on the machine (or a second test run) is not disturbed;
  // below Linux's ephemeral range (32768 up), where the browsers and servers of the test file
  // running beside this one take theirs
  const port = 20000 + Math.floor(Math.random() * 12000);
  // munged wants its socket's folder open to every user (mkdtemp's is 0700)
  chmodSync(dir, 0o755);
  for (const sub of ['state', 'spool']) mkdirSync(join(dir, sub));
  const key = join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024));
  chmodSync(key, 0o600);
  const socket = join(dir, 'munge.socket');
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=basintest',
      `SlurmctldHost=${node}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      `SlurmctldPort=${port}`,
      `SlurmdPort=${port + 1}`,
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      // no cgroups: containers and CI runners seldom give them
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SwitchType=switch/none',
      'MpiDefault=none',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'JobCompType=jobcomp/none',
      // two CPUs and two "GPUs" (gres.conf: Slurm counts a GPU only with a device file, so two
      // harmless ones stand in): the recipe's --gres=gpu:1 runs as written, two tasks at once
      'GresTypes=gpu',
      `NodeName=${node} CPUs=2 Gres=gpu:2 State=UNKNOWN`,
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'gres.conf'), ['/dev/null', '/dev/zero'].map((file) => `NodeName=${node} Name=gpu File=${file}\n`).join(''));
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf };
  // the jobs' environment is this one (sbatch --export=ALL): none of the recipe's settings from the caller's shell
  for (const name of ['SHARDS', 'RESULTS', 'MERGED', 'BASIN_ATLAS']) delete env[name];
  const daemon = (command: string, args: string[]) => {
    const log = openSync(join(dir, `${command}.out`), 'a');
    const child = spawn(command, args, { env, stdio: ['ignore', log, log] });
    children.push(child);
  };
  const stop = () => {
    // slurmd, then slurmctld, then munged: each by the process id this test started
    for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  };
  const run = (command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
    execFileSync(command, args, { cwd: options.cwd, env: options.env ?? env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  try {
    daemon('munged', [
      '-F',
      '-f',
      `--key-file=${key}`,
      `--socket=${socket}`,
      `--log-file=${dir}/munged.log`,
      `--pid-file=${dir}/munged.pid`,
      `--seed-file=${dir}/munged.seed`,
    ]);
    await until(() => existsSync(socket), 'munged', dir, children);
    daemon('slurmctld', ['-D', '-c', '-f', conf]);
    daemon('slurmd', ['-D', '-f', conf]);
    await until(
      () => {
        try {
          return /idle/.test(run('sinfo', ['--noheader', '--format=%t']));
        } catch {
          return false;
        }
      },
      'slurmctld and slurmd (the node idle)',
      dir,
      children,
    );
  } catch (e) {
    stop();
    throw e;
  }
  return {
    dir,
    env,
    run,
    async ended(jobId) {
      for (;;) {
        const state = /JobState=(\S+)/.exec(run('scontrol', ['show', 'job', jobId]))?.[1] ?? '';
        if (ENDED.test(state)) return state;
        await sleep(250);
      }
    },
    stop,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `ready`; a daemon that exits first fails the start with the logs, instead of a wait for ever. */
async function until(ready: () => boolean, what: string, dir: string, children: ChildProcess[]): Promise<void> {
  while (!ready()) {
    const dead = children.find((child) => child.exitCode !== null || child.signalCode !== null);
    if (dead) {
      throw new Error(`waiting for ${what}, ${dead.spawnfile} exited (${dead.exitCode ?? dead.signalCode}); ${logTails(dir)}`);
    }
    await sleep(250);
  }
}

/** The last lines of the daemons' logs, for a start that failed. */
function logTails(dir: string): string {
  return ['munged.out', 'slurmctld.log', 'slurmd.log']
    .filter((f) => existsSync(join(dir, f)))
    .map((f) => `${f}: ${readFileSync(join(dir, f), 'utf8').trim().split('\n').slice(-4).join(' / ')}`)
    .join('; ');
}
