import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Interrupts } from '../../src/cli/interrupt';
import { BIN, tempDir } from './run';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('Interrupts: the first signal cancels, a second one exits at once', () => {
  afterEach(() => vi.useRealTimers());

  function setUp() {
    const source = new EventEmitter();
    const notices: string[] = [];
    const exits: number[] = [];
    const interrupts = new Interrupts(
      (line) => notices.push(line),
      (code) => exits.push(code),
      source,
    );
    return { source, notices, exits, interrupts };
  }

  it('Ctrl-C once aborts the run and says how to stop at once; twice exits with 130', () => {
    const { source, notices, exits, interrupts } = setUp();
    expect(interrupts.signal.aborted).toBe(false);
    source.emit('SIGINT');
    expect(interrupts.signal.aborted).toBe(true);
    expect(notices).toEqual(['stopping (press Ctrl-C again to stop at once)']);
    expect(exits).toEqual([]);
    expect(interrupts.exitCode).toBe(130);
    source.emit('SIGINT');
    expect(exits).toEqual([130]);
    expect(notices.at(-1)).toBe('stopped at once');
  });

  it('SIGTERM and SIGHUP stop the same way, with 128 + their number', () => {
    const term = setUp();
    term.source.emit('SIGTERM');
    expect([term.interrupts.signal.aborted, term.interrupts.exitCode, term.notices]).toEqual([true, 143, ['stopping (SIGTERM)']]);
    term.source.emit('SIGINT');
    expect(term.exits).toEqual([130]);
    const hup = setUp();
    hup.source.emit('SIGHUP');
    expect([hup.interrupts.signal.aborted, hup.interrupts.exitCode]).toEqual([true, 129]);
  });

  it('the process that started the command going away (npx after SIGTERM) stops it like SIGHUP', () => {
    vi.useFakeTimers();
    const { notices, interrupts } = setUp();
    let parent = 4321;
    interrupts.watchParent(() => parent, 250);
    vi.advanceTimersByTime(5000);
    expect(interrupts.signal.aborted).toBe(false);
    // reparented: to init, or to a subreaper
    parent = 1;
    vi.advanceTimersByTime(250);
    expect(interrupts.signal.aborted).toBe(true);
    expect(interrupts.exitCode).toBe(129);
    expect(notices).toEqual(['stopping: the npm exec (npx) that started this command has exited']);
  });
});

/**
 * The real command line, stopped while it trains. "Training" is known without guessing at times:
 * just before it starts, the command checks its --out folder by creating and removing a file there,
 * which fs.watch sees. No clock: a command that ignored the signal would train its million steps
 * and exit 0 (or outlast the test's timeout), either of which fails the test.
 */
describe.runIf(process.platform === 'linux')('stopping a run of the command line', () => {
  const dir = tempDir();
  /** A minute or more of training on one particle, on the CPU engine. */
  const LONG = ['train', '--engine', 'cpu', '--particles', '1', '--steps', '1000000', '--hidden', '64', '--batch', 'full'];
  let count = 0;
  // a test that times out (as on code without the fix) leaves nothing running: every process that names this file's folder is ours
  afterEach(() => {
    for (const pid of processesWith(dir)) process.kill(pid, 'SIGKILL');
  });

  function folder(): string {
    const path = join(dir, `run-${++count}`);
    mkdirSync(path);
    return path;
  }

  /** Resolves when the command, about to train, probes its --out folder. */
  function aboutToTrain(path: string): Promise<void> {
    return new Promise((resolve) => {
      const watcher = watch(path, (_event, name) => {
        if (!name?.startsWith('.out.json.')) return;
        watcher.close();
        resolve();
      });
    });
  }

  function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
    return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Processes whose command line mentions `marker` (our own children only: the marker is a fresh folder). */
  function processesWith(marker: string): number[] {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} on the CPU engine mid-particle: exits ${code}, cancelled, writing nothing`, { timeout: 120_000 }, async () => {
      const path = folder();
      const ready = aboutToTrain(path);
      const child = spawn(process.execPath, [BIN, ...LONG, '--out', join(path, 'out.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const done = exited(child);
      try {
        await ready;
        child.kill(signal);
        const result = await done;
        expect(result, stderr).toEqual({ code, signal: null });
        expect(stderr).toMatch(/cancelled/);
        expect(readdirSync(path)).toEqual([]);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  }

  it('SIGTERM to `npx basin-atlas` leaves no process behind and no --out', { timeout: 180_000 }, async () => {
    const path = folder();
    const out = join(path, 'out.json');
    const ready = aboutToTrain(path);
    const npx = spawn('npx', ['--yes', '--offline', 'basin-atlas', ...LONG, '--out', out], { cwd: ROOT, stdio: 'ignore' });
    await ready;
    expect(processesWith(path).length).toBeGreaterThan(1);
    // npm's exec wrapper exits at once on SIGTERM, without waiting for the command it started
    npx.kill('SIGTERM');
    // the command stops on its own once it sees its parent gone; one that did not would outlast the test
    while (processesWith(path).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(out)).toBe(false);
  });
});
