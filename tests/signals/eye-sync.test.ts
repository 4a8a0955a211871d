/**
 * The eye-sync signal on landmarks laid out by hand: two eyes whose lids close together (a blink),
 * and two whose lids only jitter, each on its own, as a landmark model's error on a photo does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESH, type Point3, type TrackedFace } from '../../src/faces/index.js';
import { seededRandom } from '../../src/synth/still-attacks.js';
import { eyeSync } from '../../src/signals/facial-dynamics.js';

/** A face with each eye open by `right` and `left` pixels (lid to lid), the mouth 60 px below the eyes. */
function face(right: number, left: number): TrackedFace {
  const mesh: Point3[] = Array.from({ length: 468 }, () => [320, 240, 0]);
  const place = (index: number, x: number, y: number) => (mesh[index] = [x, y, 0]);
  place(MESH.rightEyeOuter, 270, 200);
  place(MESH.rightEyeInner, 300, 200);
  place(MESH.leftEyeInner, 340, 200);
  place(MESH.leftEyeOuter, 370, 200);
  place(MESH.rightEyeUpper, 285, 200 - right / 2);
  place(MESH.rightEyeLower, 285, 200 + right / 2);
  place(MESH.leftEyeUpper, 355, 200 - left / 2);
  place(MESH.leftEyeLower, 355, 200 + left / 2);
  place(MESH.mouthRight, 300, 260);
  place(MESH.mouthLeft, 340, 260);
  return { box: [250, 150, 140, 140], detectionScore: 1, meshScore: 1, mesh };
}

const sync = (faces: readonly TrackedFace[]) => eyeSync.compute({ mode: 'video', frames: [], faces }).value;

test('two eyes that blink together correlate; lids that only jitter, each on its own, do not', () => {
  const random = seededRandom(11);
  const jitter = () => (random() - 0.5) * 0.8;
  // 16 frames, a blink over frames 6–8, and half a pixel of landmark error on every lid.
  const blink = [0, 0, 0, 0, 0, 0, 0.5, 1, 0.6, 0, 0, 0, 0, 0, 0, 0];
  const blinking = blink.map((closed) => face(10 * (1 - closed) + jitter(), 10 * (1 - closed) + jitter()));
  const still = blink.map(() => face(10 + jitter(), 10 + jitter()));
  assert.ok(sync(blinking) > 0.9, `blinking ${sync(blinking)}`);
  assert.ok(Math.abs(sync(still)) < 0.5, `jitter only ${sync(still)}`);
  assert.equal(sync(blink.map(() => face(10, 10))), 0, 'lids that never move: no correlation to read');
});
