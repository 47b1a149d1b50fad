import type { RunConfig } from './config';
import type { ModelLayout } from './layout';
import type { Task } from './task';

/**
 * A resolved configuration on its task, with the model layout they make: what runs.ts trains and
 * the analyses it calls measure. On its own so those analyses need not import runs.ts back.
 */
export interface Run {
  readonly config: RunConfig;
  readonly task: Task;
  readonly layout: ModelLayout;
}
