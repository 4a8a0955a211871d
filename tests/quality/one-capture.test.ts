/**
 * The one-capture check of videos and frame arrays, on scenes drawn here: a textured room around a face box,
 * the camera shaking and its exposure drifting (one capture), the backdrop changing (another
 * occasion), images of two sizes, a face that fills the image (nothing around it to compare), and a
 * slideshow video (a face that stands pixel-still, then leaps to another look).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { Frame, SourceInfo } from '../../src/decode/index.js';
import type { TrackedFace } from '../../src/faces/index.js';
import { checkOneCapture } from '../../src/quality/one-capture.js';
import { seededRandom } from '../../src/synth/still-attacks.js';

const WIDTH = 320;
const HEIGHT = 240;
const FACE: TrackedFace = { box: [120, 70, 80, 100], detectionScore: 1, meshScore: 1, mesh: [] };

/** A room: blocks of random grey, 20 px across, from `seed`. */
function room(seed: number): (x: number, y: number) => number {
  const random = seededRandom(seed);
  const blocks = Array.from({ length: 40 * 30 }, () => 40 + random() * 180);
  return (x, y) => blocks[Math.floor(Math.max(0, y) / 20) * 40 + Math.floor(Math.max(0, x) / 20)] ?? 128;
}

/**
 * The room seen `shiftPx` to the left, at `gain` times the exposure, with a face in the middle of
 * `FACE`'s box: its pixels from `faceSeed` (each seed a different look of the face; null for the
 * room showing through), plus the sensor's noise unless `noise` is 0.
 */
function frame(
  index: number, scene: (x: number, y: number) => number, shiftPx = 0, gain = 1, size = { width: WIDTH, height: HEIGHT },
  { faceSeed = null as number | null, noise = 0 } = {},
): Frame {
  const rgb = new Uint8Array(size.width * size.height * 3);
  const look = faceSeed === null ? null : room(faceSeed);
  const grain = seededRandom(1000 + index);
  const [fx, fy, fw, fh] = FACE.box;
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const onFace = look && x >= fx && x < fx + fw && y >= fy && y < fy + fh;
      const value = (onFace ? look(x * 4, y * 4) : scene(x + shiftPx, y)) * gain + (grain() - 0.5) * 2 * noise;
      rgb.fill(Math.round(Math.max(0, Math.min(255, value))), (y * size.width + x) * 3, (y * size.width + x) * 3 + 3);
    }
  }
  return { index, timestampMs: index * 375, width: size.width, height: size.height, rgb };
}

function source(width = WIDTH, height = HEIGHT): SourceInfo {
  return { container: 'jpeg', codec: 'mjpeg', pixelFormat: 'yuvj420p', width, height, rotationDeg: 0, durationMs: null, fps: null };
}

function check(frames: readonly Frame[], sources = frames.map((f) => source(f.width, f.height)), face = FACE, input: 'video' | 'frames' = 'frames') {
  const usable = frames.map((_, i) => i);
  return checkOneCapture(input, frames, sources, usable, usable.map(() => face), DEFAULT_CONFIG.quality);
}

test('one capture: a shaking camera and a drifting exposure stay well under the limit', () => {
  const scene = room(1);
  const frames = Array.from({ length: 8 }, (_, i) => frame(i, scene, [0, 6, 13, 9, 30, 24, 3, 0][i]!, 1 + 0.06 * i));
  const report = check(frames);
  assert.equal(report.failure, null, report.failure ?? '');
  assert.equal(report.sameSize, true);
  assert.equal(report.comparedPairs, 7);
  assert.ok(report.surroundingsChangePct !== null && report.surroundingsChangePct < DEFAULT_CONFIG.quality.maxSurroundingsChangePct / 3, `${report.surroundingsChangePct}`);
});

test('another occasion: a backdrop that changes from the fifth frame on is not one capture', () => {
  const [here, there] = [room(1), room(2)];
  const frames = Array.from({ length: 8 }, (_, i) => frame(i, i < 4 ? here : there));
  const report = check(frames);
  assert.ok(report.surroundingsChangePct! > DEFAULT_CONFIG.quality.maxSurroundingsChangePct, `${report.surroundingsChangePct}`);
  assert.match(report.failure ?? '', /^The frames are not one capture: the scene around the face changes by [\d.]+ % between two of them, as it does between separate photos \(one recording stays under 30 %\)/);
  // The same frames as a video's: a slideshow of photos.
  const asVideo = check(frames, [source()], FACE, 'video');
  assert.equal(asVideo.surroundingsChangePct, report.surroundingsChangePct);
  assert.match(asVideo.failure ?? '', /^The video is not one capture: the scene around the face changes by [\d.]+ % between two of its sampled frames, as it does between separate photos/);
});

test('images of two sizes are not one capture, whatever they show', () => {
  const scene = room(1);
  const small = { width: 160, height: 120 };
  const frames = [frame(0, scene), frame(1, scene), frame(2, scene, 0, 1, small), frame(3, scene)];
  const report = check(frames);
  assert.equal(report.sameSize, false);
  assert.equal(report.failure, 'The frames are not one capture: they come in 2 sizes (320×240, 160×120). Send frames of one recording, uncropped.');
});

test('a face that fills the image leaves nothing around it to compare, and nothing is claimed', () => {
  const [here, there] = [room(1), room(2)];
  const frames = Array.from({ length: 8 }, (_, i) => frame(i, i < 4 ? here : there));
  const filling: TrackedFace = { ...FACE, box: [10, 10, 300, 220] };
  const report = check(frames, undefined, filling);
  assert.equal(report.surroundingsChangePct, null);
  assert.equal(report.comparedPairs, 0);
  assert.equal(report.failure, null);
});

/** Each photo's look, shown for two sampled frames 375 ms apart: a slideshow at 0.7 s a photo. */
const LOOKS = [10, 10, 11, 11, 12, 12, 13, 13];
const slideshowFrames = (noise = 0) => LOOKS.map((seed, i) => frame(i, room(1), 0, 1, undefined, { faceSeed: seed, noise }));

test('a slideshow video: the face stands pixel-still between some frames and leaps between others; a living face, or a looped still, does not', () => {
  const slideshow = check(slideshowFrames(), [source()], FACE, 'video');
  assert.equal(slideshow.frozenPairs, 4);
  assert.equal(slideshow.leapPairs, 3);
  assert.match(slideshow.failure ?? '', /^The video is not one capture: the face stands pixel-still between 4 pairs of neighbouring frames and leaps between 3 others, as a slideshow of photos does\./);
  // The same looks with a sensor's noise on every frame: never pixel-still, so one capture.
  const living = check(slideshowFrames(2), [source()], FACE, 'video');
  assert.equal(living.frozenPairs, 0);
  assert.equal(living.failure, null);
  // One look throughout (a looped still): frozen, but it never leaps; the signals judge it.
  const looped = check(LOOKS.map((_, i) => frame(i, room(1), 0, 1, undefined, { faceSeed: 10 })), [source()], FACE, 'video');
  assert.equal(looped.frozenPairs, 7);
  assert.equal(looped.failure, null);
});

test('repeats closer than 250 ms (a dim webcam’s 10 pictures a second in a 30-fps file) and in frame arrays, which carry no times, are not a slideshow', () => {
  const photos = slideshowFrames();
  const close = check(photos.map((f) => ({ ...f, timestampMs: f.index * 100 })), [source()], FACE, 'video');
  assert.deepEqual([close.frozenPairs, close.leapPairs, close.failure], [0, 0, null]);
  const array = check(photos.map((f) => ({ ...f, timestampMs: null })));
  assert.deepEqual([array.frozenPairs, array.leapPairs, array.failure], [0, 0, null]);
});

test('only neighbouring usable frames are compared: across frames that failed the gates, the scene may change', () => {
  const [here, there] = [room(1), room(2)];
  const frames = Array.from({ length: 8 }, (_, i) => frame(i, i < 4 ? here : there, i, 1, undefined, { noise: 2 }));
  const report = checkOneCapture('video', frames, [source()], [0, 1, 2, 5, 6, 7], [0, 1, 2, 5, 6, 7].map(() => FACE), DEFAULT_CONFIG.quality);
  assert.equal(report.comparedPairs, 4);
  assert.equal(report.failure, null);
  assert.ok(report.surroundingsChangePct! < 10, `${report.surroundingsChangePct}`);
});
