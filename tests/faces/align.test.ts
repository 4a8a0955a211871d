import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignFace, alignFacePatch, FACE_CROP } from '../../src/faces/align.js';
import { MESH, type Point3 } from '../../src/faces/index.js';
import type { RgbImage } from '../../src/imaging/index.js';

const SIZE = 400;

/** A grey frame with a red dot on each eye centre and a blue dot 1 IOD below their midpoint (the mouth). */
function faceImage(centre: readonly [number, number], iodPx: number, rollRad: number): { image: RgbImage; mesh: Point3[] } {
  const cos = Math.cos(rollRad);
  const sin = Math.sin(rollRad);
  // Face axes: u along the eyes (subject's right eye at −u), v down the face.
  const at = (u: number, v: number): [number, number] => [centre[0] + u * cos - v * sin, centre[1] + u * sin + v * cos];
  const rightEye = at(-iodPx / 2, 0);
  const leftEye = at(iodPx / 2, 0);
  const mouth = at(0, iodPx);
  const rgb = new Uint8Array(SIZE * SIZE * 3).fill(128);
  const dot = ([x, y]: [number, number], colour: readonly number[]) => {
    for (let j = -3; j <= 3; j++) for (let i = -3; i <= 3; i++) rgb.set(colour, ((Math.round(y) + j) * SIZE + Math.round(x) + i) * 3);
  };
  dot(rightEye, [255, 0, 0]);
  dot(leftEye, [255, 0, 0]);
  dot(mouth, [0, 0, 255]);
  const mesh: Point3[] = Array.from({ length: 468 }, () => [centre[0], centre[1], 0]);
  for (const k of [MESH.rightEyeOuter, MESH.rightEyeInner]) mesh[k] = [...rightEye, 0];
  for (const k of [MESH.leftEyeOuter, MESH.leftEyeInner]) mesh[k] = [...leftEye, 0];
  return { image: { width: SIZE, height: SIZE, rgb }, mesh };
}

/** Centroid of the pixels where `channel` dominates, in crop pixels. */
function centroid(crop: RgbImage, channel: 0 | 2, region: (x: number, y: number) => boolean): [number, number] {
  let sx = 0, sy = 0, n = 0;
  for (let y = 0; y < crop.height; y++) {
    for (let x = 0; x < crop.width; x++) {
      const p = (y * crop.width + x) * 3;
      if (region(x, y) && crop.rgb[p + channel]! > crop.rgb[p + 1]! + 60) { sx += x; sy += y; n++; }
    }
  }
  assert.ok(n > 0, 'the dot is in the crop');
  return [sx / n, sy / n];
}

test('a rolled face comes out upright, its eyes level and where FACE_CROP puts them', () => {
  for (const rollRad of [0, 0.5, -0.9]) {
    const { image, mesh } = faceImage([200, 190], 60, rollRad);
    const crop = alignFace(image, mesh);
    assert.equal(crop.width, FACE_CROP.sizePx);
    assert.equal(crop.rgb.length, FACE_CROP.sizePx * FACE_CROP.sizePx * 3);
    const half = FACE_CROP.sizePx / 2;
    const right = centroid(crop, 0, (x) => x < half);
    const left = centroid(crop, 0, (x) => x >= half);
    const pxPerIod = FACE_CROP.sizePx / FACE_CROP.sideIod;
    assert.ok(Math.abs(right[1] - left[1]) < 1, `eyes level at roll ${rollRad}: ${right[1]} vs ${left[1]}`);
    assert.ok(Math.abs(left[0] - right[0] - pxPerIod) < 1.5, `eyes 1 IOD apart: ${left[0] - right[0]}`);
    const eyesY = half - FACE_CROP.centreBelowEyesIod * pxPerIod;
    assert.ok(Math.abs(right[1] - eyesY) < 1.5, `eyes ${FACE_CROP.centreBelowEyesIod} IOD above the centre: ${right[1]}`);
    const mouth = centroid(crop, 2, () => true);
    assert.ok(mouth[1] > right[1] + pxPerIod * 0.8, `the mouth below the eyes: ${mouth[1]}`);
  }
});

test('the patch keeps the camera scale for a large face and frames a small one like the face crop', () => {
  // 40 px between the eyes: 64 frame pixels is 1.6 IOD, less than FACE_CROP's 2 IOD, so the patch is 1:1.
  const large = faceImage([200, 190], 40, 0.3);
  const patch = alignFacePatch(large.image, large.mesh);
  assert.equal(patch.width, FACE_CROP.sizePx);
  const half = FACE_CROP.sizePx / 2;
  const right = centroid(patch, 0, (x) => x < half);
  const left = centroid(patch, 0, (x) => x >= half);
  assert.ok(Math.abs(left[0] - right[0] - 40) < 1, `eyes 40 px apart at the camera scale: ${left[0] - right[0]}`);
  // 20 px between the eyes: the patch would be over 3 IOD, so it is the face crop's framing instead.
  const small = faceImage([200, 190], 20, 0);
  assert.deepEqual(alignFacePatch(small.image, small.mesh).rgb, alignFace(small.image, small.mesh, { ...FACE_CROP, supersample: 1 }).rgb);
});
