import type { Frame } from '../decode/index.js';
import type { RgbImage } from '../imaging/index.js';
import * as blazeface from './blazeface.js';
import * as facemesh from './facemesh.js';
import * as identity from './identity.js';
import type { FaceCandidate } from './blazeface.js';

export type { FaceCandidate } from './blazeface.js';
import type { Point3 } from './facemesh.js';

export { MESH, faceAxes, type FaceAxes, type Point3 } from './facemesh.js';
export { readDescriptorCentre, type DescriptorCentre, type FaceDescriber } from './identity.js';

export interface FaceModels {
  readonly detector: blazeface.BlazeFace;
  readonly landmarker: facemesh.FaceMesh;
  /** For the one-person check only (`quality/one-person.ts`). */
  readonly describer: identity.FaceDescriber;
}

export interface FaceOptions {
  readonly minDetectionScore: number;
  readonly iouThreshold: number;
  /** Run FaceMesh a second time on the crop its first landmarks give (MediaPipe's tracking crop). */
  readonly refineLandmarks: boolean;
}

/** The dominant face of a frame with its landmarks. */
export interface TrackedFace {
  /** x, y, width, height in frame pixels, from the landmarks. */
  readonly box: readonly [number, number, number, number];
  readonly detectionScore: number;
  readonly meshScore: number;
  readonly mesh: readonly Point3[];
}

export interface FrameFaces {
  readonly frameIndex: number;
  /** Every detection, largest first (boxes only). */
  readonly detections: readonly FaceCandidate[];
  /** Landmarks of the largest detection, when there is one. */
  readonly face: TrackedFace | null;
}

/**
 * Loads the face models once per process; pass the result in `deps`. `descriptorCentre` is what the
 * describer subtracts (`identity.ts`); null leaves its descriptors raw.
 */
export async function loadFaceModels(modelsDir: string, descriptorCentre: identity.DescriptorCentre | null): Promise<FaceModels> {
  const [detector, landmarker, describer] = await Promise.all([blazeface.load(modelsDir), facemesh.load(modelsDir), identity.load(modelsDir, descriptorCentre)]);
  return { detector, landmarker, describer };
}

/** Descriptors of the tracked faces in the frames `frameIndices` (each must have one), run as one batch. */
export function describeFaces(describer: identity.FaceDescriber, frames: readonly RgbImage[], faces: readonly FrameFaces[], frameIndices: readonly number[]): Float32Array[] {
  return describer.describe(frameIndices.map((i) => ({ image: frames[i]!, mesh: faces[i]!.face!.mesh })));
}

/** Stage 3a: every face in one frame, largest first. Runs on each frame as it is decoded. */
export function findFaces(frame: RgbImage, models: FaceModels, options: FaceOptions): FaceCandidate[] {
  return models.detector
    .predict(frame, { minScore: options.minDetectionScore, iouThreshold: options.iouThreshold })
    .sort((p, q) => q.box[2] * q.box[3] - p.box[2] * p.box[3]);
}

/**
 * Stage 3b: landmarks of each frame's largest face, from two FaceMesh passes — on the detector's
 * crop, then on the crop the first landmarks give — each run as one batch over all frames.
 * `detections[i]` is `findFaces` of `frames[i]`.
 */
export function landmarkFaces(frames: readonly Frame[], detections: ReadonlyArray<readonly FaceCandidate[]>, models: FaceModels, options: FaceOptions): FrameFaces[] {
  const seeded = frames.flatMap((image, i) => {
    const seed = detections[i]?.[0];
    return seed ? [{ i, image, seed }] : [];
  });
  let results = models.landmarker.predict(seeded.map(({ image, seed }) => ({ image, region: facemesh.regionFromDetection(seed.box, seed.keypoints[0]!, seed.keypoints[1]!) })));
  if (options.refineLandmarks) {
    results = models.landmarker.predict(seeded.map(({ image }, n) => ({ image, region: facemesh.regionFromMesh(results[n]!.mesh) })));
  }
  const faces = new Map(
    seeded.map(({ i, seed }, n): [number, TrackedFace] => {
      const { mesh, faceScore } = results[n]!;
      return [i, { box: boundingBox(mesh), detectionScore: seed.score, meshScore: faceScore, mesh }];
    }),
  );
  return frames.map((frame, i) => ({ frameIndex: frame.index, detections: detections[i] ?? [], face: faces.get(i) ?? null }));
}

function boundingBox(mesh: readonly Point3[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of mesh) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX - minX, maxY - minY];
}
