import type { EngineKind } from '../state/fields';
import { settle, type FormValues } from '../state/form';
import type { Story } from './stories';
import { DEFAULT_PRIOR_SAMPLES } from '../state/prior.svelte';

/** A story's form: its settings, with its smaller sizes on a slow device unless the reader asked for full size. */
export function storyValues(story: Story, kind: EngineKind, slow: boolean, full: boolean): FormValues {
  const small = slow && !full ? story.small : undefined;
  return settle({ ...story.values, ...small }, kind).values;
}

/** Whether a story's smaller sizes apply on this device (and so a "full size" button makes sense). */
export const shrinks = (story: Story, slow: boolean): boolean => slow && (!!story.small || !!story.smallPriorSamples);

/** The prior samples the Prior vs SGD panel starts at for a story: its smaller number on a slow device unless at full size. */
export function storyPriorSamples(story: Story, slow: boolean, full: boolean): number | undefined {
  if (!story.smallPriorSamples) return undefined;
  return slow && !full ? story.smallPriorSamples : DEFAULT_PRIOR_SAMPLES;
}

const count = (x: string) => Number(x).toLocaleString('en');

/** How a size setting reads in a sentence. */
const SIZE_WORDS: Record<string, (v: string) => string> = {
  particles: (v) => `${count(v)} particles`,
  res: (v) => `${/^(8|11|18)/.test(v) && !/^(8|11|18)\d\d/.test(v) ? 'an' : 'a'} ${v} × ${v} map`,
  steps: (v) => `${count(v)} steps`,
  'k.p': (v) => `modulus ${v}`,
  'k.trainFraction': (v) => `training fraction ${v}`,
  lr: (v) => `learning rate ${v}`,
};

/**
 * The one line that says how a story was cut down for this device, from the two forms themselves:
 * "256 particles and a 24 × 24 map, not 1,024 particles and a 64 × 64 map".
 */
export function sizeLine(story: Story, kind: EngineKind): string | undefined {
  const full = storyValues(story, kind, true, true);
  const small = storyValues(story, kind, true, false);
  const changed = Object.keys(SIZE_WORDS).filter((k) => full[k] !== small[k]);
  const samples = (n: number | undefined) => (story.smallPriorSamples ? [`${count(String(n))} prior samples`] : []);
  const words = (v: FormValues, n: number | undefined) => [...changed.map((k) => SIZE_WORDS[k](v[k])), ...samples(n)].join(', ');
  const smallWords = words(small, storyPriorSamples(story, true, false));
  return smallWords === '' ? undefined : `${smallWords}, not ${words(full, storyPriorSamples(story, true, true))}`;
}
