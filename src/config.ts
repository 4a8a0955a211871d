/**
 * Every setting of the analysis core, with its default and the reason for it. One object, frozen;
 * each stage receives only its slice.
 */
import type { DecodeOptions } from './decode/index.js';
import type { FaceOptions } from './faces/index.js';
import type { IngestLimits } from './ingest/index.js';
import type { QualityOptions } from './quality/index.js';

export interface AnalysisConfig {
  readonly ingest: IngestLimits;
  readonly decode: DecodeOptions;
  readonly faces: FaceOptions;
  readonly quality: QualityOptions;
  readonly decision: {
    /** Operating point on `real_probability`; null takes the fusion model's own (see models/fusion.json). */
    readonly threshold: number | null;
  };
}

export const DEFAULT_CONFIG: AnalysisConfig = deepFreeze({
  ingest: {
    /** The contract's maximum file size. */
    maxBytes: 50 * 1000 * 1000,
    /** The contract sends 8 frames; up to 16 are accepted (the bench's sequences have 16). */
    maxFrames: 16,
  },
  decode: {
    /** 16 frames over the window: enough pairs for the geometric signals at ~40 ms of face work each. */
    videoFrames: 16,
    /** Selfie clips are 2–10 s; the first 6 s hold the capture, and decoding further costs time. */
    videoWindowS: 6,
    /** 720p is kept whole; larger frames are downscaled before anything else touches them. */
    maxLongSidePx: 1280,
    /** Headers claiming more than this are refused before decoding (8K is 7680 px). */
    maxDimensionPx: 16384,
    maxPixels: 80e6,
    timeoutMs: 30_000,
  },
  faces: {
    /** BlazeFace's own default operating point in MediaPipe. */
    minDetectionScore: 0.5,
    iouThreshold: 0.3,
    /**
     * The detector runs on every frame. Measured on the bench (collect-signals, then
     * leave-one-subject-out fusion): detecting on every 2nd frame and starting the others from that
     * crop cut face work from ~620 to ~430 ms for 16 frames of 720p, but the fused AUC fell from 0.968
     * to 0.913; tracking from the previous landmarks was worse still. FaceMesh's landmarks move with
     * its crop, and crop noise blurs the still-photo versus live-face difference the signals use.
     */
    refineLandmarks: true,
  },
  quality: {
    minMeshScore: 0.5,
    secondFaceAreaRatio: 0.5,
    /** About a 60-px-wide face; below it FaceMesh's landmarks are too coarse for the geometric signals. */
    minInterocularPx: 24,
    maxLandmarksOutside: 0.1,
    minFaceLuma: 25,
    maxFaceLuma: 235,
    minSharpness: 2,
    /** About 50° of yaw or pitch. */
    maxPoseRatio: 0.6,
    minUsableFrames: 4,
    /** About twice the most that one recording's surroundings changed between frames on the bench (see `quality/one-capture.ts`). */
    maxSurroundingsChangePct: 30,
    /**
     * Least similarity of the faces before and after any point of a sequence (`quality/one-person.ts`),
     * on centred descriptors (`faces/identity.ts`). On the bench (`scripts/one-person-check.ts`) one
     * recording never went below 0.565 (s29, a singer on stage turning his head far; next 0.656). Two
     * people's frames spliced together were caught at 0.5 in 99.8 % of splices between bench videos, and
     * in 86.2 % between NUAA's look-alike students filmed by one webcam.
     */
    minIdentitySimilarity: 0.5,
  },
  decision: { threshold: null },
} satisfies AnalysisConfig);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A copy of the defaults with some settings replaced, frozen again. */
export function withOverrides(overrides: { [K in keyof AnalysisConfig]?: Partial<AnalysisConfig[K]> }): AnalysisConfig {
  const merged = Object.fromEntries(
    Object.entries(DEFAULT_CONFIG).map(([key, slice]) => [key, { ...slice, ...(overrides[key as keyof AnalysisConfig] ?? {}) }]),
  ) as unknown as AnalysisConfig;
  return deepFreeze(merged);
}
