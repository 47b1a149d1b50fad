import { paramCount } from './layout';
import { parseChoice, parseNumber, type NameStyle, type NumberSpec } from './numbers';
import {
  COMMAND_SETTINGS,
  MAX_SEED,
  RUN_SETTINGS,
  settingDefaults,
  type RunConfig,
  type SettingKey,
  type SettingValues,
} from './runSettings';
import { UserError } from './errors';
import type { Activation, OptimizerName } from './layout';
import type { InitDist } from './init';

/**
 * A run's configuration, its defaults and its checks, derived from the settings table
 * (runSettings.ts), plus the checks that span fields: the model's size, the particle range.
 */

export { describeRange, fieldName, parseChoice, parseDecimal, parseNumber, type NameStyle, type NumberSpec } from './numbers';
export {
  MAX_HIDDEN_LAYERS,
  MAX_PARTICLES,
  MAX_SEED,
  MAX_WIDTH,
  parseBatch,
  parseHidden,
  parseLrScaleList,
  parseLrScales,
  type RunConfig,
} from './runSettings';

const { trainThreshold, probeThreshold, ...trained } = settingDefaults();

export const DEFAULT_CONFIG: RunConfig = {
  task: 'thneeb',
  knobs: {},
  ...trained,
  thresholds: { train: trainThreshold, probe: probeThreshold },
};

/**
 * Most parameters one particle may have: 2^17, past an MNIST-scale 784-128-10 net (101,770). The
 * batched trainer holds each particle's parameters, gradient and activations in storage buffers,
 * so the bound is what the oracle tests and the benchmark cover, not a kernel's private memory
 * (the per-particle kernels stop at 4,096: src/engine/trainerChoice.ts).
 */
export const MAX_PARAMS = 1 << 17;
/** Why MAX_PARAMS, in the one line a refusal prints. */
const MAX_PARAMS_WHY = 'the largest size the engines are tested and benchmarked at';

type NumberSettingKey = {
  [K in SettingKey]: (typeof RUN_SETTINGS)[K] extends { readonly spec: NumberSpec } ? K : never;
}[SettingKey];

/** Every numeric setting's range, named by its flag and label: the run's and the commands' beside it. */
export const NUMBER_FIELDS = Object.fromEntries(
  [...Object.entries(RUN_SETTINGS), ...Object.entries(COMMAND_SETTINGS)].flatMap(([key, s]) =>
    'spec' in s && s.spec ? [[key, s.spec]] : [],
  ),
) as { readonly [K in NumberSettingKey | keyof typeof COMMAND_SETTINGS]: NumberSpec };

export type NumberField = keyof typeof NUMBER_FIELDS;

export function parseField(field: NumberField, raw: unknown, style: NameStyle = 'flag'): number {
  return parseNumber(NUMBER_FIELDS[field], raw, style);
}

const choice =
  <K extends 'activation' | 'optimizer' | 'initDist'>(key: K) =>
  (raw: unknown, style: NameStyle = 'flag'): SettingValues[K] => {
    const s = RUN_SETTINGS[key];
    return parseChoice(style === 'flag' ? s.flag : s.label, s.choices as readonly SettingValues[K][], raw);
  };

export const parseActivation: (raw: unknown, style?: NameStyle) => Activation = choice('activation');
export const parseInitDist: (raw: unknown, style?: NameStyle) => InitDist = choice('initDist');
export const parseOptimizer: (raw: unknown, style?: NameStyle) => OptimizerName = choice('optimizer');

/** Checks what depends on more than one field: the model's size, the particle index range. */
export function checkConfig(config: RunConfig, inputs: number, outputs: number, style: NameStyle = 'flag'): void {
  checkModelSize(config.hidden, inputs, outputs, style, false, config.bias);
  checkParticleRange(config.firstParticle, config.particles, style);
}

/**
 * The network fits the trainer: at most MAX_PARAMS parameters. `hiddenIsDefault`: the user gave no
 * widths, so the message names the default they did not choose and a width that fits.
 */
export function checkModelSize(
  hidden: readonly number[],
  inputs: number,
  outputs: number,
  style: NameStyle = 'flag',
  hiddenIsDefault = false,
  bias = true,
): void {
  const widths = [inputs, ...hidden, outputs];
  const p = paramCount({ widths, bias });
  if (p <= MAX_PARAMS) return;
  const name = style === 'flag' ? '--hidden' : 'hidden widths';
  if (!hiddenIsDefault)
    throw new UserError(
      `${name}: a ${widths.join('-')} network${bias ? '' : ' without biases'} has ${p} parameters; at most ${MAX_PARAMS} are supported (${MAX_PARAMS_WHY})`,
    );
  // one hidden layer of w units has (inputs + 1)·w + (w + 1)·outputs parameters
  const fits = Math.floor((MAX_PARAMS - outputs) / (inputs + 1 + outputs));
  const hint = fits >= 1 ? `give a smaller one, e.g. ${name} ${fits}` : 'give a smaller one';
  throw new UserError(
    `${name} was not given and its default ${hidden.join(',')} makes a ${widths.join('-')} network of ${p} parameters; at most ${MAX_PARAMS} are supported (${MAX_PARAMS_WHY}): ${hint}`,
  );
}

/** Particle indices firstParticle … firstParticle + particles − 1 all fit a uint32 noise stream. */
export function checkParticleRange(firstParticle: number, particles: number, style: NameStyle = 'flag'): void {
  if (firstParticle + particles - 1 > MAX_SEED) {
    throw new UserError(
      `${style === 'flag' ? '--first-particle' : 'first particle'} + particles must stay below 2^32, got ${firstParticle} + ${particles}`,
    );
  }
}
