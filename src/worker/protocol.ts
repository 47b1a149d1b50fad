import type { RunConfig } from '../core/config';
import type { GeometryStage } from '../core/instruments/geometry/geometry';
import type { DecompositionFields } from '../core/instruments/decompose/decomposeJson';
import type { FunctionCounts } from '../core/instruments/prior/prior';
import type { Axis } from '../core/instruments/hypermap/hypermapAxes';
import type { HypermapTexts } from '../core/instruments/hypermap/hypermapFields';
import type { HypermapOutcome } from '../core/instruments/hypermap/hypermapPlan';

/**
 * What the UI and the worker say to each other. Everything here crosses a postMessage boundary:
 * plain data and typed arrays only (typed arrays are transferred, not copied).
 */

/** Frames per run: enough for smooth curves and motion, few enough that evaluation stays cheap. One frame is what "Step" advances. */
export const FRAMES_PER_RUN = 50;

/** Steps one frame advances in a run of `steps` steps. */
export const stepsPerFrame = (steps: number): number => Math.max(1, Math.ceil(steps / FRAMES_PER_RUN));

/** A point of parameter space the plane can be built from: a particle's init or its trained parameters. */
export interface PointRef {
  readonly kind: 'init' | 'final';
  /** index within the ensemble, 0 .. particles-1 */
  readonly particle: number;
}

export interface PlaneSettings {
  /** random filter-normalised directions around `center`, or the plane through three points */
  readonly mode: 'random' | 'through';
  readonly center: PointRef;
  readonly through: readonly [PointRef, PointRef, PointRef];
  /** seed of the random directions */
  readonly seed: number;
  /** the map shows α and β from offset-span to offset+span */
  readonly span: number;
  /** centre of the map window on the plane, in (α, β): "make this grid point the centre" */
  readonly offset: readonly [number, number];
  /** grid points per side */
  readonly res: number;
}

/** Everything a run depends on: the URL hash holds exactly this (plus view options). */
export interface RunSettings {
  readonly config: RunConfig;
  readonly plane: PlaneSettings;
  /** every particle starts from particle 0's init: only the noise varies (McCoy et al. 2019) */
  readonly sharedInit: boolean;
}

export interface EngineInfo {
  readonly kind: 'gpu' | 'cpu';
  /** the adapter, in words */
  readonly device: string;
  /** why the CPU engine runs, when it does */
  readonly fallbackReason?: string;
  /** a slow device: a software WebGPU adapter (SwiftShader, llvmpipe, WARP) or the CPU engine; stories size their runs for it */
  readonly slow?: boolean;
}

export interface TaskInfo {
  /** `preset` names or `file:<file name>` */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly inputs: number;
  readonly classes: number;
  /** the network's outputs: one logit for 2 classes, k for k, a regression task's targets */
  readonly outputs: number;
  readonly trainRows: number;
  readonly probes: readonly string[];
  /** hypotheses in probe order, then mixed, unconverged, diverged */
  readonly outcomeClasses: readonly string[];
}

/** Ensemble median and 10–90% band of one quantity at one step. */
export interface Band {
  readonly lo: number;
  readonly mid: number;
  readonly hi: number;
}

/** The ensemble's state after one frame of training. */
export interface Frame {
  readonly step: number;
  readonly totalSteps: number;
  /** outcome class per ensemble particle, classified on its current metrics */
  readonly outcomes: Uint8Array;
  /** (α, β) of each ensemble particle's projection onto the plane; absent until the plane exists */
  readonly positions?: Float32Array;
  readonly trainLoss: Band;
  readonly trainAcc: Band;
  /** per probe, accuracy band */
  readonly probeAcc: readonly Band[];
  /** metrics [tracked][sets][loss, acc] of the few particles the curves draw individually */
  readonly tracked: Float32Array;
  readonly particleStepsPerSecond: number;
}

/** Loss over the map grid: fixed once the plane is known. */
export interface LossMap {
  readonly res: number;
  readonly alphas: Float32Array;
  readonly betas: Float32Array;
  /** train loss at every grid point, row-major with α fastest */
  readonly loss: Float32Array;
  /** where the plane's defining points lie, in (α, β), with labels */
  readonly landmarks: readonly { label: string; alpha: number; beta: number }[];
  /** what the plane is, in words */
  readonly description: string;
}

/** The basin map: every grid point trained from there and classified, live. */
export interface BasinFrame {
  readonly step: number;
  readonly outcomes: Uint8Array;
  /** how strongly each point agrees with its class's hypothesis, 0..1 (shading) */
  readonly strength: Float32Array;
  /** current train loss at every grid point */
  readonly loss: Float32Array;
}

export type RunPhase = 'preparing' | 'training' | 'map' | 'done';

export type RunEvent =
  | {
      readonly type: 'started';
      readonly task: TaskInfo;
      readonly particles: number;
      readonly steps: number;
      readonly tracked: readonly number[];
    }
  | { readonly type: 'phase'; readonly phase: RunPhase; readonly detail: string }
  | { readonly type: 'progress'; readonly fraction: number }
  | { readonly type: 'lossMap'; readonly map: LossMap }
  | { readonly type: 'frame'; readonly frame: Frame }
  | { readonly type: 'basin'; readonly basin: BasinFrame }
  /** the trail of every particle (for planes known only after training): [frames][particles][2] */
  | { readonly type: 'trajectory'; readonly steps: readonly number[]; readonly positions: Float32Array }
  | { readonly type: 'paused'; readonly paused: boolean };

/** How a run begins: running, paused before its first frame, or after one frame. */
export type StartMode = 'play' | 'paused' | 'step';

export interface RunSummary {
  readonly status: 'done' | 'cancelled';
  readonly seconds: number;
  readonly counts: readonly number[];
}

/** One particle of the ensemble or one grid point of the basin map. */
export type Target = { readonly kind: 'particle'; readonly index: number } | { readonly kind: 'grid'; readonly index: number };

export interface TargetDetail {
  readonly target: Target;
  readonly label: string;
  /** steps at which metrics were recorded */
  readonly steps: readonly number[];
  /** [steps][sets][loss, acc] */
  readonly metrics: Float32Array;
  /** sets in `metrics`: train, then each probe of the run's task */
  readonly sets: number;
  readonly outcome: string;
  /** (α, β) of its init and of where it is now, on the plane */
  readonly start?: readonly [number, number];
  readonly now?: readonly [number, number];
  /** binary tasks: its P(class 1) on the first rows of the first probe set (the inspector draws digit probes) */
  readonly probeP1?: readonly number[];
}

export interface ExportFile {
  readonly name: string;
  readonly mime: string;
  /** the file's text in pieces, joined by the Blob that saves it: the parameters of a few hundred MNIST-scale nets outgrow the longest string V8 makes */
  readonly parts: readonly string[];
}

export type ExportKind = 'ensembleJson' | 'mapJson' | 'csv' | 'params';

/** Dropped task files: their names and text. */
export interface DroppedFile {
  readonly name: string;
  readonly text: string;
}

/** "Measure barriers": the first `particles` particles of the ensemble on screen, and core's barrier settings. */
export interface BarrierRequest {
  readonly particles: number;
  /** evenly spaced positions per line, both ends included */
  readonly points: number;
  /** the number of clusters; absent: chosen by the data */
  readonly clusters?: number;
  /** merges below this barrier (nats) never split clusters when the data chooses their number */
  readonly minBarrier: number;
  /** match each pair's hidden units (weight matching) before drawing the line, as `barriers --align` */
  readonly align: boolean;
  /** the set whose loss is measured along the lines: "train" or a probe set's name, as `barriers --set` */
  readonly set: string;
}

/** Mean, spread and median of the barriers of one group of pairs (core's BarrierStats). */
export interface BarrierGroupStats {
  readonly pairs: number;
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
}

/** The barrier matrix of the first M particles, their clusters and how the clusters match the outcomes. */
export interface BarrierResult {
  readonly particles: number;
  /** the ensemble's step when it was measured */
  readonly step: number;
  readonly points: readonly number[];
  /** whether each pair's hidden units were matched before its line was drawn */
  readonly aligned: boolean;
  /** the set whose loss was measured along the lines ("train" or a probe set's name) */
  readonly set: string;
  /** M × M, symmetric, zero diagonal, nats; NaN where a loss on the line was not finite */
  readonly barrier: Float64Array;
  /** cluster per particle, −1 for particles left out (diverged) */
  readonly clusters: Int32Array;
  /** outcome class per particle (an index into `classes`) */
  readonly outcomes: Uint8Array;
  readonly classes: readonly string[];
  readonly clustering: { method: string; clusters: number; chosenBy: string; minBarrier: number; leftOut: number };
  /** adjusted Rand index between clusters and outcomes; NaN when undefined (one class or one cluster) */
  readonly ari: number;
  /** its 95% interval from a bootstrap over particles (NaN ends when undefined) */
  readonly ariInterval: { readonly lo: number; readonly hi: number };
  /** "a" within class a, "a|b" between classes a and b */
  readonly summary: Readonly<Record<string, BarrierGroupStats>>;
  readonly seconds: number;
}

/** The loss along the straight line from particle i (t = 0) to particle j (t = 1), on the set and alignment of the matrix it belongs to. */
export interface BarrierLine {
  readonly i: number;
  readonly j: number;
  /** j's hidden units matched to i's first */
  readonly aligned: boolean;
  readonly set: string;
  readonly ts: Float32Array;
  readonly loss: Float32Array;
}

/** "Measure sharpness, width, LLC" on the first particles of the ensemble on screen: the few settings the sandbox exposes. */
export interface GeometryRequest {
  /** the first M particles of the ensemble */
  readonly particles: number;
  /** random directions per particle for the width (r50) */
  readonly directions: number;
  /** SGLD chains per particle, burn-in steps and draws per chain for the LLC */
  readonly chains: number;
  readonly burnin: number;
  readonly draws: number;
  /** leave the LLC out: its chains are the slow part */
  readonly skipLlc: boolean;
}

/** The three stages of a geometry measurement, in the order they run (core's one chain). */
export type { GeometryStage };

/** Per particle of the first M (ensemble order), each measurement as the geometry command computes it. */
export interface GeometryResult {
  /** M: particles 0 .. M−1 were measured */
  readonly particles: number;
  /** the ensemble's step when it was measured */
  readonly step: number;
  readonly classes: readonly string[];
  readonly outcomes: Uint8Array;
  /** parameters per network: the LLC of a regular minimum is half of it */
  readonly parameters: number;
  readonly sharpness: {
    /** NaN where the power iteration did not converge (or the particle was not measured) */
    readonly topEigenvalue: Float64Array;
    readonly converged: Uint8Array;
    /** products taken: 0 for a particle with non-finite parameters, never measured */
    readonly iterations: Uint32Array;
    readonly maxIter: number;
    readonly tol: number;
  };
  readonly width: {
    /** the radius where half the directions change class; 0 below rMin, +∞ beyond rMax, NaN for a diverged particle */
    readonly r50: Float64Array;
    readonly directions: number;
    readonly radii: number;
    readonly rMin: number;
    readonly rMax: number;
  };
  /** absent when the LLC was skipped */
  readonly llc?: {
    /** NaN where no chain survived */
    readonly llc: Float64Array;
    readonly llcStd: Float64Array;
    /** why a particle's estimate is not meaningful (core's llcProblem); undefined where it is */
    readonly problems: readonly (string | undefined)[];
    readonly chains: number;
    readonly burnin: number;
    readonly draws: number;
    readonly eps: number;
    readonly nbeta: number;
  };
  /** seconds each stage took */
  readonly seconds: Readonly<Partial<Record<GeometryStage, number>>>;
  /** the stage cancelled after the ones before it had finished: they are kept, it is absent */
  readonly cancelledStage?: GeometryStage;
}

/** "Decompose": an inits × noises matrix trained with the settings of the run on screen (the decompose command's cells). */
export interface DecomposeRequest {
  readonly inits: number;
  readonly noises: number;
}

/** The decomposition, as the decompose command's JSON has it, with the matrix as one typed array. */
export interface DecomposeResult extends Omit<DecompositionFields, 'outcomes'> {
  /** class index per cell, row-major: init i, noise j at i · noises + j */
  readonly outcomes: Uint8Array;
  readonly classes: readonly string[];
  /** the command-line flags of the run it trained (runFlags): with a cell's indices, its re-run command */
  readonly flags: readonly string[];
  readonly seconds: number;
}

/** "Hyperparameter map": the form's fields as typed, over the settings of the run on screen (the hypermap command's cells). */
export type HypermapRequest = HypermapTexts;

/** The map, as the hypermap command's JSON has it, with the counts as one typed array. */
export interface HypermapViewResult {
  readonly x: Axis;
  readonly y: Axis;
  readonly res: number;
  readonly perCell: number;
  readonly outcome: HypermapOutcome;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly classes: readonly string[];
  /** per cell (row-major, x fastest: cell j · res + i), a count per class */
  readonly counts: Uint32Array;
  readonly meanLoss: Float64Array;
  /** trainability only: the mean loss ratio over the last window */
  readonly meanScore?: Float64Array;
  /** the run it maps, the axes not applied: cellConfig gives a cell's, runFlags its re-run command */
  readonly config: RunConfig;
  readonly seconds: number;
}

/** "Sample the prior": prior samples to draw against the trained ensemble on screen. */
export interface PriorRequest {
  readonly samples: number;
}

/** One function both the prior and the trained particles produced: a point of the scatter. */
export interface PriorPoint {
  /** share of the accepted prior samples computing it */
  readonly pPrior: number;
  /** share of the fitted trained particles computing it */
  readonly pSgd: number;
  /** generalisation error on the first probe */
  readonly error: number;
  readonly priorCount: number;
  readonly sgdCount: number;
}

export interface PriorViewResult {
  readonly samples: number;
  readonly accepted: number;
  readonly acceptance: { readonly fraction: number; readonly low: number; readonly high: number };
  readonly particles: number;
  readonly fitted: number;
  readonly points: readonly PriorPoint[];
  /**
   * core's functionCounts: the functions both produced (one point each), and those only the prior,
   * or only the trained particles, produced (no point on a log–log plot)
   */
  readonly functionCounts: FunctionCounts;
  /** core's logProbabilityCorrelation: Pearson's r of the logs with its 95% bootstrap interval, and Spearman's ρ with its own */
  readonly correlation: {
    readonly value: number;
    readonly low: number;
    readonly high: number;
    readonly spearman: { readonly value: number; readonly low: number; readonly high: number };
    readonly functions: number;
  } | null;
  readonly problems: readonly string[];
  readonly probe: string;
  readonly seconds: number;
}

/**
 * A job that trains its own networks from the settings of the run on screen (decompose, hypermap)
 * rather than reading the trained ensemble: those settings, and what the form asked for.
 */
export interface WithSettings<R> {
  readonly settings: RunSettings;
  readonly request: R;
}

/** How far a job has come: the share of its work done, and, for a job of several stages, the stage it is in. */
export interface JobProgress<S extends string = never> {
  readonly fraction: number;
  readonly stage?: S;
}

/**
 * The worker's instrument jobs, by kind (SandboxApi.job and SandboxApi.cancel): what each is asked,
 * the progress it reports and the result it answers. A new instrument adds one line here.
 */
export interface JobMap {
  barriers: { request: BarrierRequest; progress: JobProgress; result: BarrierResult };
  geometry: { request: GeometryRequest; progress: JobProgress<GeometryStage>; result: GeometryResult };
  decompose: { request: WithSettings<DecomposeRequest>; progress: JobProgress; result: DecomposeResult };
  prior: { request: PriorRequest; progress: JobProgress; result: PriorViewResult };
  hypermap: { request: WithSettings<HypermapRequest>; progress: JobProgress; result: HypermapViewResult };
}

export type JobKind = keyof JobMap;
export type JobRequest<K extends JobKind> = JobMap[K]['request'];
export type JobProgressOf<K extends JobKind> = JobMap[K]['progress'];
export type JobResult<K extends JobKind> = JobMap[K]['result'];

/** How every instrument job in the worker ends: its result, or stopped before it had one. */
export type JobOutcome<R> = { readonly status: 'done'; readonly result: R } | { readonly status: 'cancelled' };
