import { describe, expect, test } from 'vitest';
import { defaultValues, parseForm } from '../../src/ui/state/form';
import { PriorView } from '../../src/ui/state/prior.svelte';
import type { RunView } from '../../src/ui/state/runView';
import { presetShape } from '../../src/ui/state/taskShape';
import type { Api } from '../../src/ui/workerClient';
import type { JobKind, JobOutcome, PriorViewResult, RunSettings } from '../../src/worker/protocol';

const settingsOf = (seed: number): RunSettings => {
  const values = defaultValues('cpu', 'boolean');
  const s = parseForm(values, presetShape(values)).settings!;
  return { ...s, config: { ...s.config, seed } };
};

/** A worker whose jobs end when the test says, reporting progress first; it records the cancels it is asked for. */
function fakeApi() {
  const cancels: JobKind[] = [];
  let finish!: (outcome: JobOutcome<PriorViewResult> | Error) => void;
  const api = {
    job: (_kind: JobKind, _request: unknown, onProgress: (p: { fraction: number }) => void) => {
      onProgress({ fraction: 0.5 });
      return new Promise((resolve, reject) => (finish = (o) => (o instanceof Error ? reject(o) : resolve(o))));
    },
    cancel: (kind: JobKind) => void cancels.push(kind),
  } as unknown as Api;
  return { api, cancels, finish: (o: JobOutcome<PriorViewResult> | Error) => finish(o) };
}

// progress is drawn once per animation frame: here at once
globalThis.requestAnimationFrame = (f) => (f(0), 1);
globalThis.cancelAnimationFrame = () => undefined;

const result = (samples: number) => ({ samples }) as unknown as PriorViewResult;

/** The one job-state class every panel's state extends, on the prior's panel with a worker faked. */
describe('a panel job', () => {
  test('runs, shows progress, keeps its result of the training on screen; cancel only while running, naming its kind', async () => {
    let view: RunView = { particles: 16, trained: true, settings: settingsOf(1) };
    const { api, cancels, finish } = fakeApi();
    const prior = new PriorView(api, () => view);
    prior.cancel();
    expect(cancels).toEqual([]);
    prior.samplesText = '100';
    const first = prior.measure();
    expect(prior.status).toBe('running');
    expect(prior.progress).toBe(0.5);
    prior.cancel();
    expect(cancels).toEqual(['prior']);
    finish({ status: 'done', result: result(100) });
    await first;
    expect([prior.status, prior.result?.samples, prior.stale, prior.error]).toEqual(['done', 100, false, undefined]);

    // cancelled: the result before stays; a failure shows its message and keeps it too
    const second = prior.measure();
    expect(prior.progress).toBe(0.5);
    finish({ status: 'cancelled' });
    await second;
    expect([prior.status, prior.result?.samples]).toEqual(['cancelled', 100]);
    const third = prior.measure();
    finish(new Error('UserError: prior samples must be an integer from 1 to 10000000, got 0'));
    await third;
    expect([prior.status, prior.error, prior.result?.samples]).toEqual([
      'error',
      'prior samples must be an integer from 1 to 10000000, got 0',
      100,
    ]);

    // another training on screen: the result is stale; a new job clears the error
    view = { ...view, settings: settingsOf(2) };
    expect(prior.stale).toBe(true);
    const fourth = prior.measure();
    expect([prior.status, prior.error]).toEqual(['running', undefined]);
    finish({ status: 'done', result: result(100) });
    await fourth;
    expect([prior.status, prior.stale]).toEqual(['done', false]);
  });
});
