import { describe, expect, test } from 'vitest';
import { defaultAxes } from '../../src/core/instruments/hypermap/hypermapFields';
import { defaultValues, parseForm } from '../../src/ui/state/form';
import type { RunView } from '../../src/ui/state/runView';
import { HypermapView } from '../../src/ui/state/hypermap.svelte';
import { presetShape } from '../../src/ui/state/taskShape';
import type { Api } from '../../src/ui/workerClient';
import type { HypermapRequest, HypermapViewResult, RunSettings, WithSettings } from '../../src/worker/protocol';

const settingsOf = (task: string): RunSettings => {
  const values = defaultValues('gpu', task);
  return parseForm(values, presetShape(values)).settings!;
};

/** A worker that answers every map at once, counting the maps it was asked for. */
function fakeApi() {
  const asked: HypermapRequest[] = [];
  const api = {
    job: async (_kind: 'hypermap', { request }: WithSettings<HypermapRequest>) => {
      asked.push(request);
      return { status: 'done', result: { request } as unknown as HypermapViewResult };
    },
  } as unknown as Api;
  return { api, asked };
}

// the job runner draws progress once per animation frame: none here
globalThis.requestAnimationFrame ??= () => 0;
globalThis.cancelAnimationFrame ??= () => undefined;

describe('the hyperparameter map view', () => {
  test("another task's zoomed axes never carry over; the sizes do", () => {
    let view: RunView = { particles: 1024, trained: true, settings: settingsOf('fractal') };
    const { api } = fakeApi();
    const map = new HypermapView(
      api,
      () => view,
      (s) => ({ config: s.config, layers: s.config.hidden.length + 1, trainRows: 100 }),
    );
    map.set('res', '8');
    map.set('x', 'lr:0:278.9:611.9:log');
    map.set('y', 'lr:1:116.7:152.4:log');
    expect(map.texts.x).toBe('lr:0:278.9:611.9:log');
    view = { ...view, settings: settingsOf('thneeb') };
    expect(map.texts.x).toBe(defaultAxes('thneeb').x);
    expect(map.texts.y).toBe(defaultAxes('thneeb').y);
    expect(map.texts.res).toBe('8');
    expect(map.history).toEqual([]);
  });

  test('a trainability map starts at 33 cells a side, the fewest its boundary dimension is measured on; a classes map at 16', () => {
    let view: RunView = { particles: 1024, trained: true, settings: settingsOf('fractal') };
    const map = new HypermapView(
      fakeApi().api,
      () => view,
      (s) => ({ config: s.config, layers: s.config.hidden.length + 1, trainRows: 100 }),
    );
    expect(map.texts.res).toBe('33');
    view = { ...view, settings: settingsOf('thneeb') };
    expect(map.texts.res).toBe('16');
  });

  test('"back" restores the map it left without mapping again', async () => {
    const view: RunView = { particles: 1024, trained: true, settings: settingsOf('thneeb') };
    const { api, asked } = fakeApi();
    const map = new HypermapView(
      api,
      () => view,
      (s) => ({ config: s.config, layers: s.config.hidden.length + 1, trainRows: 100 }),
    );
    await map.start();
    const whole = map.result;
    await map.zoom('lr:0.1:0.5:log', 'knob:salience:0.9:1.1');
    expect(asked.length).toBe(2);
    expect(map.result).not.toBe(whole);
    await map.back();
    expect(asked.length).toBe(2);
    expect(map.result).toBe(whole);
    expect(map.texts.x).toBe(defaultAxes('thneeb').x);
    expect(map.history).toEqual([]);
  });
});
