import type { Frame } from '../decode/index.js';
import * as blazeface from './blazeface.js';
import * as facemesh from './facemesh.js';
import type { FaceCandidate } from './blazeface.js';
import type { Point3 } from './facemesh.js';

export { MESH, type Point3 } from './facemesh.js';

export interface FaceModels {
  readonly detector: blazeface.BlazeFace;
  readonly landmarker: facemesh.FaceMesh;
}

export interface FaceOptions {
  readonly minDetectionScore: number;
  readonly iouThreshold: number;
  /** Run FaceMesh a second time on the crop its first landmarks give (MediaPipe's tracking crop). */
  readonly refineLandmarks: boolean;
  /** Run the detector on every n-th frame only; the frames in between start from its crop. */
  readonly detectEveryFrames: number;
  /** Landmark score under which a frame that was not detected on is detected on after all. */
  readonly minTrackingScore: number;
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
  /** Every detection, largest first (boxes only); null on frames where the face was tracked instead. */
  readonly detections: readonly FaceCandidate[] | null;
  /** Landmarks of the largest detection, when there is one. */
  readonly face: TrackedFace | null;
}

/** Loads the face models once per process; pass the result in `deps`. */
export async function loadFaceModels(modelsDir: string): Promise<FaceModels> {
  const [detector, landmarker] = await Promise.all([blazeface.load(modelsDir), facemesh.load(modelsDir)]);
  return { detector, landmarker };
}

/**
 * Stage 3: faces and landmarks in each frame. The detector runs on every `detectEveryFrames`-th
 * frame; the frames in between start from the latest detection's crop. Every face then gets two
 * FaceMesh passes — on that crop, and on the crop its own first landmarks give — each pass run as
 * one batch over all frames. A frame whose landmarks come out weak is detected on its own.
 */
export function detectFaces(frames: readonly Frame[], models: FaceModels, options: FaceOptions): FrameFaces[] {
  const detect = (frame: Frame) =>
    models.detector.predict(frame, { minScore: options.minDetectionScore, iouThreshold: options.iouThreshold }).sort((p, q) => q.box[2] * q.box[3] - p.box[2] * p.box[3]);
  const detections = frames.map((frame, i) => (i % options.detectEveryFrames === 0 ? detect(frame) : null));
  let latest: FaceCandidate | undefined;
  const seeds = detections.map((found) => {
    if (found) latest = found[0];
    return found && !found[0] ? undefined : latest;
  });
  const landmarks = meshFrames(frames, seeds, models, options);
  return frames.map((frame, i) => {
    let found = detections[i] ?? null;
    let face = landmarks[i] ?? null;
    if (!found && (!face || face.meshScore < options.minTrackingScore)) {
      found = detect(frame);
      face = meshFrames([frame], [found[0]], models, options)[0] ?? null;
    }
    return { frameIndex: frame.index, detections: found, face };
  });
}

function meshFrames(frames: readonly Frame[], seeds: ReadonlyArray<FaceCandidate | undefined>, models: FaceModels, options: FaceOptions): Array<TrackedFace | null> {
  const seeded = frames.map((image, i) => ({ image, seed: seeds[i] })).filter((c): c is { image: Frame; seed: FaceCandidate } => c.seed !== undefined);
  let results = models.landmarker.predict(seeded.map(({ image, seed }) => ({ image, region: facemesh.regionFromDetection(seed.box, seed.keypoints[0]!, seed.keypoints[1]!) })));
  if (options.refineLandmarks) {
    results = models.landmarker.predict(seeded.map(({ image }, n) => ({ image, region: facemesh.regionFromMesh(results[n]!.mesh) })));
  }
  const byFrame = new Map(seeded.map(({ image, seed }, n) => [image, { seed, result: results[n]! }]));
  return frames.map((frame) => {
    const entry = byFrame.get(frame);
    if (!entry) return null;
    return { box: boundingBox(entry.result.mesh), detectionScore: entry.seed.score, meshScore: entry.result.faceScore, mesh: entry.result.mesh };
  });
}

function boundingBox(mesh: readonly Point3[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of mesh) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX - minX, maxY - minY];
}
