/**
 * The instrument-edges signal on drawn scenes: a face (a skin-coloured oval with landmarks laid on it)
 * inside a sheet, beside a door frame, or in an empty room, moved between frames.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Frame } from '../../src/decode/index.js';
import { MESH, type Point3, type TrackedFace } from '../../src/faces/index.js';
import { instrumentEdges, measureInstrumentEdges } from '../../src/signals/instrument-edges.js';

const WIDTH = 640;
const HEIGHT = 480;
const FACE = { width: 90, height: 110 };

type Rect = { x: number; y: number; w: number; h: number; grey: number };

/** A frame: a mid-grey room, the rectangles in order, then the face's oval. */
function drawFrame(index: number, face: { cx: number; cy: number }, rects: readonly Rect[]): Frame {
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3).fill(90);
  const paint = (x: number, y: number, r: number, g: number, b: number) => {
    const i = (y * WIDTH + x) * 3;
    rgb[i] = r; rgb[i + 1] = g; rgb[i + 2] = b;
  };
  for (const rect of rects) {
    for (let y = Math.max(0, Math.round(rect.y)); y < Math.min(HEIGHT, Math.round(rect.y + rect.h)); y++) {
      for (let x = Math.max(0, Math.round(rect.x)); x < Math.min(WIDTH, Math.round(rect.x + rect.w)); x++) paint(x, y, rect.grey, rect.grey, rect.grey);
    }
  }
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      // The head: the face's oval and hair around it, neither with a straight edge.
      const head = ((x - face.cx) / (FACE.width * 0.75)) ** 2 + ((y - face.cy + 10) / (FACE.height * 0.7)) ** 2;
      const skin = ((x - face.cx) / (FACE.width / 2)) ** 2 + ((y - face.cy) / (FACE.height / 2)) ** 2;
      if (skin <= 1) paint(x, y, 205, 160, 135);
      else if (head <= 1) paint(x, y, 50, 40, 35);
    }
  }
  return { index, timestampMs: index * 200, width: WIDTH, height: HEIGHT, rgb };
}

/** 468 landmarks on the face's oval, with the outer eye corners where the signal reads the roll. */
function faceAt(cx: number, cy: number): TrackedFace {
  const mesh: Point3[] = Array.from({ length: 468 }, (_, i) => {
    const angle = (2 * Math.PI * i) / 468;
    return [cx + (FACE.width / 2) * Math.cos(angle), cy + (FACE.height / 2) * Math.sin(angle), 0];
  });
  mesh[MESH.rightEyeOuter] = [cx - 0.3 * FACE.width, cy - 0.1 * FACE.height, 0];
  mesh[MESH.leftEyeOuter] = [cx + 0.3 * FACE.width, cy - 0.1 * FACE.height, 0];
  return { box: [cx - FACE.width / 2, cy - FACE.height / 2, FACE.width, FACE.height], detectionScore: 1, meshScore: 1, mesh };
}

/** Eight frames of a face that sways by `swayPx`, drawn with `rectsAt(offset)`. */
function scene(swayPx: number, rectsAt: (dx: number, dy: number) => Rect[]) {
  const frames: Frame[] = [];
  const faces: TrackedFace[] = [];
  for (let i = 0; i < 8; i++) {
    const dx = swayPx * Math.sin(i * 1.3);
    const dy = (swayPx / 2) * Math.cos(i * 0.9);
    const centre = { cx: 320 + dx, cy: 230 + dy };
    frames.push(drawFrame(i, centre, rectsAt(dx, dy)));
    faces.push(faceAt(centre.cx, centre.cy));
  }
  return { mode: 'video' as const, frames, faces };
}

/**
 * The drawn head's own outline gives short straight-ish runs where its flanks and crown are flattest
 * (about 0.6 face heights here); real heads measured 0–1.2 on the bench.
 */
const HEAD_OUTLINE = 0.7;

/** A bright sheet 2.4 face widths across and 2.4 face heights tall around the face, seen whole. */
const sheet = (dx: number, dy: number): Rect[] => [{ x: 320 - 108 + dx, y: 230 - 130 + dy, w: 216, h: 264, grey: 220 }];

test('a sheet held up and moved with the face shows two long borders', () => {
  const { value, details } = instrumentEdges.compute(scene(25, sheet));
  // Its sides are 264 px = 2.4 face heights long; its top lies 130 px above the centre, in the zone.
  assert.ok(details.left! > 2 && details.right! > 2, JSON.stringify(details));
  assert.ok(value > 1, `reaches more than a face height beyond the face's own: ${value}`);
});

test('the same sheet left in place while the face moves is not carried by the face', () => {
  const still = scene(25, () => sheet(0, 0));
  const sides = measureInstrumentEdges(still.frames, still.faces);
  assert.ok(Math.max(sides.left, sides.right, sides.top) < HEAD_OUTLINE, `a border the face moves across: ${JSON.stringify(sides)}`);
  assert.equal(instrumentEdges.compute(still).value, 0);
});

test('one straight edge beside the face (a door frame) is not a border on two sides', () => {
  const door: Rect[] = [{ x: 320 - 180, y: 0, w: 30, h: HEIGHT, grey: 160 }];
  const sides = measureInstrumentEdges(scene(0, () => door).frames, scene(0, () => door).faces);
  assert.ok(sides.left > 2, `the door's edge is found: ${JSON.stringify(sides)}`);
  assert.equal(instrumentEdges.compute(scene(0, () => door)).value, 0);
});

test('a head in an empty room has no edges beside it', () => {
  const { value, details } = instrumentEdges.compute(scene(10, () => []));
  assert.ok(Math.max(details.left!, details.right!, details.top!) < HEAD_OUTLINE, JSON.stringify(details));
  assert.equal(value, 0);
});

test('the frame\'s own border is no edge: a face near the side of the picture', () => {
  const frames = [0, 1, 2, 3].map((i) => drawFrame(i, { cx: 60, cy: 230 }, []));
  const faces = [0, 1, 2, 3].map(() => faceAt(60, 230));
  const { value } = instrumentEdges.compute({ mode: 'video', frames, faces });
  assert.equal(value, 0);
  assert.ok(measureInstrumentEdges(frames, faces).left === 0, 'nothing is found left of the face, outside the picture');
});
