/**
 * The active mouth challenge: the page asks the person to open their mouth, then close it, at times
 * the server drew from a CSPRNG and revealed only when the capture starts. A printed photo or a
 * paper mask cannot open its mouth; a replayed or injected video was recorded without the prompts,
 * so its mouth (if it moves at all) moves at other times. The passive signals cannot tell a worn
 * eye-hole mask or a replayed live video from a person; this asks for something they cannot give.
 *
 * The lip gap is measured in every frame (FaceMesh inner lips over the eyes-to-mouth distance,
 * `mouthOpening`). Each prompt's "open" phase must show it clearly above the resting level, and the
 * resting phases (before, between and after the prompts) must show it closed, at one reaction delay
 * shared by all prompts and searched over a human range.
 */
import { median, pearson, quantile } from '../math/stats.js';

/** One "open your mouth" prompt, from the start of the prompting; before and after it: mouth closed. */
export interface MouthPrompt {
  readonly startMs: number;
  readonly durationMs: number;
}

export interface MouthPrompts {
  readonly prompts: readonly MouthPrompt[];
  /** The prompting's length: the last prompt's end plus a closed tail. */
  readonly totalMs: number;
}

/**
 * Draws 3 prompts of 0.7–1.5 s, each after 0.5–2.5 s of rest, and 0.8 s of rest after the last:
 * 4.4–12.8 s in all, 8.6 s on average. The times are what a recording made beforehand cannot know; with
 * fewer prompts or narrower ranges, a recording of the same person following *other* prompts passed
 * far more often (scripts/mouth-challenge-separation.ts prints that figure).
 */
export function drawMouthPrompts(
  random: () => number,
  options: { count?: number; minRestMs?: number; maxRestMs?: number; minOpenMs?: number; maxOpenMs?: number; tailMs?: number } = {},
): MouthPrompts {
  const { count = 3, minRestMs = 500, maxRestMs = 2500, minOpenMs = 700, maxOpenMs = 1500, tailMs = 800 } = options;
  const prompts: MouthPrompt[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    at += Math.round(minRestMs + random() * (maxRestMs - minRestMs));
    const durationMs = Math.round(minOpenMs + random() * (maxOpenMs - minOpenMs));
    prompts.push({ startMs: at, durationMs });
    at += durationMs;
  }
  return { prompts, totalMs: at + tailMs };
}

export interface MouthSample {
  readonly timestampMs: number;
  /** Lip gap over the eyes-to-mouth distance (`mouthOpening`): about 0 closed, 0.3–0.6 wide open. */
  readonly opening: number;
}

export interface MouthChallengeOptions {
  /** When the prompting began, from the start of the clip. */
  readonly promptStartMs: number;
  /** Reaction delays tried (seeing the prompt, moving, the camera): from `minLagMs` to `maxLagMs`. */
  readonly minLagMs: number;
  readonly maxLagMs: number;
  readonly lagStepMs: number;
  /** Frames this close to a phase change are left out: opening and closing take time. */
  readonly transitionMs: number;
  /** The lip gap must follow the prompts (Pearson correlation with open = 1, rest = 0) at least this well … */
  readonly minCorrelation: number;
  /** … every prompt's lip gap (its 25th percentile: most of the prompt) must exceed the resting median by this … */
  readonly minRise: number;
  /** … while the resting phases' 90th percentile stays within this of their median … */
  readonly maxRestSpread: number;
  /** … and every phase has at least this many frames. */
  readonly minFramesPerPhase: number;
}

/** Thresholds: see `scripts/mouth-challenge-separation.ts` and models/README.md for their figures. */
export const DEFAULT_MOUTH_CHALLENGE: MouthChallengeOptions = {
  promptStartMs: 500,
  minLagMs: 250,
  maxLagMs: 750,
  lagStepMs: 50,
  transitionMs: 300,
  minCorrelation: 0.75,
  minRise: 0.15,
  maxRestSpread: 0.08,
  minFramesPerPhase: 3,
};

export interface MouthChallengeOutcome {
  readonly passed: boolean;
  /** Pearson correlation of the lip gap with the prompts (open = 1, rest = 0) over all frames, at the best delay. */
  readonly correlation: number;
  /** The reaction delay that fitted best. */
  readonly lagMs: number;
  /** Median lip gap over the resting phases. */
  readonly restLevel: number;
  /** 90th percentile of the resting phases' lip gap minus their median: near 0 when the mouth stayed closed. */
  readonly restSpread: number;
  readonly prompts: ReadonlyArray<{ readonly frames: number; readonly rise: number | null }>;
  readonly restFrames: number;
}

/**
 * Scores a lip-gap series against the prompts at each reaction delay and keeps the delay at which
 * the lip gap correlates best with them (among delays that leave every phase enough frames). Every
 * frame counts in the correlation; the phases' levels leave out the moments of change.
 */
export function scoreMouthChallenge(samples: readonly MouthSample[], prompts: MouthPrompts, options: MouthChallengeOptions = DEFAULT_MOUTH_CHALLENGE): MouthChallengeOutcome {
  let best = scoreAtLag(samples, prompts, options, options.minLagMs);
  for (let lagMs = options.minLagMs + options.lagStepMs; lagMs <= options.maxLagMs; lagMs += options.lagStepMs) {
    const outcome = scoreAtLag(samples, prompts, options, lagMs);
    if (fit(outcome, options) > fit(best, options)) best = outcome;
  }
  return best;
}

/** The correlation, when every phase has the frames to judge it; otherwise no fit at all. */
function fit(outcome: MouthChallengeOutcome, options: MouthChallengeOptions): number {
  const enough = outcome.restFrames >= options.minFramesPerPhase && outcome.prompts.every((p) => p.frames >= options.minFramesPerPhase);
  return enough ? outcome.correlation : -Infinity;
}

function scoreAtLag(samples: readonly MouthSample[], { prompts, totalMs }: MouthPrompts, options: MouthChallengeOptions, lagMs: number): MouthChallengeOutcome {
  const changes = prompts.flatMap((p) => [p.startMs, p.startMs + p.durationMs]);
  const open: number[][] = prompts.map(() => []);
  const rest: number[] = [];
  const observed: number[] = [];
  const expected: number[] = [];
  for (const { timestampMs, opening } of samples) {
    const t = timestampMs - options.promptStartMs - lagMs;
    if (t > totalMs) continue;
    const k = prompts.findIndex((p) => t >= p.startMs && t < p.startMs + p.durationMs);
    observed.push(opening);
    expected.push(k >= 0 ? 1 : 0);
    if (changes.some((c) => Math.abs(t - c) < options.transitionMs / 2)) continue;
    if (k >= 0) open[k]!.push(opening);
    else rest.push(opening);
  }
  const correlation = round(pearson(observed, expected));
  const restLevel = rest.length === 0 ? 0 : median(rest);
  const restSpread = rest.length === 0 ? 0 : quantile(rest, 0.9) - restLevel;
  const outcome = {
    passed: false,
    correlation,
    lagMs,
    restLevel: round(restLevel),
    restSpread: round(restSpread),
    prompts: open.map((values) => ({ frames: values.length, rise: values.length === 0 ? null : round(quantile(values, 0.25) - restLevel) })),
    restFrames: rest.length,
  };
  const passed =
    fit(outcome, options) >= options.minCorrelation && outcome.restSpread <= options.maxRestSpread && outcome.prompts.every((p) => p.rise !== null && p.rise >= options.minRise);
  return { ...outcome, passed };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
