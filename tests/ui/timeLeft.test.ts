import { describe, expect, test } from 'vitest';
import { MIN_MEASURED_MS, RATE_WINDOW_MS, TimeLeft } from '../../src/ui/state/timeLeft';

describe('time left, from the rate measured after warm-up', () => {
  test('gives nothing before enough is measured, then the true time left of a steady run', () => {
    const est = new TimeLeft();
    expect(est.secondsLeft(0)).toBeUndefined();
    // a 100 s run after a 60 s warm-up (the plane, compiling): samples begin at the first frame
    const warmEnd = 60_000;
    const at = (s: number) => warmEnd + s * 1000;
    est.sample(at(0), 0);
    est.sample(at(1), 0.01);
    expect(est.secondsLeft(at(1))).toBeUndefined();
    for (let s = 2; s <= 30; s++) est.sample(at(s), s / 100);
    // 30 s in, 70 s left, whatever the warm-up took (from the run's start it would say 163 s)
    expect(est.secondsLeft(at(30))).toBeCloseTo(70, 9);
    // time passing since the last sample counts as spent
    expect(est.secondsLeft(at(32))).toBeCloseTo(68, 9);
    est.sample(at(100), 1);
    expect(est.secondsLeft(at(100))).toBeUndefined();
  });

  test('follows a kernel that becomes faster within its window, and restarts when progress falls back', () => {
    const est = new TimeLeft();
    let t = 0;
    let p = 0;
    // 1% per second for 20 s, then 4% per second
    for (; t <= 20_000; t += 500) est.sample(t, (p = t / 100_000));
    expect(est.secondsLeft(t - 500)).toBeCloseTo(80, 6);
    const switchAt = t - 500;
    for (; t <= switchAt + RATE_WINDOW_MS + 1000; t += 500) est.sample(t, (p = 0.2 + ((t - switchAt) / 1000) * 0.04));
    const last = t - 500;
    expect(est.secondsLeft(last)).toBeCloseTo((1 - p) / 0.04, 6);
    // a second phase counting from 0 again
    est.sample(last + 500, 0.01);
    expect(est.warm).toBe(true);
    expect(est.secondsLeft(last + 500 + MIN_MEASURED_MS)).toBeUndefined();
  });
});
