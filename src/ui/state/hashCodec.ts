import { findPreset } from '../../core/tasks/index';
import { findStory, STORIES } from '../stories/stories';
import { DEFAULT_TASK, fieldsFor } from './fields';
import { defaultValues, settle, type FormValues } from './form';
import { DEFAULT_STAGE, readStage, type StageView } from './stageViews';
import { readLineChoice, writeLineChoice } from './barrierHash';
import { DEFAULT_LINE_CHOICE, type LineChoice } from './barrierForm';

/**
 * The URL hash holds the whole form, versioned, so every picture is a link:
 * `#v=1&task=thneeb&k.salience=0.5&lr=0.5&...`, one parameter per field of the table in
 * fields.ts, in its order. Reading a hash never fails: what cannot be used is named in a message
 * and replaced by its default. A story (stories.ts) travels as `story=<id>`: alone
 * (`#story=init-or-noise`) it loads the story's settings; beside settings, they win. The view of
 * the centre stage (stageViews.ts) travels as `stage=<id>`, left out for the map; alone
 * (`#stage=curves`) it opens that view on the default settings. A story's "full size" on a slow
 * device travels as `full=1` beside `story=`, so a reload does not shrink the story again. The
 * barrier view's alignment and set travel as `barriers.align=1` and `barriers.set=NAME`, each
 * left out at its default (barrierHash.ts).
 */
export const HASH_VERSION = 1;

export function encodeHash(
  values: FormValues,
  story?: string,
  stage: StageView = DEFAULT_STAGE,
  full = false,
  line: LineChoice = DEFAULT_LINE_CHOICE,
): string {
  const params = new URLSearchParams({ v: String(HASH_VERSION) });
  if (story) params.set('story', story);
  if (story && full) params.set('full', '1');
  if (stage !== DEFAULT_STAGE) params.set('stage', stage);
  for (const [key] of fieldsFor(values.task ?? '')) params.set(key, values[key] ?? '');
  writeLineChoice(params, line);
  // commas and colons read better unescaped, and both are legal in a fragment
  return '#' + params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

export interface DecodedHash {
  readonly values: FormValues;
  /** what was wrong with the hash, for a visible message; empty when it was fine (or absent) */
  readonly problems: string[];
  /** the story the link opens, when it names a known one */
  readonly story?: string;
  /** the view of the centre stage the link opens, when it names one other than the map */
  readonly stage?: StageView;
  /** the story at its full size even on a slow device (`full=1`); absent otherwise */
  readonly full?: true;
  /** the barrier view's alignment and set, where the link gives them (the set is checked against the task later) */
  readonly line?: LineChoice;
}

/** `full=1` or nothing; anything else is named in one line and the story keeps its size for the device. */
function readFull(text: string | null, story: boolean): { full: boolean; problem?: string } {
  if (text === null) return { full: false };
  if (text !== '1') return { full: false, problem: `ignored full="${text.slice(0, 40)}" (a story's full size is full=1)` };
  if (!story) return { full: false, problem: 'ignored full=1 (it sizes a story, and the link names none)' };
  return { full: true };
}

/**
 * Bounds on a hash worth reading: a real one is a few hundred characters and about 30 parameters.
 * Beyond them (a 1 MB link, thousands of parameters, a value of nested junk) the whole hash is
 * refused in one message before any of it is parsed, so no link can flood the notices or stall the tab.
 */
export const MAX_HASH_CHARS = 4096;
export const MAX_HASH_PARAMS = 64;
export const MAX_HASH_VALUE_CHARS = 512;

function hashTooBig(text: string): string | undefined {
  const refuse = (why: string) => `the link's settings were not read (${why}): showing the defaults`;
  if (text.length > MAX_HASH_CHARS) return refuse(`${text.length} characters; at most ${MAX_HASH_CHARS}`);
  const parts = text.split('&');
  if (parts.length > MAX_HASH_PARAMS) return refuse(`${parts.length} parameters; at most ${MAX_HASH_PARAMS}`);
  const long = parts.find((part) => part.length > MAX_HASH_VALUE_CHARS);
  if (long) return refuse(`a parameter of ${long.length} characters; at most ${MAX_HASH_VALUE_CHARS}`);
  return undefined;
}

export function decodeHash(hash: string, kind: 'gpu' | 'cpu'): DecodedHash {
  const text = hash.replace(/^#/, '');
  if (text === '') return { values: defaultValues(kind), problems: [] };
  const tooBig = hashTooBig(text);
  if (tooBig) return { values: defaultValues(kind), problems: [tooBig] };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { values: defaultValues(kind), problems: ["the link's settings could not be read: showing the defaults"] };
  }
  // the view is read first, whatever else the link holds: a bad view never costs the settings
  const { stage, problem: stageProblem } = readStage(params.get('stage'));
  const shown = stage === DEFAULT_STAGE ? {} : { stage };
  const storyId = params.get('story');
  const story = storyId === null ? undefined : findStory(storyId);
  if (storyId !== null && !story) {
    const known = STORIES.map((s) => s.id).join(', ');
    return {
      values: defaultValues(kind),
      ...shown,
      problems: [`unknown story "${storyId.slice(0, 40)}" (the stories: ${known}): showing the defaults`],
    };
  }
  const version = params.get('v') ?? (story || params.has('stage') ? String(HASH_VERSION) : null);
  if (version === null)
    return {
      values: defaultValues(kind),
      problems: [`the link holds no Basin Atlas settings ("#${text.slice(0, 40)}"): showing the defaults`],
    };
  if (version !== String(HASH_VERSION))
    return {
      values: defaultValues(kind),
      ...shown,
      problems: [`the link is from another version of Basin Atlas (v=${version}; this is v=${HASH_VERSION}): showing the defaults`],
    };

  const { full, problem: fullProblem } = readFull(params.get('full'), !!story);
  const problems: string[] = [...(stageProblem ? [stageProblem] : []), ...(fullProblem ? [fullProblem] : [])];
  let task = params.get('task') ?? story?.values.task ?? DEFAULT_TASK;
  if (!findPreset(task)) {
    problems.push(
      task.startsWith('file:')
        ? `the task file ${task.slice(5)} cannot travel in a link: drop it again; showing the default task`
        : `unknown task "${task}": showing the default task`,
    );
    task = DEFAULT_TASK;
  }
  const known = new Set<string>(fieldsFor(task).map(([key]) => key));
  // the story's settings first, where they belong to the task: what the link itself says wins
  const given: FormValues = story?.values.task === task ? { ...story.values } : {};
  const line = readLineChoice(params, problems);
  for (const [key, value] of params) {
    if (key === 'v' || key === 'story' || key === 'stage' || key === 'full' || line.keys.has(key)) continue;
    if (known.has(key)) given[key] = value;
    else problems.push(`ignored unknown setting "${key}"`);
  }
  given.task = task;
  // a field that does not parse falls back to its default for the task and the fields above it, and says so
  const { values, replaced } = settle(given, kind);
  for (const r of replaced) problems.push(`${r.message}: using ${r.value}`);
  // a link whose task is not the story's is no longer that story
  const told = story?.values.task === task;
  return {
    values,
    problems,
    ...shown,
    ...(told ? { story: story.id } : {}),
    ...(told && full ? { full: true as const } : {}),
    ...(line.choice ? { line: line.choice } : {}),
  };
}
