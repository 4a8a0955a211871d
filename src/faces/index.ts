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
  /**
   * Run the detector on every n-th frame only; in between, the face is tracked from the previous
   * frame's landmarks, as MediaPipe does in video mode. 1 detects on every frame.
   */
  readonly detectEveryFrames: number;
  /** Landmark score under which tracking is lost and the detector runs again. */
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
 * Stage 3: faces and landmarks in each frame. Deterministic for a given input: tracking state lives
 * in this call only.
 */
export function detectFaces(frames: readonly Frame[], models: FaceModels, options: FaceOptions): FrameFaces[] {
  const results: FrameFaces[] = [];
  let previous: TrackedFace | null = null;
  for (const [i, frame] of frames.entries()) {
    if (previous && i % options.detectEveryFrames !== 0) {
      const tracked = models.landmarker.predict(frame, facemesh.regionFromMesh(previous.mesh));
      if (tracked.faceScore >= options.minTrackingScore) {
        previous = { box: boundingBox(tracked.mesh), detectionScore: previous.detectionScore, meshScore: tracked.faceScore, mesh: tracked.mesh };
        results.push({ frameIndex: frame.index, detections: null, face: previous });
        continue;
      }
    }
    const detected = detectInFrame(frame, models, options);
    previous = detected.face;
    results.push(detected);
  }
  return results;
}

function detectInFrame(frame: Frame, models: FaceModels, options: FaceOptions): FrameFaces {
  const detections = models.detector
    .predict(frame, { minScore: options.minDetectionScore, iouThreshold: options.iouThreshold })
    .sort((p, q) => q.box[2] * q.box[3] - p.box[2] * p.box[3]);
  const dominant = detections[0];
  if (!dominant) return { frameIndex: frame.index, detections, face: null };
  const rightEye = dominant.keypoints[0]!;
  const leftEye = dominant.keypoints[1]!;
  let result = models.landmarker.predict(frame, facemesh.regionFromDetection(dominant.box, rightEye, leftEye));
  if (options.refineLandmarks) result = models.landmarker.predict(frame, facemesh.regionFromMesh(result.mesh));
  return {
    frameIndex: frame.index,
    detections,
    face: { box: boundingBox(result.mesh), detectionScore: dominant.score, meshScore: result.faceScore, mesh: result.mesh },
  };
}

function boundingBox(mesh: readonly Point3[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of mesh) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX - minX, maxY - minY];
}
