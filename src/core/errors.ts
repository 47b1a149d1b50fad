/**
 * An error caused by what the user gave us (a flag, a file, a URL parameter).
 * Front ends print `message` alone — one line, no stack trace — and keep running or exit 2.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

/** Thrown when an AbortSignal fires; front ends treat it as a quiet stop, not a failure. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * The GPU can no longer run the work: the device was lost (driver reset, tab in the background
 * too long, GPU watchdog) or reported an error. Front ends report it in one line and offer to
 * start again on a fresh device; results finished before it are kept.
 */
export class DeviceFailure extends Error {
  override readonly name = 'DeviceFailure';
}
