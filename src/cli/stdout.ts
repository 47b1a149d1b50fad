/**
 * Standard output that remembers a failed write. Results go to stdout and nowhere else with
 * --json: a full disk (`> /dev/full`) or a reader that went away (`| head -0`) must not end in
 * exit status 0 with nothing written, so every write of the command goes through here and the
 * command asks, before it exits, whether all of them arrived.
 */
export class CheckedOutput {
  private failure: Error | undefined;

  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {
    // without a listener, a failed write would crash the process with a stack trace
    stream.on('error', (e: Error) => this.fail(e));
  }

  private fail(e: Error | null | undefined): void {
    if (e) this.failure ??= e;
  }

  write = (text: string): void => {
    if (this.failure) return;
    this.stream.write(text, (e) => this.fail(e));
  };

  /** Resolves once every write has been handed to the system: undefined, or the first error. */
  finish(): Promise<Error | undefined> {
    if (this.failure) return Promise.resolve(this.failure);
    return new Promise((resolve) =>
      this.stream.write('', (e) => {
        this.fail(e);
        resolve(this.failure);
      }),
    );
  }
}

/** "no space left on device", "the reader closed it": for `basin-atlas: cannot write the results to standard output (…)`. */
export function describeWriteError(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'EPIPE') return 'the reading end was closed';
  if (code === 'EFBIG') return 'file too large';
  if (code === 'EBADF') return 'it is closed';
  return e.message;
}
