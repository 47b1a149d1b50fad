import type { Engine, RunOptions } from '../../core/engine';
import type { EnsembleResult } from '../../core/runs';
import type { StagedOutput } from '../outputs';
import type { FlagValues, Resolved } from '../resolve';

/** What a measurement subcommand (barriers, sharpness, width, llc, geometry) needs of the command line around it. */
export interface CommandContext {
  /** every output writable and none an input, before any work */
  checkOutputs(raw: FlagValues): void;
  withEngine(raw: FlagValues): Promise<Engine>;
  readonly signal: AbortSignal;
  emit(raw: FlagValues, result: object, human: string, more?: readonly StagedOutput[]): void;
  /**
   * The networks to measure: the ensemble trained as `train` trains it, or with `--params FILE`
   * the vectors in the file, evaluated and classified as `train` classifies (nothing trained).
   * `--params-out` is written either way, with the results (emit). Shows its own progress bar.
   */
  ensemble(raw: FlagValues, resolved: Resolved, engine: Engine, options?: RunOptions): Promise<EnsembleResult>;
}
