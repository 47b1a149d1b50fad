import type { EngineKind } from '../state/fields';
import { settle, type FormValues } from '../state/form';
import type { Story } from './stories';

/** A story's form: its settings, with its smaller sizes on a slow device unless the reader asked for full size. */
export function storyValues(story: Story, kind: EngineKind, slow: boolean, full: boolean): FormValues {
  const small = slow && !full ? story.small : undefined;
  return settle({ ...story.values, ...small }, kind).values;
}

/** Whether a story's smaller sizes apply on this device (and so a "full size" button makes sense). */
export const shrinks = (story: Story, slow: boolean): boolean => slow && !!story.small;

const count = (x: string) => Number(x).toLocaleString('en');

/** How a size setting reads in a sentence. */
const SIZE_WORDS: Record<string, (v: string) => string> = {
  particles: (v) => `${count(v)} particles`,
  res: (v) => `a ${v} × ${v} map`,
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
  if (!story.small) return undefined;
  const full = storyValues(story, kind, true, true);
  const small = storyValues(story, kind, true, false);
  const changed = Object.keys(SIZE_WORDS).filter((k) => full[k] !== small[k]);
  if (changed.length === 0) return undefined;
  const words = (v: FormValues) => changed.map((k) => SIZE_WORDS[k](v[k])).join(', ');
  return `${words(small)}, not ${words(full)}`;
}
