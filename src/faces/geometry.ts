/** Measurements on one face's landmarks, shared by the quality gates and the signals. */
import { MESH, type Point3 } from './facemesh.js';

type Point = readonly [number, number] | Point3;

export function distance(p: Point, q: Point): number {
  return Math.hypot(p[0] - q[0], p[1] - q[1]);
}

export function midpoint(p: Point, q: Point): [number, number] {
  return [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
}

function at(mesh: readonly Point3[], index: number): Point3 {
  return mesh[index]!;
}

export function eyeCentres(mesh: readonly Point3[]): { right: [number, number]; left: [number, number] } {
  return {
    right: midpoint(at(mesh, MESH.rightEyeOuter), at(mesh, MESH.rightEyeInner)),
    left: midpoint(at(mesh, MESH.leftEyeOuter), at(mesh, MESH.leftEyeInner)),
  };
}

/** Distance between the eye centres, in pixels: the scale every landmark measure is divided by. */
export function interocularPx(mesh: readonly Point3[]): number {
  const { right, left } = eyeCentres(mesh);
  return distance(right, left);
}

/**
 * Eye opening relative to the eyes-to-mouth distance. Dividing by a vertical length rather than the
 * eye width keeps the ratio unchanged when a flat photo is tilted (both shrink together).
 */
export function eyeOpening(mesh: readonly Point3[]): number {
  const { right, left } = eyeOpenings(mesh);
  return (right + left) / 2;
}

/** Each eye's opening (lid to lid) relative to the eyes-to-mouth distance. */
export function eyeOpenings(mesh: readonly Point3[]): { right: number; left: number } {
  const toMouth = eyesToMouthPx(mesh);
  return {
    right: distance(at(mesh, MESH.rightEyeUpper), at(mesh, MESH.rightEyeLower)) / toMouth,
    left: distance(at(mesh, MESH.leftEyeUpper), at(mesh, MESH.leftEyeLower)) / toMouth,
  };
}

/** Lip gap relative to the eyes-to-mouth distance. */
export function mouthOpening(mesh: readonly Point3[]): number {
  return distance(at(mesh, MESH.upperLipInner), at(mesh, MESH.lowerLipInner)) / eyesToMouthPx(mesh);
}

function eyesToMouthPx(mesh: readonly Point3[]): number {
  const { right, left } = eyeCentres(mesh);
  const mouth = midpoint(at(mesh, MESH.mouthRight), at(mesh, MESH.mouthLeft));
  return Math.max(1e-6, distance(midpoint(right, left), mouth));
}

/**
 * Head yaw and pitch as signed ratios in −1…1 from where the nose tip sits between the face's
 * sides (cheeks) and between forehead and chin; 0 is frontal. About ±0.5 is a 45° turn.
 */
export function poseRatios(mesh: readonly Point3[]): { yaw: number; pitch: number } {
  const nose = at(mesh, MESH.noseTip);
  const toRight = distance(nose, at(mesh, MESH.rightCheek));
  const toLeft = distance(nose, at(mesh, MESH.leftCheek));
  const toForehead = distance(nose, at(mesh, MESH.forehead));
  const toChin = distance(nose, at(mesh, MESH.chin));
  return { yaw: (toRight - toLeft) / Math.max(1e-6, toRight + toLeft), pitch: (toForehead - toChin) / Math.max(1e-6, toForehead + toChin) };
}
