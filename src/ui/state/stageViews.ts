/**
 * The views of the centre stage, in the switcher's order. Ids follow the command line's
 * subcommands (`barriers`, `geometry`, `decompose`, `hypermap`, `prior`), so a link and a
 * command name the same instrument; the labels are what the tabs say.
 */
export const STAGE_VIEWS = [
  { id: 'map', label: 'Map' },
  { id: 'curves', label: 'Curves' },
  { id: 'geometry', label: 'Geometry' },
  { id: 'barriers', label: 'Barriers' },
  { id: 'decompose', label: 'Init or noise' },
  { id: 'hypermap', label: 'Hyperparameter map' },
  { id: 'prior', label: 'Prior vs SGD' },
] as const;

export type StageView = (typeof STAGE_VIEWS)[number]['id'];

/** The view a first visit opens, and the one a link without `stage=` shows. */
export const DEFAULT_STAGE: StageView = 'map';

export function isStageView(text: string): text is StageView {
  return STAGE_VIEWS.some((v) => v.id === text);
}

/** The view a link names, or the default with one line saying why the named one was not opened. */
export function readStage(text: string | null): { stage: StageView; problem?: string } {
  if (text === null || isStageView(text)) return { stage: text ?? DEFAULT_STAGE };
  const known = STAGE_VIEWS.map((v) => v.id).join(', ');
  return { stage: DEFAULT_STAGE, problem: `unknown view "${text.slice(0, 40)}" (the views: ${known}): showing the ${DEFAULT_STAGE}` };
}
