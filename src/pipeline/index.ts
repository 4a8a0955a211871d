/**
 * The whole analysis, top to bottom:
 * ingest → decode (with face detection on each frame as it arrives) → landmarks → quality gates
 * → signals → fusion → verdict.
 * Every shell (CLI, HTTP API, evaluation toolkit) calls `analyzeMedia`; none re-implements a stage.
 */
import { DEFAULT_CONFIG, type AnalysisConfig } from '../config.js';
import { decodeFrames, type Frame, type SourceInfo } from '../decode/index.js';
import type { Deps, ObservationDeps } from '../deps.js';
import { findFaces, landmarkFaces, type FaceCandidate, type FrameFaces } from '../faces/index.js';
import { fuseSignals, profileOf, type Fused, type ProfileName } from '../fusion/model.js';
import { typeAttack } from '../fusion/typing.js';
import { ingestMedia, type AnalysisInput, type InputMode } from '../ingest/index.js';
import { assessQuality, type QualityReport } from '../quality/index.js';
import { computeSignals, type ComputedSignal } from '../signals/index.js';
import { withTempDir } from '../util/temp.js';
import { timeStage, type StageTimings } from '../util/timing.js';
import { decideVerdict, inconclusiveResult, type Inconclusive, type LivenessResult, type Outcome } from '../verdict/index.js';

/** Stages 1–5: what was seen, before any decision. */
export interface Observation {
  readonly mode: InputMode;
  readonly sources: readonly SourceInfo[];
  readonly frames: readonly Frame[];
  readonly faces: readonly FrameFaces[];
  readonly quality: QualityReport;
  /** Empty when the quality gates made the analysis inconclusive. */
  readonly signals: readonly ComputedSignal[];
  readonly timingsMs: StageTimings;
}

export interface Analysis {
  readonly outcome: Outcome;
  /** The contract's seven fields. */
  readonly result: LivenessResult;
  readonly inconclusive: Inconclusive | null;
  readonly evidence: Evidence;
}

/** Why the analysis decided what it did. Ours, beyond the contract; returned on request. */
export interface Evidence {
  readonly input: { readonly mode: InputMode; readonly sources: readonly SourceInfo[] };
  readonly frames: ReadonlyArray<{
    readonly index: number;
    readonly timestampMs: number | null;
    readonly width: number;
    readonly height: number;
    readonly usable: boolean;
    readonly failure: string | null;
    readonly face: { readonly box: readonly number[]; readonly detectionScore: number; readonly meshScore: number } | null;
  }>;
  readonly quality: {
    readonly usableFrames: number;
    readonly decodedFrames: number;
    readonly perFrame: QualityReport['frames'];
    /** For a video or a frame array: whether its frames are one capture (one size, surroundings that stay put, no freeze and leap). */
    readonly oneCapture: QualityReport['oneCapture'];
    /** For a video or a frame array that passed the other checks: whether its frames show one person throughout. */
    readonly onePerson: QualityReport['onePerson'];
  };
  readonly signals: ReadonlyArray<ComputedSignal & { readonly contribution: number | null }>;
  readonly fusion: (Omit<Fused, 'contributions'> & { readonly threshold: number; readonly thresholdSource: string }) | null;
  readonly models: Readonly<Record<string, string>>;
  readonly timingsMs: StageTimings;
}

const SINGLE_IMAGE: Inconclusive = {
  code: 'single_image',
  message: 'One still cannot show signs of life (blinks, speech, a head that is not flat), and no single-image signal has held up in validation. Send a video, or 8 frames spread over 2–3 s.',
};

/** Analyses one input: a video, a still, or an array of frames. */
export async function analyzeMedia(input: AnalysisInput, deps: Deps, config: AnalysisConfig = DEFAULT_CONFIG): Promise<Analysis> {
  const startedAt = performance.now();
  const observation = await observeMedia(input, deps, config);
  const { timingsMs } = observation;
  const inconclusive = observation.quality.inconclusive;
  if (inconclusive) {
    timingsMs.total = Math.round(performance.now() - startedAt);
    return { outcome: 'inconclusive', result: inconclusiveResult(), inconclusive, evidence: buildEvidence(observation, null, deps, config) };
  }
  const profileName = chooseProfile(observation);
  if (profileOf(deps.fusion, profileName).features.length === 0) {
    // A profile with no validated signal decides nothing: it says so, and fails closed.
    timingsMs.total = Math.round(performance.now() - startedAt);
    return { outcome: 'inconclusive', result: inconclusiveResult(), inconclusive: SINGLE_IMAGE, evidence: buildEvidence(observation, null, deps, config) };
  }
  const fused = await timeStage(timingsMs, 'fusion', () => fuseSignals(observation.signals, deps.fusion, profileName));
  const threshold = config.decision.threshold ?? profileOf(deps.fusion, profileName).threshold;
  const result = decideVerdict({
    fused,
    threshold,
    attackType: typeAttack(profileOf(deps.fusion, profileName).typing, observation.signals),
    usableFrames: observation.quality.usableFrameIndices.length,
    decodedFrames: observation.frames.length,
  });
  timingsMs.total = Math.round(performance.now() - startedAt);
  return { outcome: result.is_real ? 'live' : 'attack', result, inconclusive: null, evidence: buildEvidence(observation, fused, deps, config) };
}

/** Stages 1–5, for the evaluation toolkit and the fusion fitting script as much as for `analyzeMedia`. */
export async function observeMedia(input: AnalysisInput, deps: ObservationDeps, config: AnalysisConfig = DEFAULT_CONFIG): Promise<Observation> {
  const timingsMs: StageTimings = {};
  // Faces are detected in each frame as soon as it is decoded, while ffmpeg decodes the next one.
  const detections: FaceCandidate[][] = [];
  const decoded = await withTempDir(async (tempDir) => {
    const media = await timeStage(timingsMs, 'ingest', () => ingestMedia(input, config.ingest, tempDir));
    return timeStage(timingsMs, 'decodeAndDetect', () =>
      decodeFrames(media, deps.tools, config.decode, (frame) => {
        detections[frame.index] = findFaces(frame, deps.faceModels, config.faces);
      }),
    );
  });
  const faces = await timeStage(timingsMs, 'landmarks', () => landmarkFaces(decoded.frames, detections, deps.faceModels, config.faces));
  const quality = await timeStage(timingsMs, 'quality', () => assessQuality(decoded.frames, decoded.sources, faces, decoded.mode, deps.faceModels.describer, config.quality));
  let signals: ComputedSignal[] = [];
  if (!quality.inconclusive) {
    const usable = quality.usableFrameIndices;
    signals = await timeStage(timingsMs, 'signals', () =>
      computeSignals({ mode: decoded.mode, frames: usable.map((i) => decoded.frames[i]!), faces: usable.map((i) => faces[i]!.face!) }),
    );
  }
  return { mode: decoded.mode, sources: decoded.sources, frames: decoded.frames, faces, quality, signals, timingsMs };
}

/** From this many usable frames on, the `temporal` profile decides; below it, the `short` one. */
export const TEMPORAL_MIN_FRAMES = 12;

/**
 * Three usable frames give the geometric signals something to compare; the signals' ranges grow with
 * the frames they span, so 3–11 (the contract's array of 8) have a profile fitted on 8 frames. With
 * fewer than 3 (or one still) the `single` profile decides, and it has no validated signal yet, so it
 * fails closed.
 */
export function chooseProfile(observation: Pick<Observation, 'mode' | 'quality'>): ProfileName {
  const usable = observation.quality.usableFrameIndices.length;
  if (observation.mode === 'image' || usable < 3) return 'single';
  return usable >= TEMPORAL_MIN_FRAMES ? 'temporal' : 'short';
}

function buildEvidence(observation: Observation, fused: Fused | null, deps: Deps, config: AnalysisConfig): Evidence {
  const usable = new Set(observation.quality.usableFrameIndices);
  const profile = fused ? profileOf(deps.fusion, fused.profile) : null;
  return {
    input: { mode: observation.mode, sources: observation.sources },
    frames: observation.frames.map((frame, i) => {
      const face = observation.faces[i]?.face ?? null;
      return {
        index: frame.index,
        timestampMs: frame.timestampMs,
        width: frame.width,
        height: frame.height,
        usable: usable.has(i),
        failure: observation.quality.frames[i]?.failure ?? null,
        face: face ? { box: face.box.map((v) => Math.round(v)), detectionScore: round(face.detectionScore), meshScore: round(face.meshScore) } : null,
      };
    }),
    quality: { usableFrames: usable.size, decodedFrames: observation.frames.length, perFrame: observation.quality.frames, oneCapture: observation.quality.oneCapture, onePerson: observation.quality.onePerson },
    signals: observation.signals.map((signal) => ({
      ...signal,
      contribution: fused?.contributions.find((c) => c.signal === signal.name)?.contribution ?? null,
    })),
    fusion:
      fused && profile
        ? {
            profile: fused.profile,
            logit: round(fused.logit),
            realProbability: round(fused.realProbability),
            missing: fused.missing,
            threshold: config.decision.threshold ?? profile.threshold,
            thresholdSource: config.decision.threshold === null ? profile.thresholdSource : 'configured by the caller',
          }
        : null,
    models: deps.versions,
    timingsMs: observation.timingsMs,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
