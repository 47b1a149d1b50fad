import * as Comlink from 'comlink';
import type { SandboxApi } from '../worker/sandboxApi';

export type Api = Comlink.Remote<SandboxApi>;

/** The one place the UI meets the engine: a module worker wrapped by comlink. */
export function connectWorker(): Api {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'basin-atlas engine' });
  return Comlink.wrap<SandboxApi>(worker);
}

const USER_ERROR_PREFIX = 'UserError: ';

/** Errors cross the worker boundary as plain Errors; user errors keep a prefix, dropped here. */
export function errorMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.startsWith(USER_ERROR_PREFIX) ? message.slice(USER_ERROR_PREFIX.length) : message;
}
