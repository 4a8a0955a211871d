/**
 * The planar-fit signal on landmarks laid out by hand: a head (points on a rounded surface with a
 * nose) turning, and a flat photo of it turned and tilted the same way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESH, type Point3, type TrackedFace } from '../../src/faces/index.js';
import { planarFit } from '../../src/signals/planar-fit.js';

const PX_PER_IOD = 80;
const CAMERA_DISTANCE = 8;

/** 468 points over the face's oval (a jittered grid), with the eye corners where the signal reads them. */
function layout(): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (let i = 0; points.length < 468; i++) {
    const x = -1 + 2 * ((i * 0.618034) % 1);
    const y = -1.3 + 2.6 * ((i * 0.754878) % 1);
    if (x * x + (y / 1.3) ** 2 < 1) points.push([x, y]);
  }
  points[MESH.rightEyeOuter] = [-0.72, -0.2];
  points[MESH.rightEyeInner] = [-0.28, -0.2];
  points[MESH.leftEyeInner] = [0.28, -0.2];
  points[MESH.leftEyeOuter] = [0.72, -0.2];
  return points;
}

/** Depth towards the camera of the head's surface: a rounded face and a nose. */
function headDepth(x: number, y: number): number {
  const dome = 0.6 * Math.sqrt(Math.max(0, 1 - x * x - (y / 1.3) ** 2));
  const nose = 0.35 * Math.exp(-(x * x) / 0.02 - ((y - 0.25) ** 2) / 0.08);
  return dome + nose;
}

/** The points turned by `yaw` and `pitch` (radians) and seen by a pinhole camera, as a tracked face. */
function view(points: ReadonlyArray<readonly [number, number, number]>, yaw: number, pitch: number): TrackedFace {
  const mesh: Point3[] = points.map(([x, y, z]) => {
    const x1 = x * Math.cos(yaw) + z * Math.sin(yaw);
    const z1 = -x * Math.sin(yaw) + z * Math.cos(yaw);
    const y2 = y * Math.cos(pitch) - z1 * Math.sin(pitch);
    const z2 = y * Math.sin(pitch) + z1 * Math.cos(pitch);
    const scale = (PX_PER_IOD * CAMERA_DISTANCE) / (CAMERA_DISTANCE - z2);
    return [320 + scale * x1, 240 + scale * y2, 0];
  });
  return { box: [240, 130, 160, 220], detectionScore: 1, meshScore: 1, mesh };
}

/** Eight poses of a head turning from side to side and nodding a little. */
const POSES = Array.from({ length: 8 }, (_, i) => ({ yaw: 0.25 * Math.sin(i * 0.9), pitch: 0.1 * Math.cos(i * 1.1) }));

function residual(faces: readonly TrackedFace[]): number {
  return planarFit.compute({ mode: 'video', frames: [], faces }).value;
}

test('a turning head leaves landmark error that a flat photo turned the same way does not', () => {
  const points = layout();
  const head = POSES.map(({ yaw, pitch }) => view(points.map(([x, y]) => [x, y, headDepth(x, y)]), yaw, pitch));
  const photo = POSES.map(({ yaw, pitch }) => view(points.map(([x, y]) => [x, y, 0]), yaw, pitch));
  const headValue = residual(head);
  const photoValue = residual(photo);
  assert.ok(headValue > 0.01, `head ${headValue}`);
  assert.ok(photoValue < 1e-4, `photo ${photoValue}`);
});
