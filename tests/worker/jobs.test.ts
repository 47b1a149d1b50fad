import { describe, expect, it } from 'vitest';
import { defaultValues, parseForm } from '../../src/ui/state/form';
import { presetShape } from '../../src/ui/state/taskShape';
import { EngineJob, EngineQueue } from '../../src/worker/engineJob';
import { cancelJob, instrumentJobs, jobOf } from '../../src/worker/jobs';
import type { JobKind, JobMap, RunEvent, RunSettings } from '../../src/worker/protocol';
import { SandboxApi } from '../../src/worker/sandboxApi';

// the worker's engine host looks for WebGPU on self.navigator: with none there, the API runs on the CPU engine
(globalThis as { self?: unknown }).self ??= { navigator: {} };

/** A tiny run of the thneeb preset: 8 particles, 20 steps, a 4 × 4 map. */
function tinySettings(): RunSettings {
  const values = defaultValues('cpu', 'thneeb');
  const s = parseForm(values, presetShape(values)).settings!;
  return { ...s, config: { ...s.config, particles: 8, steps: 20 }, plane: { ...s.plane, res: 4 } };
}

const barriers = { particles: 4, points: 3, minBarrier: 0.01, align: false, set: 'train' };
const ignore = () => {};

/** The worker's job registry and SandboxApi.job/cancel: dispatch by kind, refusals, cancels. */
describe('the job registry', () => {
  it('holds one job per kind of JobMap, each with its own lifecycle and words for its refusal', () => {
    const jobs = instrumentJobs(new EngineQueue());
    const kinds: readonly JobKind[] = ['barriers', 'geometry', 'decompose', 'prior', 'hypermap'] satisfies (keyof JobMap)[];
    expect(Object.keys(jobs).sort()).toEqual([...kinds].sort());
    for (const kind of kinds) {
      expect(jobOf(jobs, kind)).toBeInstanceOf(EngineJob);
      expect(jobOf(jobs, kind)?.action).toMatch(/^[a-z ]+$/);
    }
    expect(new Set(kinds.map((k) => jobOf(jobs, k))).size).toBe(kinds.length);
  });

  it('knows no other name, not even an inherited one; cancelling one, or an idle job, is a no-op', () => {
    const jobs = instrumentJobs(new EngineQueue());
    for (const name of ['nope', 'toString', 'constructor', '__proto__']) {
      expect(jobOf(jobs, name as JobKind)).toBeUndefined();
      expect(() => cancelJob(jobs, name as JobKind)).not.toThrow();
    }
    expect(() => cancelJob(jobs, 'prior')).not.toThrow();
  });
});

describe('SandboxApi.job and cancel', async () => {
  const api = new SandboxApi();
  await api.init(ignore);

  it('refuses a job before anything has been trained, and a kind it does not know', async () => {
    await expect(api.job('barriers', barriers, ignore)).rejects.toThrow('UserError: nothing has been trained yet');
    await expect(api.job('nope' as 'prior', { samples: 10 }, ignore)).rejects.toThrow('the worker has no job "nope"');
    expect(() => api.cancel('nope' as JobKind)).not.toThrow();
  });

  it('refuses a job while training runs, in the words of that job', async () => {
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const run = api.run(tinySettings(), (e: RunEvent) => e.type === 'started' && started(), 'paused');
    await isStarted;
    await expect(api.job('prior', { samples: 10 }, ignore)).rejects.toThrow(
      'UserError: training is still running: sample the prior once it has finished',
    );
    api.cancelRun();
    expect((await run).status).toBe('cancelled');
  });

  it('runs a job by kind after training; cancel(kind) stops that kind only; a second job of a kind cancels the first', async () => {
    expect((await api.run(tinySettings(), ignore)).status).toBe('done');
    const fractions: number[] = [];
    const done = await api.job('barriers', barriers, ({ fraction }) => fractions.push(fraction));
    expect(done.status).toBe('done');
    if (done.status === 'done') expect(done.result.particles).toBe(4);
    expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);

    // cancelled before its turn on the engine: it never starts
    const stopped = api.job('barriers', barriers, ignore);
    api.cancel('geometry');
    api.cancel('barriers');
    expect(await stopped).toEqual({ status: 'cancelled' });
    const other = api.job('barriers', barriers, ignore);
    api.cancel('geometry');
    expect((await other).status).toBe('done');

    const first = api.job('barriers', barriers, ignore);
    const second = api.job('barriers', { ...barriers, particles: 3 }, ignore);
    expect(await first).toEqual({ status: 'cancelled' });
    const last = await second;
    expect(last.status === 'done' && last.result.particles).toBe(3);
    api.cancel('barriers');
  });

  it("checks each kind's request and progress types", () => {
    // never called: the compiler checks these lines (npm run check)
    const typed = () => {
      // @ts-expect-error a barrier request is not the prior's
      void api.job('prior', barriers, ignore);
      // @ts-expect-error decompose trains from the settings on screen: they come with its request
      void api.job('decompose', { inits: 2, noises: 2 }, ignore);
      // @ts-expect-error only geometry reports stages
      void api.job('barriers', barriers, ({ stage }: { fraction: number; stage: 'llc' }) => stage);
      void api.job('geometry', { particles: 1, directions: 1, chains: 1, burnin: 1, draws: 1, skipLlc: true }, ({ stage }) => stage);
    };
    expect(typeof typed).toBe('function');
  });
});
