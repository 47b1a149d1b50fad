import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { findPreset } from '../../src/core/tasks/index';
import { parseForm, settle } from '../../src/ui/state/form';
import { decodeHash, encodeHash } from '../../src/ui/state/hashCodec';
import { presetShape } from '../../src/ui/state/taskShape';
import { STORIES } from '../../src/ui/stories/stories';

const doc = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const FINDINGS = readFileSync(new URL('../../docs/FINDINGS.md', import.meta.url), 'utf8');
const headingsOf = (markdown: string) =>
  markdown
    .split('\n')
    .filter((l) => /^#{1,4} /.test(l))
    .map((l) => l.replace(/^#+ /, ''));

describe('stories', () => {
  test('have distinct ids that read well in a link', () => {
    const ids = STORIES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  for (const story of STORIES) {
    test(`"${story.id}": its settings are valid for its preset on either engine, and every one of them is used`, () => {
      expect(findPreset(story.values.task), story.values.task).toBeDefined();
      for (const kind of ['gpu', 'cpu'] as const) {
        const { values, replaced } = settle(story.values, kind);
        expect(replaced, kind).toEqual([]);
        for (const [key, value] of Object.entries(story.values)) expect(values[key], `${kind}: ${key}`).toBe(value);
        expect(parseForm(values, presetShape(values)).errors, kind).toEqual({});
      }
    });

    test(`"${story.id}": its link loads its settings, and its page of the manual and the findings report have the sections it points to`, () => {
      const alone = decodeHash(`#story=${story.id}`, 'gpu');
      expect(alone.problems).toEqual([]);
      expect(alone.story).toBe(story.id);
      expect(alone.values).toEqual(settle(story.values, 'gpu').values);
      // the link the page writes back carries the story and reads back the same
      expect(decodeHash(encodeHash(alone.values, story.id), 'gpu')).toEqual(alone);
      expect(story.doc).toMatch(/^docs\/[a-z/]+\.md$/);
      expect(headingsOf(doc(story.doc)), `${story.doc}: ${story.section}`).toContain(story.section);
      if (story.findings) expect(headingsOf(FINDINGS), story.findings).toContain(story.findings);
      expect(story.command).toMatch(/^npx basin-atlas [a-z]+( |$)/);
    });
  }

  test('a story link with settings of its own: the link wins over the story', () => {
    const decoded = decodeHash('#story=init-or-noise&particles=32&lr=0.3', 'gpu');
    expect(decoded.problems).toEqual([]);
    expect([decoded.story, decoded.values.shared, decoded.values.batch, decoded.values.lr, decoded.values.particles]).toEqual([
      'init-or-noise',
      '1',
      '1',
      '0.3',
      '32',
    ]);
  });

  test("a link whose task is not the story's keeps the settings and drops the story", () => {
    const decoded = decodeHash('#v=1&story=init-or-noise&task=simplicity', 'gpu');
    expect(decoded.story).toBeUndefined();
    expect(decoded.values.task).toBe('simplicity');
    expect(decoded.values.shared).toBe(settle({ task: 'simplicity' }, 'gpu').values.shared);
  });

  test('an unknown story is named, with the known ones, and the defaults shown', () => {
    const decoded = decodeHash('#story=grokking-forever', 'gpu');
    expect(decoded.story).toBeUndefined();
    expect(decoded.values).toEqual(settle({}, 'gpu').values);
    expect(decoded.problems).toEqual([
      `unknown story "grokking-forever" (the stories: ${STORIES.map((s) => s.id).join(', ')}): showing the defaults`,
    ]);
  });
});
