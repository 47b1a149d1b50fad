import type { Engine } from '../core/engine';
import { UserError } from '../core/errors';
import type { EnsembleResult } from '../core/runs';
import type { Task } from '../core/task';
import type { JobKind, JobOutcome, JobProgressOf, JobRequest, JobResult, RunSettings } from './protocol';
import type { RunResults } from './sandboxRun';

/** What an instrument job reads of the worker when it starts. */
export interface JobContext {
  readonly engine: Engine;
  /** the last run that produced anything (the ensemble on screen); undefined before the first */
  readonly results: RunResults | undefined;
  /** the task `settings` name, checked against their model (a UserError when it does not fit) */
  task(settings: RunSettings): Task;
}

/**
 * One instrument job of the worker, as the registry (jobs.ts) and SandboxApi see it: an EngineJob
 * whose measure takes the job context, its request and a progress callback of one shape.
 */
export interface InstrumentJob<K extends JobKind> {
  /** what the user asked for, in words, for "training is still running: <action> once it has finished" */
  readonly action: string;
  measure(context: JobContext, request: JobRequest<K>, onProgress: (progress: JobProgressOf<K>) => void): Promise<JobOutcome<JobResult<K>>>;
  /** cancels the run in progress or waiting; a no-op when there is none */
  cancel(): void;
  /** cancels a run in progress and waits until the engine is free of it */
  stop(): Promise<void>;
  /** resolves once its work has ended (without cancelling it) */
  idle(): Promise<void>;
}

/** The results of the run on screen and its ensemble, for the jobs that measure trained particles. */
export function trainedEnsemble(context: JobContext): { results: RunResults; ensemble: EnsembleResult } {
  const results = context.results;
  const ensemble = results?.ensemble;
  if (!results || !ensemble) throw new UserError('nothing has been trained yet');
  return { results, ensemble };
}
