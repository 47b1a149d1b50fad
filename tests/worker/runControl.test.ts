import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/core/errors';
import type { StartMode } from '../../src/worker/protocol';
import { RunControl } from '../../src/worker/runControl';
import { seeded, testSeed } from '../helpers/random';

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A gate call watched from outside: passed, cancelled, or still waiting. */
function watch(control: RunControl, pauseEvents: boolean[]) {
  const state = { passed: false, cancelled: false, other: undefined as unknown };
  control
    .gate((paused) => pauseEvents.push(paused))
    .then(
      () => (state.passed = true),
      (e) => (e instanceof CancelledError ? (state.cancelled = true) : (state.other = e)),
    );
  return state;
}

/**
 * The rules RunControl should follow, as plain state: a frame may start unless paused with no
 * single steps owed; a frame that starts uses up one owed step; pause, resume, step and cancel
 * change only these fields.
 */
class Model {
  paused: boolean;
  owed: number;
  cancelled = false;
  constructor(start: StartMode) {
    this.paused = start !== 'play';
    this.owed = start === 'step' ? 1 : 0;
  }
  get blocked(): boolean {
    return this.paused && this.owed === 0;
  }
  pass(): void {
    if (this.owed > 0) this.owed--;
  }
  press(op: Op): void {
    if (op === 'pause') this.paused = true;
    if (op === 'resume') this.paused = false;
    if (op === 'step') {
      this.paused = true;
      this.owed++;
    }
    if (op === 'cancel') this.cancelled = true;
  }
}

type Op = 'pause' | 'resume' | 'step' | 'cancel';

describe('RunControl', () => {
  it('play runs freely; paused waits before the first frame; step runs one frame and then waits', async () => {
    const play = new RunControl('play');
    const events: boolean[] = [];
    for (let f = 0; f < 3; f++) await play.gate((p) => events.push(p));
    expect(events).toEqual([]);
    expect(play.isPaused).toBe(false);

    const paused = new RunControl('paused');
    expect(paused.isPaused).toBe(true);
    const first = watch(paused, events);
    await settle();
    expect([first.passed, events]).toEqual([false, [true]]);
    paused.resume();
    await settle();
    expect([first.passed, events]).toEqual([true, [true, false]]);

    const step = new RunControl('step');
    const stepEvents: boolean[] = [];
    expect(step.isPaused).toBe(false);
    await step.gate((p) => stepEvents.push(p));
    expect(step.isPaused).toBe(true);
    const second = watch(step, stepEvents);
    await settle();
    expect([second.passed, stepEvents]).toEqual([false, [true]]);
    step.step();
    await settle();
    expect([second.passed, step.isPaused, stepEvents]).toEqual([true, true, [true, false]]);
  });

  it('steps asked for while running are owed: each lets exactly one more frame through', async () => {
    const control = new RunControl('play');
    control.step();
    control.step();
    const events: boolean[] = [];
    await control.gate((p) => events.push(p));
    await control.gate((p) => events.push(p));
    const third = watch(control, events);
    await settle();
    expect([third.passed, events]).toEqual([false, [true]]);
  });

  it('cancel aborts the signal, rejects a waiting gate and every later one with CancelledError', async () => {
    const control = new RunControl('paused');
    const waiting = watch(control, []);
    await settle();
    control.cancel();
    await settle();
    expect(waiting).toEqual({ passed: false, cancelled: true, other: undefined });
    expect(control.signal.aborted).toBe(true);
    await expect(control.gate(() => {})).rejects.toBeInstanceOf(CancelledError);
    const running = new RunControl('play');
    running.cancel();
    await expect(running.gate(() => {})).rejects.toBeInstanceOf(CancelledError);
  });

  it('follows the model through random sequences of pause, resume, step, cancel and frames', async () => {
    const seed = testSeed('RunControl');
    const rand = seeded(seed);
    for (let t = 0; t < 60; t++) {
      const start = (['play', 'paused', 'step'] as const)[Math.floor(3 * rand())];
      const control = new RunControl(start);
      const model = new Model(start);
      const log: string[] = [`start ${start}`];
      const fail = (what: string) => expect.fail(`${what} after: ${log.join(', ')} (seed ${seed})`);
      const press = (op: Op) => {
        log.push(op);
        control[op]();
        model.press(op);
      };
      for (let frame = 0; frame < 12 && !model.cancelled; frame++) {
        const events: boolean[] = [];
        const gate = watch(control, events);
        log.push('gate');
        await settle();
        const waited = model.blocked;
        // while a frame waits, press buttons until the model says it may start (or it is cancelled)
        while (model.blocked && !model.cancelled) {
          if (gate.passed || gate.cancelled) fail('a gate passed while it should wait');
          if (!control.isPaused) fail('isPaused false while blocked');
          const r = rand();
          press(r < 0.3 ? 'pause' : r < 0.6 ? 'resume' : r < 0.9 ? 'step' : 'cancel');
          await settle();
        }
        if (model.cancelled) {
          if (!gate.cancelled) fail('a cancelled gate did not throw CancelledError');
          break;
        }
        if (!gate.passed) fail(`a gate did not pass (${String(gate.other)})`);
        model.pass();
        if (JSON.stringify(events) !== JSON.stringify(waited ? [true, false] : [])) fail(`pause events ${JSON.stringify(events)}`);
        if (control.isPaused !== model.blocked) fail(`isPaused ${control.isPaused}`);
        // between frames, a random button or none
        const r = rand();
        const op = r < 0.25 ? 'pause' : r < 0.45 ? 'resume' : r < 0.65 ? 'step' : r < 0.7 ? 'cancel' : undefined;
        if (op) press(op);
      }
      if (model.cancelled) {
        await expect(
          control.gate(() => {}),
          `seed ${seed}`,
        ).rejects.toBeInstanceOf(CancelledError);
        expect(control.signal.aborted).toBe(true);
      }
    }
  });
});
