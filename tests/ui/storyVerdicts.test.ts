import { describe, expect, test } from 'vitest';
import { parseForm, settle } from '../../src/ui/state/form';
import { presetShape } from '../../src/ui/state/taskShape';
import { findStory, STORIES } from '../../src/ui/stories/stories';
import { sizeLine, storyPriorSamples, storyValues } from '../../src/ui/stories/storySize';
import { grokkingSignature, nearlyAll, share, splitsAmong, splitsBetween, wins, type StoryScreen } from '../../src/ui/stories/verdicts';

const CLASSES = ['colour', 'shape', 'mixed', 'unconverged', 'diverged'];
const screen = (counts: number[], curves: StoryScreen['curves'] = [], probes = ['colour', 'shape'], classes = CLASSES): StoryScreen => ({
  classes,
  counts,
  probes,
  curves,
});
const band = (mid: number) => ({ lo: mid, mid, hi: mid });

describe('story verdicts, computed from the numbers on screen', () => {
  test('a split between two classes: each must hold the least share', () => {
    const rule = splitsBetween(['colour', 'shape'], 0.05);
    expect(rule(screen([60, 30, 10, 0, 0]))).toEqual({ agrees: true, text: 'colour 60%, shape 30% of 100 particles' });
    expect(rule(screen([96, 4, 0, 0, 0]))).toEqual({
      agrees: false,
      text: 'shape below 5% (colour 96%, shape 4% of 100 particles), so the seed did not split them',
    });
    expect(share(screen([0, 0, 0, 0, 0]), 'colour')).toBe(0);
  });

  test('a split among several, nearly all in one, and one class beating another', () => {
    expect(splitsAmong(['colour', 'shape', 'mixed'], 2, 0.05)(screen([50, 0, 50, 0, 0]))?.agrees).toBe(true);
    expect(splitsAmong(['colour', 'shape', 'mixed'], 2, 0.05)(screen([98, 1, 1, 0, 0]))?.agrees).toBe(false);
    const linear = screen([97, 0, 3, 0, 0], [], ['linear', 'slab'], ['linear', 'slab', 'mixed', 'unconverged', 'diverged']);
    expect(nearlyAll('linear', 0.95)(linear)).toEqual({ agrees: true, text: 'linear 97% of 100 particles' });
    expect(nearlyAll('slab', 0.95)(linear)).toEqual({ agrees: false, text: 'slab holds 0%, not 95% or more' });
    expect(wins('colour', 'shape', 0.5, 3)(screen([80, 20, 0, 0, 0]))?.agrees).toBe(true);
    expect(wins('colour', 'shape', 0.5, 3)(screen([60, 30, 10, 0, 0]))?.agrees).toBe(false);
  });

  test("grokking: core's one rule on the median curves (at chance ≥ 10× the fitting time, then 0.9)", () => {
    const classes = ['generalised', 'memorised', 'mixed', 'unconverged', 'diverged'];
    // p = 23: chance 1/23, "at chance" is at most 2/23 ≈ 0.087
    const curve = (fitAt: number, leaveAt: number, generalAt: number) =>
      [0, 50, 100, 150, 200, 400, 1000, 1100, 1500, 2000].map((step) => ({
        step,
        trainAcc: band(step >= fitAt ? 1 : 0.5),
        probeAcc: [band(step >= generalAt ? 0.95 : step >= leaveAt ? 0.3 : 0.05)],
      }));
    const rule = grokkingSignature('generalised');
    const grok = (c: StoryScreen['curves']) => rule({ ...screen([16, 0, 0, 0, 0], c, ['generalised'], classes), chance: 1 / 23 });
    // fitted at 100, at chance until 1,100 (10× the fit after it), 0.9 at 1,500: the plateau
    expect(grok(curve(100, 1100, 1500))).toEqual({
      agrees: true,
      text: 'training fitted by step 100, held-out pairs, left chance at step 1100 (10× the fitting time after the fit), reached 0.9 at step 1500',
    });
    // fitted at 100, above chance from 1,000 (9×): gradual, however late it reaches 0.9
    expect(grok(curve(100, 1000, 2000))).toEqual({
      agrees: false,
      text: 'training fitted by step 100, held-out pairs, left chance at step 1000 (9× the fitting time after the fit), reached 0.9 at step 2000: gradual, not at chance for 10× the fitting time',
    });
    expect(grok(curve(100, 150, 400))?.agrees).toBe(false);
    expect(grok(curve(100, 1100, 10_000))).toEqual({
      agrees: false,
      text: 'training fitted by step 100, but held-out accuracy never reached 0.9',
    });
    expect(grok(curve(10_000, 10_000, 10_000))?.text).toBe('training accuracy never reached 0.9 (median)');
  });
});

describe('stories sized for a slow device', () => {
  for (const story of STORIES.filter((s) => s.small)) {
    test(`"${story.id}": its smaller settings are valid and keep every setting of the story that they do not resize`, () => {
      const { replaced } = settle({ ...story.values, ...story.small }, 'gpu');
      expect(replaced).toEqual([]);
      const small = storyValues(story, 'gpu', true, false);
      expect(parseForm(small, presetShape(small)).errors).toEqual({});
      for (const [k, v] of Object.entries(story.values)) if (!(k in story.small!)) expect(small[k], k).toBe(v);
      // full size, or a fast device: the story's own settings
      expect(storyValues(story, 'gpu', true, true)).toEqual(settle(story.values, 'gpu').values);
      expect(storyValues(story, 'gpu', false, false)).toEqual(settle(story.values, 'gpu').values);
    });
  }

  test('the line that says how a story was cut down comes from the two forms', () => {
    expect(sizeLine(findStory('colour-or-shape')!, 'gpu')).toBe('256 particles, a 24 × 24 map, not 1,024 particles, a 64 × 64 map');
    // the prior story also draws fewer prior samples in its panel
    expect(sizeLine(findStory('prior-vs-sgd')!, 'gpu')).toBe(
      '256 particles, an 8 × 8 map, 30,000 prior samples, not 1,024 particles, a 64 × 64 map, 100,000 prior samples',
    );
    expect(storyPriorSamples(findStory('prior-vs-sgd')!, true, false)).toBe(30_000);
    expect(storyPriorSamples(findStory('prior-vs-sgd')!, true, true)).toBe(100_000);
    expect(storyPriorSamples(findStory('colour-or-shape')!, true, false)).toBeUndefined();
    expect(sizeLine(findStory('grokking')!, 'gpu')).toBe(
      'a 2 × 2 map, modulus 11, training fraction 0.8, learning rate 0.01, not a 64 × 64 map, modulus 23, training fraction 0.6, learning rate 0.005',
    );
  });
});
