import { UserError } from './errors';
import { paramCount, type ModelLayout } from './layout';
import { list } from './results';
import type { Run } from './run';

/**
 * The parameters file: one format that the sandbox exports, `--params-out` writes and `--params` /
 * `--init` read (docs/cli.md, "Parameters files"). A header says which model and task the vectors
 * belong to; `particles` holds them last, so a reader meets the header before the first vector:
 *
 *   {"format":"basin-atlas-params","version":1,
 *    "model":{"widths":[3,16,1],"activation":"tanh","parameters":81},
 *    "order":"PyTorch nn.Linear: …","task":{"name":"thneeb","knobs":{…}},"steps":1000,"config":{…},
 *    "particles":[{"index":0,"outcome":"shape","params":[…81 numbers…]}, …]}
 *
 * `model` is the results' `model` field (core/results.ts). A one-network export adds `target`
 * ("particle-3", "grid-17") and holds that one particle. Readers also take a bare list of vectors
 * (`[[…], […]]`, the old --params-out) and one flat vector (`[…]`).
 */
export const PARAMS_FORMAT = 'basin-atlas-params';
export const PARAMS_VERSION = 1;
export const PARAMS_ORDER = 'PyTorch nn.Linear: for each layer, weight [out][in] row-major, then bias [out]';

/** The model a parameters file is for: the results' `model` field. */
export interface ParamsModel {
  readonly widths: readonly number[];
  readonly activation: string;
  readonly parameters: number;
  /** false only for a model without biases */
  readonly bias?: false;
}

export const paramsModel = (layout: ModelLayout): ParamsModel => ({
  widths: [...layout.widths],
  activation: layout.activation,
  parameters: paramCount(layout),
  ...(layout.bias === false ? { bias: false as const } : {}),
});

export interface ParamsHeader {
  readonly format: typeof PARAMS_FORMAT;
  readonly version: number;
  readonly model: ParamsModel;
  readonly order: string;
  readonly task: { readonly name: string; readonly knobs: Record<string, number> };
  /** the training steps the vectors took (a stopped run: the steps it did); null for networks given, not trained */
  readonly steps: number | null;
  readonly config: Run['config'];
  readonly target?: string;
}

export function paramsHeader(run: Run, steps: number | null, target?: string): ParamsHeader {
  return {
    format: PARAMS_FORMAT,
    version: PARAMS_VERSION,
    model: paramsModel(run.layout),
    order: PARAMS_ORDER,
    task: { name: run.task.name, knobs: { ...run.task.params } },
    steps,
    config: run.config,
    ...(target !== undefined ? { target } : {}),
  };
}

/** One network of the file: its global index, its outcome where it has one, and its vector. */
export interface ParamsParticle {
  readonly index: number;
  readonly outcome?: string;
  readonly params: (number | null)[];
}

/**
 * The file's text in pieces of about a megabyte: a list of a million vectors is never one string.
 * `outcome(i)` names vector i's class, `index(i)` its global index. NaN is written null (JSON has
 * no spelling for it), which a reader refuses by position.
 */
export function* paramsFileText(
  header: ParamsHeader,
  params: Float32Array,
  count: number,
  index: (i: number) => number,
  outcome?: (i: number) => string,
): Generator<string> {
  const p = params.length / count;
  let piece = `${JSON.stringify(header).slice(0, -1)},"particles":[`;
  for (let i = 0; i < count; i++) {
    const particle: ParamsParticle = {
      index: index(i),
      ...(outcome ? { outcome: outcome(i) } : {}),
      params: list(params.subarray(i * p, (i + 1) * p)),
    };
    piece += `${i > 0 ? ',' : ''}${JSON.stringify(particle)}`;
    if (piece.length > 1 << 20) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}]}`;
}

const text = (v: unknown) => JSON.stringify(v);

/**
 * A header field read against the run's model: the problem in one line naming the field, or
 * undefined. `model.widths` etc.; the sandbox's first exports wrote `widths` and `activation` at
 * the top, read the same way.
 */
export function paramsHeaderProblem(key: string, value: unknown, model: ParamsModel): string | undefined {
  const against = (field: string, got: unknown, want: unknown) =>
    text(got) === text(want)
      ? undefined
      : `${field} is ${text(got)}, but the run's model has ${text(want)}: give the run flags (--task, its knobs, --hidden, --activation, --no-bias) the file was written with`;
  switch (key) {
    case 'format':
      return value === PARAMS_FORMAT ? undefined : `format is ${text(value)}, expected "${PARAMS_FORMAT}"`;
    case 'version':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= PARAMS_VERSION
        ? undefined
        : `version is ${text(value)}; this basin-atlas reads parameters files of version 1 to ${PARAMS_VERSION}`;
    case 'model': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `model must be an object, got ${text(value)}`;
      const m = value as Partial<Record<keyof ParamsModel, unknown>>;
      return (
        against('model.widths', m.widths, model.widths) ??
        against('model.activation', m.activation, model.activation) ??
        (m.parameters === undefined ? undefined : against('model.parameters', m.parameters, model.parameters)) ??
        against('model.bias', m.bias ?? true, model.bias ?? true)
      );
    }
    case 'widths':
      return against('widths', value, model.widths);
    case 'activation':
      return against('activation', value, model.activation);
    default:
      return undefined;
  }
}

/** Throws the header's first problem as a UserError. */
export function checkParamsHeader(key: string, value: unknown, model: ParamsModel): void {
  const problem = paramsHeaderProblem(key, value, model);
  if (problem) throw new UserError(problem);
}
