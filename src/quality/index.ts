import type { Frame, SourceInfo } from '../decode/index.js';
import { interocularPx, poseRatios } from '../faces/geometry.js';
import { describeFaces, type FaceDescriber, type FrameFaces, type TrackedFace } from '../faces/index.js';
import { cropTransform, laplacianVariance, lumaOf, sampleToFloat } from '../imaging/index.js';
import type { InputMode } from '../ingest/index.js';
import type { Inconclusive, QualityFailureCode } from '../verdict/types.js';
import { checkOneCapture, type OneCaptureOptions, type OneCaptureReport } from './one-capture.js';
import { checkOnePerson, MAX_DESCRIBED, spreadPick, type OnePersonOptions, type OnePersonReport } from './one-person.js';

export type { OneCaptureReport } from './one-capture.js';
export type { OnePersonReport } from './one-person.js';

export interface QualityOptions extends OneCaptureOptions, OnePersonOptions {
  /** Landmark model score under which a frame counts as having no face. */
  readonly minMeshScore: number;
  /** A second face whose box is at least this fraction of the largest one's area makes a frame ambiguous. */
  readonly secondFaceAreaRatio: number;
  /** Smallest accepted distance between the eye centres, in analysed (downscaled) pixels. */
  readonly minInterocularPx: number;
  /** Largest accepted share of landmarks outside the frame. */
  readonly maxLandmarksOutside: number;
  /** Face mean luma (0–255) below which a frame is too dark. */
  readonly minFaceLuma: number;
  /** Face mean luma above which a frame is overexposed. */
  readonly maxFaceLuma: number;
  /** Laplacian variance of the face, normalised to a 112-px crop, below which a frame is too blurry. */
  readonly minSharpness: number;
  /** Largest accepted |yaw| and |pitch| ratio (see `poseRatios`). */
  readonly maxPoseRatio: number;
  /** Fewest usable frames a video or frame array needs. */
  readonly minUsableFrames: number;
}

export interface FrameQuality {
  readonly frameIndex: number;
  /** Null when the frame passes every gate. */
  readonly failure: QualityFailureCode | null;
  readonly faceCount: number;
  readonly interocularPx: number | null;
  readonly faceLuma: number | null;
  readonly sharpness: number | null;
  readonly yaw: number | null;
  readonly pitch: number | null;
}

export interface QualityReport {
  readonly frames: readonly FrameQuality[];
  readonly usableFrameIndices: readonly number[];
  /** For a video or a frame array: whether its frames are one capture. Null for a still. */
  readonly oneCapture: OneCaptureReport | null;
  /**
   * For a video or a frame array that passed every other check: whether its frames show one person
   * throughout. Null for a still, and when an earlier check already made the analysis inconclusive.
   */
  readonly onePerson: OnePersonReport | null;
  /** Set when too few frames are usable, or the frames are not one capture or not one person: the analysis is then inconclusive. */
  readonly inconclusive: Inconclusive | null;
}

const MESSAGES: Record<QualityFailureCode, string> = {
  no_face: 'No face was found. Face the camera, in frame.',
  several_faces: 'More than one face of similar size is in view. Only the person being checked should be in frame.',
  face_too_small: 'The face is too small. Move closer to the camera.',
  face_cut_off: 'The face is partly outside the picture. Centre the face in frame.',
  too_dark: 'The face is too dark. Add light in front of the face.',
  overexposed: 'The face is overexposed. Avoid direct light or a bright screen on the face.',
  too_blurry: 'The face is too blurry. Hold the camera still and clean the lens.',
  extreme_pose: 'The head is turned too far. Look straight at the camera.',
  too_few_usable_frames: 'Too few frames show a usable face.',
};

const SHARPNESS_CROP_PX = 112;

/**
 * Stage 4: the quality gates. Each frame passes or fails with one code; the analysis goes on with
 * the usable frames, or is inconclusive (fails closed) when too few remain, when the frames of a
 * video or frame array are not one capture (`sources` has one entry per image), or when they do not
 * show one person throughout (checked last: it is the one check that runs a model, `describer`).
 *
 * Several-faces policy: smaller faces in the background are allowed; a frame is ambiguous only when
 * a second face is at least `secondFaceAreaRatio` of the largest one's size.
 */
export function assessQuality(
  frames: readonly Frame[], sources: readonly SourceInfo[], faces: readonly FrameFaces[], mode: InputMode, describer: FaceDescriber, options: QualityOptions,
): QualityReport {
  const assessed = frames.map((frame, i) => assessFrame(frame, faces[i]!, options));
  const usableFrameIndices = assessed.filter((q) => q.failure === null).map((q) => q.frameIndex);
  const isSequence = mode !== 'image';
  const needed = isSequence ? Math.min(options.minUsableFrames, frames.length) : 1;
  const oneCapture = isSequence ? checkOneCapture(mode, frames, sources, usableFrameIndices, usableFrameIndices.map((i) => faces[i]!.face!), options) : null;
  let inconclusive: Inconclusive | null = null;
  let onePerson: OnePersonReport | null = null;
  if (oneCapture?.failure) {
    inconclusive = { code: 'not_one_capture', message: oneCapture.failure };
  } else if (usableFrameIndices.length < needed) {
    const code = mostCommonFailure(assessed) ?? 'too_few_usable_frames';
    const detail = isSequence ? ` (${usableFrameIndices.length} of ${frames.length} frames usable, ${needed} needed)` : '';
    inconclusive = { code, message: MESSAGES[code] + detail };
  } else if (isSequence) {
    const described = spreadPick(usableFrameIndices, MAX_DESCRIBED);
    onePerson = checkOnePerson(described, describeFaces(describer, frames, faces, described), options);
    if (onePerson.failure) inconclusive = { code: 'not_one_person', message: onePerson.failure };
  }
  return { frames: assessed, usableFrameIndices, oneCapture, onePerson, inconclusive };
}

function assessFrame(frame: Frame, frameFaces: FrameFaces, options: QualityOptions): FrameQuality {
  const face = frameFaces.face;
  const base = { frameIndex: frame.index, faceCount: frameFaces.detections.length };
  if (!face || face.meshScore < options.minMeshScore) {
    return { ...base, failure: 'no_face', interocularPx: null, faceLuma: null, sharpness: null, yaw: null, pitch: null };
  }
  const iod = interocularPx(face.mesh);
  const { yaw, pitch } = poseRatios(face.mesh);
  const { luma, sharpness } = measureFace(frame, face, iod);
  const measured = { ...base, interocularPx: round(iod), faceLuma: round(luma), sharpness: round(sharpness), yaw: round(yaw), pitch: round(pitch) };
  return { ...measured, failure: firstFailure(frame, frameFaces, face, iod, luma, sharpness, yaw, pitch, options) };
}

function firstFailure(
  frame: Frame, frameFaces: FrameFaces, face: TrackedFace, iod: number, luma: number, sharpness: number, yaw: number, pitch: number, options: QualityOptions,
): QualityFailureCode | null {
  const [largest, second] = frameFaces.detections;
  if (largest && second && second.box[2] * second.box[3] >= options.secondFaceAreaRatio * largest.box[2] * largest.box[3]) return 'several_faces';
  if (iod < options.minInterocularPx) return 'face_too_small';
  const outside = face.mesh.filter(([x, y]) => x < 0 || y < 0 || x >= frame.width || y >= frame.height).length;
  if (outside / face.mesh.length > options.maxLandmarksOutside) return 'face_cut_off';
  if (luma < options.minFaceLuma) return 'too_dark';
  if (luma > options.maxFaceLuma) return 'overexposed';
  if (sharpness < options.minSharpness) return 'too_blurry';
  if (Math.abs(yaw) > options.maxPoseRatio || Math.abs(pitch) > options.maxPoseRatio) return 'extreme_pose';
  return null;
}

/** Mean luma and sharpness of the face, on an upright crop of fixed size so that scale does not matter. */
function measureFace(frame: Frame, face: TrackedFace, iod: number): { luma: number; sharpness: number } {
  const [x, y, w, h] = face.box;
  const transform = cropTransform(x + w / 2, y + h / 2, Math.max(iod * 2, 1), 0, SHARPNESS_CROP_PX);
  const luma = lumaOf(sampleToFloat(frame, transform, SHARPNESS_CROP_PX, SHARPNESS_CROP_PX, 1, 0));
  let sum = 0;
  for (const value of luma) sum += value;
  return { luma: sum / luma.length, sharpness: laplacianVariance(luma, SHARPNESS_CROP_PX, SHARPNESS_CROP_PX) };
}

function mostCommonFailure(frames: readonly FrameQuality[]): QualityFailureCode | null {
  const counts = new Map<QualityFailureCode, number>();
  for (const { failure } of frames) if (failure) counts.set(failure, (counts.get(failure) ?? 0) + 1);
  let best: QualityFailureCode | null = null;
  let bestCount = 0;
  for (const [code, count] of counts) {
    if (count > bestCount) {
      best = code;
      bestCount = count;
    }
  }
  return best;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
