import { grokCurve, grokkingCurveVerdict } from '../../core/verdicts/grokking';
import type { Band } from '../../worker/protocol';

/** The numbers a finished run puts on screen, as a story's verdict reads them. */
export interface StoryScreen {
  /** the outcome panel's classes and counts (hypotheses, then mixed, unconverged, diverged…) */
  readonly classes: readonly string[];
  readonly counts: readonly number[];
  /** the task's probes, in the order of each curve point's probeAcc */
  readonly probes: readonly string[];
  /** the curves' points: the median and band of training accuracy and of each probe's accuracy */
  readonly curves: readonly { readonly step: number; readonly trainAcc: Band; readonly probeAcc: readonly Band[] }[];
  /** chance accuracy, 1 / the task's classes (absent: 0) */
  readonly chance?: number;
}

/** "as the story says" or "unlike the story: …", with the numbers it was decided on. */
export interface Verdict {
  readonly agrees: boolean;
  readonly text: string;
}

/** A story's test of its own claim against the screen; undefined when the run alone cannot say (a panel answers). */
export type VerdictRule = (screen: StoryScreen) => Verdict | undefined;

const total = (s: StoryScreen) => s.counts.reduce((a, b) => a + b, 0);

/** A class's share of the particles, 0 when the class is not on screen. */
export function share(s: StoryScreen, name: string): number {
  const i = s.classes.indexOf(name);
  const n = total(s);
  return i < 0 || n === 0 ? 0 : s.counts[i] / n;
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

/** "colour 41%, shape 12%" over the named classes, and the particle count. */
function shares(s: StoryScreen, names: readonly string[]): string {
  return `${names.map((n) => `${n} ${pct(share(s, n))}`).join(', ')} of ${total(s)} particles`;
}

const verdict = (agrees: boolean, text: string): Verdict => ({ agrees, text });

/** Every named class holds at least `least` of the particles: the seed splits them. */
export const splitsBetween =
  (names: readonly string[], least: number): VerdictRule =>
  (s) => {
    const low = names.filter((n) => share(s, n) < least);
    return verdict(
      low.length === 0,
      low.length === 0
        ? shares(s, names)
        : `${low.join(' and ')} below ${pct(least)} (${shares(s, names)}), so the seed did not split them`,
    );
  };

/** At least `least` of `names` each hold `atLeast` of the particles. */
export const splitsAmong =
  (names: readonly string[], least: number, atLeast: number): VerdictRule =>
  (s) => {
    const held = names.filter((n) => share(s, n) >= atLeast);
    return verdict(
      held.length >= least,
      held.length >= least
        ? shares(s, names)
        : `only ${held.length} of ${names.join(', ')} held ${pct(atLeast)} or more (${shares(s, names)})`,
    );
  };

/** One class holds at least `atLeast` of the particles. */
export const nearlyAll =
  (name: string, atLeast: number): VerdictRule =>
  (s) => {
    const x = share(s, name);
    return verdict(
      x >= atLeast,
      x >= atLeast ? `${name} ${pct(x)} of ${total(s)} particles` : `${name} holds ${pct(x)}, not ${pct(atLeast)} or more`,
    );
  };

/** `winner` holds at least `atLeast` and more than `times` × `loser`'s share. */
export const wins =
  (winner: string, loser: string, atLeast: number, times: number): VerdictRule =>
  (s) => {
    const [w, l] = [share(s, winner), share(s, loser)];
    const ok = w >= atLeast && w > times * l;
    return verdict(
      ok,
      ok ? shares(s, [winner, loser]) : `${shares(s, [winner, loser])}: ${winner} does not hold ${pct(atLeast)} and ${times}× ${loser}`,
    );
  };

/** The first step at which the median of `acc` reaches `level`, from the curves on screen. */
export function firstReach(s: StoryScreen, acc: (p: StoryScreen['curves'][number]) => Band | undefined, level: number): number | undefined {
  return s.curves.find((p) => (acc(p)?.mid ?? 0) >= level)?.step;
}

/**
 * Grokking: core's one rule (src/core/verdicts/grokking.ts, the findings report's too) on the
 * median curves on screen: held-out accuracy at chance for at least 10× the fitting time after the
 * training pairs are fitted, then rising to 0.9.
 */
export const grokkingSignature =
  (probe: string): VerdictRule =>
  (s) => {
    const p = s.probes.indexOf(probe);
    const chance = s.chance ?? 0;
    const c = grokCurve(
      s.curves.map((q) => q.step),
      s.curves.map((q) => q.trainAcc.mid),
      s.curves.map((q) => q.probeAcc[p]?.mid ?? 0),
      chance,
    );
    return grokkingCurveVerdict(c);
  };
