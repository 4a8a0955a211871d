/**
 * Does the light reflected by the face follow the flashed colour sequence? The skin's chromaticity
 * (r, g, b divided by their sum, so brightness changes cancel) is measured on the cheeks and
 * forehead in every frame, its shift from the pre-flash baseline is correlated with the chroma each
 * flashed colour would push it towards, over the plausible camera delays, and each step's mean shift
 * is compared with its colour's direction. A replayed or injected video was recorded without the
 * sequence: its skin does not follow it.
 */
import type { Frame } from '../decode/index.js';
import { interocularPx } from '../faces/geometry.js';
import { median, pearson } from '../math/stats.js';
import type { TrackedFace } from '../faces/index.js';
import { expectedChroma, type ChallengeColour, type ColourSequence } from './sequence.js';

/** Cheeks (MediaPipe mesh 50, 280, 205, 425) and forehead (151, 108, 337): skin, away from eyes and lips. */
const SKIN_LANDMARKS = [50, 280, 205, 425, 151, 108, 337];
/** Each landmark's patch has a radius of this share of the interocular distance. */
const PATCH_RADIUS = 0.08;

export interface SkinSample {
  readonly timestampMs: number;
  /** Mean skin colour, 0–255 per channel. */
  readonly rgb: readonly [number, number, number];
}

export interface ChallengeOptions {
  /** When the flashing began, from the start of the clip. */
  readonly flashStartMs: number;
  /** Camera and display delays tried, from 0 up to this. */
  readonly maxLagMs: number;
  readonly lagStepMs: number;
  /** Pass needs at least this correlation between observed and expected chroma shifts … */
  readonly minCorrelation: number;
  /** … and at least this share of steps whose mean shift points the colour's way. */
  readonly minAlignedSteps: number;
}

/**
 * Thresholds from `node dist/scripts/challenge-separation.js --clips 6 --others 30` (franck.mp4
 * tinted 4 % with a 120-ms delay): in step, correlation 0.75–0.96 and 6/6 pass; the same clips
 * checked with 180 other random sequences pass 1/180 (correlation up to 0.80); no reflection and
 * 1.5 s out of step pass 0/6 each.
 */
export const DEFAULT_CHALLENGE: ChallengeOptions = { flashStartMs: 500, maxLagMs: 400, lagStepMs: 20, minCorrelation: 0.7, minAlignedSteps: 0.8 };

export interface ChallengeOutcome {
  readonly passed: boolean;
  /** Pearson correlation at the best delay, over all frames and channels inside the sequence. */
  readonly correlation: number;
  readonly lagMs: number;
  readonly steps: ReadonlyArray<{ readonly colour: ChallengeColour; readonly frames: number; readonly alignment: number | null }>;
  readonly alignedShare: number;
}

export function measureSkin(frame: Frame, face: TrackedFace): [number, number, number] {
  const radius = Math.max(1, PATCH_RADIUS * interocularPx(face.mesh));
  let r = 0, g = 0, b = 0;
  let n = 0;
  for (const index of SKIN_LANDMARKS) {
    const [cx, cy] = face.mesh[index]!;
    for (let y = Math.round(cy - radius); y <= Math.round(cy + radius); y++) {
      for (let x = Math.round(cx - radius); x <= Math.round(cx + radius); x++) {
        if (x < 0 || y < 0 || x >= frame.width || y >= frame.height || (x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) continue;
        const i = (y * frame.width + x) * 3;
        r += frame.rgb[i]!;
        g += frame.rgb[i + 1]!;
        b += frame.rgb[i + 2]!;
        n++;
      }
    }
  }
  return [r / Math.max(1, n), g / Math.max(1, n), b / Math.max(1, n)];
}

export function scoreChallenge(samples: readonly SkinSample[], sequence: ColourSequence, options: ChallengeOptions = DEFAULT_CHALLENGE): ChallengeOutcome {
  const chroma = samples.map(({ timestampMs, rgb }) => {
    const sum = Math.max(1, rgb[0] + rgb[1] + rgb[2]);
    return { timestampMs, c: [rgb[0] / sum, rgb[1] / sum, rgb[2] / sum] as const };
  });
  const before = chroma.filter((s) => s.timestampMs < options.flashStartMs);
  const reference = before.length >= 2 ? before : chroma;
  const baseline = [0, 1, 2].map((k) => median(reference.map((s) => s.c[k]!)));
  const shifts = chroma.map((s) => ({ timestampMs: s.timestampMs, d: s.c.map((v, k) => v - baseline[k]!) }));

  const stepAt = (timeMs: number) => sequence.steps.find((step) => timeMs >= step.startMs && timeMs < step.startMs + step.durationMs);
  let best = { correlation: -Infinity, lagMs: 0 };
  for (let lagMs = 0; lagMs <= options.maxLagMs; lagMs += options.lagStepMs) {
    const observed: number[] = [];
    const expected: number[] = [];
    for (const s of shifts) {
      const step = stepAt(s.timestampMs - options.flashStartMs - lagMs);
      if (!step) continue;
      const e = expectedChroma(step.colour);
      for (let k = 0; k < 3; k++) {
        observed.push(s.d[k]!);
        expected.push(e[k]!);
      }
    }
    const correlation = pearson(observed, expected);
    if (correlation > best.correlation) best = { correlation, lagMs };
  }
  const steps = sequence.steps.map((step) => {
    const inStep = shifts.filter((s) => {
      const t = s.timestampMs - options.flashStartMs - best.lagMs;
      return t >= step.startMs && t < step.startMs + step.durationMs;
    });
    if (inStep.length === 0) return { colour: step.colour, frames: 0, alignment: null };
    const mean = [0, 1, 2].map((k) => inStep.reduce((acc, s) => acc + s.d[k]!, 0) / inStep.length);
    return { colour: step.colour, frames: inStep.length, alignment: round(cosine(mean, expectedChroma(step.colour))) };
  });
  const measured = steps.filter((s) => s.alignment !== null);
  const alignedShare = measured.length === 0 ? 0 : measured.filter((s) => s.alignment! > 0).length / measured.length;
  const correlation = Number.isFinite(best.correlation) ? best.correlation : 0;
  return {
    passed: correlation >= options.minCorrelation && alignedShare >= options.minAlignedSteps,
    correlation: round(correlation),
    lagMs: best.lagMs,
    steps,
    alignedShare: round(alignedShare),
  };
}

function cosine(p: readonly number[], q: readonly number[]): number {
  const dot = p.reduce((a, v, i) => a + v * q[i]!, 0);
  const norms = Math.hypot(...p) * Math.hypot(...q);
  return norms > 0 ? dot / norms : 0;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
