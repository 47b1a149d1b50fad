/** Exit status of a command stopped by a signal: 128 + the signal's number, as shells report it. */
export const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;

export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
}

/**
 * How a run stops. The first Ctrl-C (SIGINT), SIGTERM or SIGHUP aborts the run's signal: engines
 * stop between chunks of work, nothing half-written is left (outputs are written whole or not at
 * all) and the command exits with 128 + the signal's number. A second one exits at once, for when
 * the first is not quick enough. Every front end stop goes through here.
 */
export class Interrupts {
  private readonly controller = new AbortController();
  private first: StopSignal | undefined;

  constructor(
    private readonly notice: (line: string) => void,
    private readonly exit: (code: number) => void,
    source: SignalSource = process,
  ) {
    for (const name of Object.keys(SIGNAL_EXIT) as StopSignal[]) source.on(name, () => this.stop(name));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The exit status for a run that stopped because of an interruption. */
  get exitCode(): number {
    return SIGNAL_EXIT[this.first ?? 'SIGINT'];
  }

  stop(name: StopSignal, why?: string): void {
    if (this.first) {
      this.notice('stopped at once');
      this.exit(SIGNAL_EXIT[name]);
      return;
    }
    this.first = name;
    this.notice(why ?? (name === 'SIGINT' ? 'stopping (press Ctrl-C again to stop at once)' : `stopping (${name})`));
    this.controller.abort();
  }

  /**
   * Stops the run as SIGHUP would when the process that started it goes away (this process is
   * handed to another parent). For `npx basin-atlas`: npm's exec wrapper exits at once on SIGTERM
   * without waiting for the command it started, which would otherwise run on, unseen, and write its
   * --out minutes later. Polls; the timer does not keep the process alive.
   */
  watchParent(ppid: () => number, intervalMs = 250): void {
    const parent = ppid();
    const timer = setInterval(() => {
      if (ppid() === parent) return;
      clearInterval(timer);
      this.stop('SIGHUP', 'stopping: the npm exec (npx) that started this command has exited');
    }, intervalMs);
    timer.unref();
  }
}
