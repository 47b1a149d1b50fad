import { NUMBER_FIELDS, parseNumber, type NameStyle, type NumberSpec } from '../../config';
import { quote } from '../../describe';
import { UserError } from '../../errors';
import type { Engine, RunOptions } from '../../engine';
import { DIVERGED } from '../../classify';
import { metricSets, MetricsView } from '../../metricsView';
import type { EnsembleResult, Run } from '../../runs';
import { adjustedRandIndex } from '../../maths/adjustedRand';
import { ariBootstrap, type AriInterval } from './ariInterval';
import { paramCount } from '../../layout';
import { allPairs, barrierSummary, interpolationPoints, type BarrierStats } from './barrier';
import { DEFAULT_REFINEMENT, refineBarriers, segmentEnds, type SegmentLosses } from './barrierRefine';
import { alignTo } from './weightMatching';
import { averageLinkage, chooseClusterCount, cutTree } from '../../maths/clustering';

export interface BarrierSettings {
  /** evenly spaced positions per line, both ends included */
  readonly points: number;
  /** the number of clusters; undefined: chosen by the data */
  readonly clusters?: number;
  /** merges below this barrier (nats) never split clusters when the data chooses their number */
  readonly minBarrier: number;
  /** match each pair's hidden units (weight matching) before drawing the line */
  readonly align?: boolean;
  /** the set whose loss is measured along the lines: 0 the training set, k probe set k − 1 */
  readonly set?: number;
}

export const DEFAULT_BARRIER_SETTINGS: BarrierSettings = { points: 10, minBarrier: 0.01 };

/** The most particles a barrier matrix takes: M(M − 1)/2 lines of `points` evaluations each. */
export const MAX_BARRIER_PARTICLES = 1024;

export const BARRIER_FIELDS = {
  points: { flag: '--points', label: 'points per line', integer: true, min: 2, max: 100 },
  clusters: { flag: '--clusters', label: 'clusters', integer: true, min: 1, max: MAX_BARRIER_PARTICLES },
  minBarrier: { flag: '--min-barrier', label: 'smallest barrier that splits', integer: false, min: 0, max: 1000 },
} as const satisfies Record<string, NumberSpec>;

/** The barrier settings from a user's text (flags or form fields), checked against the run's particle count. */
export function parseBarrierSettings(
  raw: { points?: string; clusters?: string; minBarrier?: string },
  particles: number,
  style: NameStyle = 'flag',
): BarrierSettings {
  const particlesSpec = { ...NUMBER_FIELDS.particles, max: MAX_BARRIER_PARTICLES };
  parseNumber(particlesSpec, particles, style);
  const points = raw.points === undefined ? DEFAULT_BARRIER_SETTINGS.points : parseNumber(BARRIER_FIELDS.points, raw.points, style);
  const minBarrier =
    raw.minBarrier === undefined ? DEFAULT_BARRIER_SETTINGS.minBarrier : parseNumber(BARRIER_FIELDS.minBarrier, raw.minBarrier, style);
  if (raw.clusters === undefined) return { points, minBarrier };
  const clusters = parseNumber({ ...BARRIER_FIELDS.clusters, max: particles }, raw.clusters, style);
  return { points, minBarrier, clusters };
}

/** The training set's name wherever a barrier's set is chosen (`--set train`, the sandbox's "Loss on"). */
export const TRAIN_SET = 'train';

/**
 * The sets a barrier's loss can be measured on, by the names `--set` and the sandbox's selector
 * use: the training set, then the task's probe sets in order. A name's index here is
 * BarrierSettings.set.
 */
export function barrierSets(probes: readonly string[]): string[] {
  return [TRAIN_SET, ...probes];
}

/** The set named by --set (or chosen in the sandbox) among the task's probe sets' names: its index in barrierSets; anything else refused in one line. */
export function parseBarrierSet(text: string, probes: readonly string[], style: NameStyle = 'flag'): number {
  const sets = barrierSets(probes);
  const k = sets.indexOf(text.trim());
  if (k >= 0) return k;
  const name = style === 'flag' ? '--set' : 'the set';
  throw new UserError(`${name} must be one of ${sets.join(', ')} (the training set or a probe set of the task), got ${quote(text.trim())}`);
}

/** What the user asked of a barrier measurement, as given: flags' or form fields' text, the align switch, the set's name. */
export interface BarrierChoices {
  readonly points?: string;
  readonly clusters?: string;
  readonly minBarrier?: string;
  readonly align?: boolean;
  /** absent: the training set */
  readonly set?: string;
}

/**
 * The settings for barrierAnalysis from the user's choices, for `particles` particles of a task
 * with these probe sets: the one path from the CLI's flags and from the sandbox's request.
 */
export function resolveBarrierSettings(
  choices: BarrierChoices,
  particles: number,
  probes: readonly string[],
  style: NameStyle = 'flag',
): BarrierSettings {
  return {
    ...parseBarrierSettings(choices, particles, style),
    align: choices.align === true,
    set: choices.set === undefined ? 0 : parseBarrierSet(choices.set, probes, style),
  };
}

/** Sub-line end points per evaluateLines call in refinement: 16 MiB of float32 at most. */
const SEGMENT_FLOATS = 1 << 22;

export interface BarrierAnalysis {
  /** the coarse positions t along every line, before refinement around each line's peak */
  readonly points: number[];
  /** how each line was refined around its highest coarse point (src/core/instruments/barriers/barrierRefine.ts) */
  readonly refinement: { rounds: number; perRound: number; finalBracket: number; method: string };
  /** whether each pair's hidden units were matched first (weight matching), in words when they were */
  readonly aligned: false | string;
  /** the set whose loss was measured along the lines */
  readonly set: string;
  /** M × M, symmetric, zero diagonal; NaN where a loss on the line was not finite */
  readonly barrier: Float64Array;
  /** cluster index per particle; −1 for particles left out (diverged) */
  readonly clusters: Int32Array;
  readonly clustering: { method: string; clusters: number; chosenBy: string; minBarrier: number; leftOut: number };
  /** adjusted Rand index between the clusters and the outcome classes (diverged particles left out) */
  readonly ari: number;
  /** its 95% interval, a bootstrap over particles (src/core/instruments/barriers/ariInterval.ts) */
  readonly ariInterval: AriInterval;
  readonly summary: Record<string, BarrierStats>;
}

/**
 * Loss barriers between every pair of the ensemble's particles, along straight lines evaluated on
 * the engine in one batched pass, then clustered by average linkage on the barrier as distance.
 */
export async function barrierAnalysis(
  engine: Engine,
  run: Run,
  ensemble: EnsembleResult,
  settings: BarrierSettings,
  options: RunOptions = {},
): Promise<BarrierAnalysis> {
  const { layout, task } = run;
  const m = ensemble.outcomes.length;
  const ts = interpolationPoints(settings.points);
  const allLines = allPairs(m);
  const lines = allLines.length / 2;
  const refinement = DEFAULT_REFINEMENT;
  const set = settings.set ?? 0;
  let finalBracket = 1;
  const p = paramCount(layout);
  const sets = metricSets(task);
  // progress: the coarse pass is `points` evaluations per line, each round `perRound` per bracket
  const work = settings.points + refinement.rounds * refinement.perRound * refinement.peaks;
  const refinedBarrier = new Float64Array(lines);
  // unaligned, every line runs between the ensemble's own vectors; aligned, each line's end b is
  // permuted to match a, so lines go in batches of their own end points
  const batchLines = settings.align ? Math.max(1, Math.floor(SEGMENT_FLOATS / (2 * p))) : lines;
  for (let firstLine = 0; firstLine < lines; firstLine += batchLines) {
    const count = Math.min(batchLines, lines - firstLine);
    const fraction = count / lines;
    const share = (done: number, size: number) => (f: number) =>
      options.onProgress?.(firstLine / lines + (fraction * (done + f * size)) / work);
    let vectors = ensemble.params;
    let pairs = allLines;
    if (settings.align) {
      vectors = new Float32Array(2 * count * p);
      pairs = Uint32Array.from({ length: 2 * count }, (_, k) => k);
      for (let q = 0; q < count; q++) {
        const [i, j] = [allLines[2 * (firstLine + q)], allLines[2 * (firstLine + q) + 1]];
        const a = ensemble.params.subarray(i * p, (i + 1) * p);
        vectors.set(a, 2 * q * p);
        vectors.set(alignTo(layout, a, ensemble.params.subarray(j * p, (j + 1) * p)), (2 * q + 1) * p);
      }
    }
    const coarseOptions = { signal: options.signal, onProgress: share(0, settings.points) };
    const view = new MetricsView(await engine.evaluateLines({ layout, task, vectors, pairs, ts }, coarseOptions), sets);
    let round = 0;
    const segments: SegmentLosses = async (which, lo, hi, ss) => {
      const out = new Float64Array(which.length * ss.length);
      const batch = Math.max(1, Math.floor(SEGMENT_FLOATS / (2 * p)));
      const perRound = refinement.perRound * refinement.peaks;
      const before = settings.points + round * perRound;
      for (let first = 0; first < which.length; first += batch) {
        const end = Math.min(which.length, first + batch);
        const ends = segmentEnds(vectors, p, pairs, which.subarray(first, end), lo.subarray(first, end), hi.subarray(first, end));
        const subPairs = Uint32Array.from({ length: 2 * (end - first) }, (_, k) => k);
        const onProgress = share(before + (first / which.length) * perRound, ((end - first) / which.length) * perRound);
        const sub = new MetricsView(
          await engine.evaluateLines({ layout, task, vectors: ends, pairs: subPairs, ts: ss }, { signal: options.signal, onProgress }),
          sets,
        );
        for (let k = 0; k < (end - first) * ss.length; k++) out[first * ss.length + k] = sub.loss(k, set);
      }
      round++;
      return out;
    };
    const refined = await refineBarriers(count, ts, (line, k) => view.loss(line * ts.length + k, set), segments, refinement);
    refinedBarrier.set(refined.barrier, firstLine);
    finalBracket = refined.bracket;
  }
  const barrier = new Float64Array(m * m);
  for (let i = 0, line = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++, line++) barrier[i * m + j] = barrier[j * m + i] = refinedBarrier[line];
  }

  // diverged particles have no loss to speak of: left out of clusters, ARI and summary
  const diverged = ensemble.classes.indexOf(DIVERGED);
  const labels = Int32Array.from(ensemble.outcomes, (o) => (o === diverged ? -1 : o));
  const kept = [...labels.keys()].filter((i) => labels[i] >= 0);
  const n = kept.length;
  const distance = new Float64Array(n * n);
  kept.forEach((i, a) =>
    kept.forEach((j, b) => (distance[a * n + b] = Number.isFinite(barrier[i * m + j]) ? barrier[i * m + j] : Infinity)),
  );
  const merges = averageLinkage(distance, n);
  const k = n === 0 ? 0 : Math.min(n, settings.clusters ?? chooseClusterCount(merges, n, settings.minBarrier));
  const clusters = new Int32Array(m).fill(-1);
  if (n > 0) cutTree(merges, n, k).forEach((c, a) => (clusters[kept[a]] = c));
  const chosenBy =
    settings.clusters !== undefined
      ? 'given (--clusters)'
      : `the data: the dendrogram is cut in its largest gap between consecutive merge heights, where the merge above the gap is at least minBarrier; with no such gap, one cluster`;
  return {
    points: Array.from(ts),
    refinement: {
      ...refinement,
      finalBracket,
      method: `after the coarse points, ${refinement.rounds} rounds of ${refinement.perRound} evenly spaced points inside the bracket between the best point's neighbours, around each of the line's ${refinement.peaks} highest coarse local maxima; each line's barrier is the highest rise over every point evaluated`,
    },
    aligned: settings.align
      ? "b's hidden units permuted to match a's, per pair, by weight matching (Ainsworth et al. 2023): per hidden layer a linear assignment on the units' incoming and outgoing weights and biases, coordinate descent over layers"
      : false,
    set: barrierSets(task.probes.map((probe) => probe.name))[set],
    barrier,
    clusters,
    clustering: {
      method:
        'average-linkage hierarchical clustering on the barrier matrix (a line whose loss was not finite counts as an infinite barrier)',
      clusters: k,
      chosenBy,
      minBarrier: settings.minBarrier,
      leftOut: m - n,
    },
    ari: adjustedRandIndex(clusters, labels),
    ariInterval: ariBootstrap(
      distance,
      kept.map((i) => labels[i]),
      k,
      run.config.seed,
    ),
    summary: barrierSummary(barrier, labels, ensemble.classes),
  };
}
