import type { Component } from 'svelte';
import type { Sandbox } from '../state/sandbox.svelte';
import type { StageView } from '../state/stageViews';
import BarriersPanel from './barriers/BarriersPanel.svelte';
import DecomposePanel from './decompose/DecomposePanel.svelte';
import MeasuresPanel from './geometry/MeasuresPanel.svelte';
import HypermapPanel from './hypermap/HypermapPanel.svelte';
import PriorPanel from './prior/PriorPanel.svelte';

/**
 * The run's own views: the map and the training curves share one stage section whose drawer is
 * the run's settings (kept mounted when switching between the two), so App.svelte draws them itself.
 */
export type RunStageView = 'map' | 'curves';
export type InstrumentView = Exclude<StageView, RunStageView>;

export const isRunStage = (view: StageView): view is RunStageView => view === 'map' || view === 'curves';

/**
 * Each instrument's panel, by its stage id: App.svelte mounts the chosen one (and only it) on the
 * centre stage. The ids, their order and the tabs' labels are `STAGE_VIEWS` (stageViews.ts, free of
 * Svelte so links and tests read it); a tab added there without its panel here fails `npm run check`.
 */
export const INSTRUMENT_PANELS: Record<InstrumentView, Component<{ sandbox: Sandbox }>> = {
  geometry: MeasuresPanel,
  barriers: BarriersPanel,
  decompose: DecomposePanel,
  hypermap: HypermapPanel,
  prior: PriorPanel,
};
