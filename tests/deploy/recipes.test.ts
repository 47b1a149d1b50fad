import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli/run';

const ROOT = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const DOC = 'docs/sweeps.md';

/** The fenced blocks of a Markdown file whose info string names a file: ```bash deploy/slurm/sweep.sbatch */
function fileBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const m of markdown.matchAll(/^```\w+ (\S+)\n([\s\S]*?)^```$/gm)) blocks.set(m[1], m[2]);
  return blocks;
}

/** Every recipe file under deploy/ (the Dockerfile, the Slurm job files, the Kubernetes manifests). */
const recipeFiles = () =>
  readdirSync(join(ROOT, 'deploy'), { recursive: true, encoding: 'utf8' })
    .map((f) => `deploy/${f}`)
    .filter((f) => /\.(sbatch|yaml)$|Dockerfile$/.test(f))
    .sort();

describe('docs/sweeps.md shows the files under deploy/, as they are', () => {
  it('every file block equals its file, and every recipe file is shown', () => {
    const blocks = fileBlocks(read(DOC));
    for (const [path, shown] of blocks) expect(shown, `${DOC}'s block of ${path}`).toBe(read(path));
    expect([...blocks.keys()].sort()).toEqual(recipeFiles());
    expect(recipeFiles()).toEqual([
      'deploy/Dockerfile',
      'deploy/k8s/merge-job.yaml',
      'deploy/k8s/sweep-job.yaml',
      'deploy/slurm/merge.sbatch',
      'deploy/slurm/sweep.sbatch',
    ]);
  });
});

/** Runs a job file with bash as Slurm would, in `cwd`, with only the given environment (and PATH). */
function job(
  file: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile('bash', [join(ROOT, file), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}

describe('deploy/slurm/sweep.sbatch and merge.sbatch, outside Slurm', () => {
  const dir = tempDir();
  // echo stands in for basin-atlas: the command line the task would run
  const echo = { BASIN_ATLAS: 'echo basin-atlas' };

  it('task i runs the command given with --shard i/$SHARDS and --out results/shard-i.json', async () => {
    const r = await job(
      'deploy/slurm/sweep.sbatch',
      ['train', '--particles', '100'],
      { ...echo, SHARDS: '4', SLURM_ARRAY_TASK_ID: '2' },
      dir,
    );
    expect(r).toEqual({ code: 0, stdout: 'basin-atlas train --particles 100 --shard 2/4 --out results/shard-2.json\n', stderr: '' });
    const elsewhere = await job(
      'deploy/slurm/sweep.sbatch',
      ['hypermap'],
      { ...echo, SHARDS: '3', SLURM_ARRAY_TASK_ID: '0', RESULTS: 'maps' },
      dir,
    );
    expect(elsewhere.stdout).toBe('basin-atlas hypermap --shard 0/3 --out maps/shard-0.json\n');
  });

  it('refuses, in one line and with exit status 2, to run without SHARDS, outside a job array, or without a command', async () => {
    const cases: [Record<string, string>, string[], RegExp][] = [
      [{ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '1' }, ['train'], /^sweep\.sbatch: set SHARDS to the sweep's shard count/],
      [{ SHARDS: '4' }, ['train'], /^sweep\.sbatch: submit it as a job array: SHARDS=4 sbatch --array=0-3 \.\.\.$/m],
      [{ SHARDS: '4', SLURM_ARRAY_TASK_ID: '1' }, [], /^sweep\.sbatch: give the command and its flags after the script/],
    ];
    for (const [env, args, message] of cases) {
      const r = await job('deploy/slurm/sweep.sbatch', args, { ...echo, ...env }, dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('merge.sbatch merges every shard there is, and says so when there is none', async () => {
    const none = await job('deploy/slurm/merge.sbatch', [], echo, dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('merge.sbatch: no results/shard-*.json: every task failed; see results/slurm-*.out\n');
  });
});

describe('deploy/k8s: the Indexed Job and the merge agree', () => {
  const sweep = read('deploy/k8s/sweep-job.yaml');
  const merge = read('deploy/k8s/merge-job.yaml');

  it('shards as many as it completes, retries per index, on ReadWriteMany storage both Jobs mount, from one image', () => {
    const completions = /^ {2}completions: (\d+)$/m.exec(sweep)?.[1];
    expect(sweep).toContain(`--shard=$(JOB_COMPLETION_INDEX)/${completions}`);
    expect(sweep).toMatch(/^ {2}completionMode: Indexed$/m);
    expect(sweep).toMatch(/^ {2}backoffLimitPerIndex: \d+$/m);
    expect(sweep).toMatch(/accessModes: \[ReadWriteMany\]/);
    for (const job of [sweep, merge]) {
      expect(job).toMatch(/restartPolicy: Never/);
      expect(job).toMatch(/claimName: basin-atlas-results$/m);
      expect(job).toMatch(/mountPath: \/results$/m);
    }
    const image = (yaml: string) => /image: (\S+)/.exec(yaml)?.[1];
    expect(image(merge)).toBe(image(sweep));
    expect(sweep).toContain('--out=/results/shard-$(JOB_COMPLETION_INDEX).json');
    expect(merge).toContain('basin-atlas merge /results/shard-*.json --out /results/run.json');
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');
  it('Debian slim with Node 20, the packed CLI installed, Vulkan, the NVIDIA graphics capability, basin-atlas as the entrypoint', () => {
    expect(dockerfile.match(/^FROM node:20-bookworm-slim\b/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^RUN npm pack /m);
    expect(dockerfile).toMatch(/npm install --global --omit=dev .*basin-atlas-\*\.tgz/);
    expect(dockerfile).toMatch(/libvulkan1/);
    expect(dockerfile).toMatch(/mesa-vulkan-drivers/);
    expect(dockerfile).toMatch(/^ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["basin-atlas"\]$/m);
  });
});
