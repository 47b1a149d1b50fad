import type { RunOptions, TrainingSession } from './engine';
import type { Run } from './run';

/**
 * Another way than the task's classes to give each trained particle its outcome, handed to
 * trainEnsemble by its caller (runs.ts knows no instrument). It trains the fresh session itself,
 * for run.config.steps steps, since it may need to look along the way (the trainability score
 * reads the loss over the last steps).
 */
export interface OutcomeRule {
  /** its name, as `--outcome` spells it */
  readonly name: string;
  /** the classes its outcomes index */
  readonly classes: readonly string[];
  /** trains `session` (fresh, at step 0) for run.config.steps steps; the outcome class index per particle */
  train(session: TrainingSession, run: Run, options: RunOptions): Promise<{ readonly outcomes: Uint8Array }>;
}
