/**
 * The gaze signal on landmarks laid out by hand: irises printed in place on a picture that is moved,
 * turned and scaled read no range at all; irises that slide along the eyes read the slide.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESH, type Point3, type TrackedFace } from '../../src/faces/index.js';
import { gazeRange } from '../../src/signals/gaze.js';

/** A face whose eyes are 30 px wide with each iris `along` of the way from its image-left corner, then moved by `pose`. */
function face(along: number, pose: { dx: number; dy: number; rollRad: number; scale: number }): TrackedFace {
  const place = ([x, y]: readonly [number, number]): [number, number] => {
    const cos = Math.cos(pose.rollRad) * pose.scale, sin = Math.sin(pose.rollRad) * pose.scale;
    return [320 + pose.dx + (x - 320) * cos - (y - 240) * sin, 240 + pose.dy + (x - 320) * sin + (y - 240) * cos];
  };
  const mesh: Point3[] = Array.from({ length: 468 }, () => [...place([320, 240]), 0]);
  const corners = { right: [270, 300], left: [340, 370] } as const;
  mesh[MESH.rightEyeOuter] = [...place([corners.right[0], 200]), 0];
  mesh[MESH.rightEyeInner] = [...place([corners.right[1], 200]), 0];
  mesh[MESH.leftEyeInner] = [...place([corners.left[0], 200]), 0];
  mesh[MESH.leftEyeOuter] = [...place([corners.left[1], 200]), 0];
  const iris = ([a, b]: readonly [number, number]) => place([a + (b - a) * along, 200]);
  return { box: [250, 150, 140, 140], detectionScore: 1, meshScore: 1, mesh, irises: { right: iris(corners.right), left: iris(corners.left) } };
}

const range = (faces: readonly TrackedFace[]) => gazeRange.compute({ mode: 'video', frames: [], faces }).value;
const frames = Array.from({ length: 16 }, (_, i) => i);

test('irises fixed in a moved, turned and rescaled picture read no gaze range', () => {
  const moved = frames.map((i) => face(0.5, { dx: 8 * Math.sin(i), dy: 3 * i, rollRad: 0.05 * Math.cos(i), scale: 1 + 0.02 * i }));
  assert.ok(range(moved) < 1e-4, `range ${range(moved)}`);
});

test('irises that slide along the eyes read the slide (5th to 95th percentile)', () => {
  // From 0.45 to 0.55 of the eye's width, evenly over 16 frames, while the head turns a little.
  const sliding = frames.map((i) => face(0.45 + (0.1 * i) / 15, { dx: 2 * i, dy: 0, rollRad: 0.01 * i, scale: 1 }));
  assert.ok(Math.abs(range(sliding) - 0.09) < 1e-4, `range ${range(sliding)}`);
});
