/*
 * The host globals core may use, for `npm run check`'s core-only pass (tsconfig.core.json): the
 * page, the worker and Node all have them, with at least these members. Core's only contact with
 * its host is here; a DOM or Node name anywhere else in core fails the check.
 */

/** what core reads of the AbortSignal a front end hands it */
interface AbortSignal {
  readonly aborted: boolean;
}

/** the clock that bounds a time slice of CPU work (slices.ts, cpuEngine.ts) */
declare const performance: { now(): number };

/** yielding to the event loop between time slices */
declare function setTimeout(callback: () => void, ms?: number): unknown;
