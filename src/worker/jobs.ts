import { BarrierJob } from './barrierJob';
import { DecomposeJob } from './decomposeJob';
import type { EngineQueue } from './engineJob';
import { GeometryJob } from './geometryJob';
import { HypermapJob } from './hypermapJob';
import { PriorJob } from './priorJob';
import type { InstrumentJob } from './jobContext';
import type { JobKind } from './protocol';

/** One job per kind of JobMap, each typed by its kind's request, progress and result. */
export type InstrumentJobs = { readonly [K in JobKind]: InstrumentJob<K> };

/**
 * The worker's instrument jobs, one line each (a new instrument adds its line, and its kind in
 * JobMap). They take turns on the engine through `turns`: none starts while another runs.
 */
export function instrumentJobs(turns: EngineQueue) {
  return {
    barriers: new BarrierJob(turns),
    geometry: new GeometryJob(turns),
    decompose: new DecomposeJob(turns),
    prior: new PriorJob(turns),
    hypermap: new HypermapJob(turns),
  } satisfies InstrumentJobs;
}

/** The job of this kind; undefined for a name the worker does not know (the UI's message crosses comlink untyped). */
export function jobOf<K extends JobKind>(jobs: InstrumentJobs, kind: K): InstrumentJob<K> | undefined {
  return Object.hasOwn(jobs, kind) ? jobs[kind] : undefined;
}

/** Cancels the job of this kind; a no-op for an idle job or a name the worker does not know. */
export function cancelJob(jobs: InstrumentJobs, kind: JobKind): void {
  jobOf(jobs, kind)?.cancel();
}

/** Stops every job and waits until the engine is free of them (a new training run needs it). */
export async function stopJobs(jobs: InstrumentJobs): Promise<void> {
  // every one cancelled first: a job queued behind another's would otherwise wait for that one to
  // run to its end before its own cancel came
  const all = Object.values(jobs);
  for (const job of all) job.cancel();
  await Promise.all(all.map((job) => job.idle()));
}
