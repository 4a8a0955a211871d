import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { decodeFrames } from '../../src/decode/index.js';
import { readJpegOrientation } from '../../src/decode/exif.js';
import { ingestMedia, type AnalysisInput } from '../../src/ingest/index.js';
import { withTempDir } from '../../src/util/temp.js';
import { ffmpeg, scratch, tools, writeScratch } from '../helpers/media.js';
import { join } from 'node:path';

function decode(input: AnalysisInput, overrides: Partial<typeof DEFAULT_CONFIG.decode> = {}) {
  return withTempDir(async (dir) => decodeFrames(await ingestMedia(input, DEFAULT_CONFIG.ingest, dir), tools, { ...DEFAULT_CONFIG.decode, ...overrides }));
}

async function clip(name: string, args: string[]): Promise<string> {
  const path = join(await scratch(), name);
  await ffmpeg(args.concat(path));
  return path;
}

test('samples 16 frames spread over a 5-s clip, not every frame', async () => {
  const path = await clip('t.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
  const decoded = await decode({ kind: 'media', source: { path } });
  assert.equal(decoded.mode, 'video');
  assert.equal(decoded.frames.length, 16);
  const times = decoded.frames.map((f) => f.timestampMs!);
  assert.equal(times[0], 0);
  assert.ok(times.at(-1)! >= 4000, `last frame at ${times.at(-1)} ms`);
  assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]!));
});

test('honours rotation metadata: a 640×360 clip tagged 90° decodes as 360×640', async () => {
  const upright = await clip('upright.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
  // The 2018 ffmpeg writes the rotate tag as a display matrix only when stream-copying.
  const path = await clip('rotated.mp4', ['-i', upright, '-c', 'copy', '-metadata:s:v:0', 'rotate=90']);
  const decoded = await decode({ kind: 'media', source: { path } });
  assert.ok([90, 270].includes(decoded.sources[0]!.rotationDeg), `rotation ${decoded.sources[0]!.rotationDeg}`);
  assert.deepEqual([decoded.frames[0]!.width, decoded.frames[0]!.height], [360, 640]);
});

test('downscales huge frames early and keeps odd sizes exact', async () => {
  const big = await clip('big.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=3840x2160:rate=10:duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast']);
  const decodedBig = await decode({ kind: 'media', source: { path: big } });
  assert.deepEqual([decodedBig.frames[0]!.width, decodedBig.frames[0]!.height], [1280, 720]);
  const odd = await clip('odd.png', ['-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-vf', 'scale=333:251', '-pix_fmt', 'rgb24', '-frames:v', '1']);
  const decodedOdd = await decode({ kind: 'media', source: { path: odd } });
  assert.equal(decodedOdd.mode, 'image');
  assert.deepEqual([decodedOdd.frames[0]!.width, decodedOdd.frames[0]!.height], [333, 251]);
  assert.equal(decodedOdd.frames[0]!.rgb.length, 333 * 251 * 3);
});

test('decodes 10-bit video and flattens alpha onto grey', async () => {
  const tenBit = await clip('ten-bit.mov', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=1', '-c:v', 'prores_ks', '-pix_fmt', 'yuv422p10le']);
  const decoded = await decode({ kind: 'media', source: { path: tenBit } });
  assert.match(decoded.sources[0]!.pixelFormat, /10/);
  assert.ok(decoded.frames.length > 0);
  const transparent = await clip('transparent.png', ['-f', 'lavfi', '-i', 'color=c=red@0.0:size=64x64,format=rgba', '-frames:v', '1']);
  const flat = await decode({ kind: 'media', source: { path: transparent } });
  assert.deepEqual([...flat.frames[0]!.rgb.subarray(0, 3)], [128, 128, 128]);
});

test('samples variable-frame-rate clips by time', async () => {
  // 10 s at 30 fps with frames 60–239 dropped: a 6-s gap in the timestamps.
  const path = await clip('vfr.mkv', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=10', '-vf', "select='not(between(n,60,239))'", '-vsync', 'vfr', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
  const decoded = await decode({ kind: 'media', source: { path } });
  const times = decoded.frames.map((f) => f.timestampMs!);
  assert.ok(times.every((t) => t < 2100 || t >= 8000), `times ${times.join(',')}`);
});

test('applies EXIF orientation to JPEG stills', async () => {
  const plain = await readFile(await clip('plain.jpg', ['-f', 'lavfi', '-i', 'testsrc2=size=200x100', '-frames:v', '1']));
  // APP1 "Exif", big-endian TIFF, one IFD entry: orientation (0x0112) = 6 (turn 90° clockwise to view).
  const tiff = Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]);
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (app1Body.length + 2) >> 8, (app1Body.length + 2) & 0xff]), app1Body]);
  const oriented = Buffer.concat([plain.subarray(0, 2), app1, plain.subarray(2)]);
  assert.equal(readJpegOrientation(oriented), 6);
  const path = await writeScratch('oriented.jpg', oriented);
  const decoded = await decode({ kind: 'media', source: { path } });
  assert.deepEqual([decoded.frames[0]!.width, decoded.frames[0]!.height], [100, 200]);
});

test('a frame listener that throws fails the decode, not the process', async () => {
  const path = await clip('listener.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
  await assert.rejects(
    withTempDir(async (dir) =>
      decodeFrames(await ingestMedia({ kind: 'media', source: { path } }, DEFAULT_CONFIG.ingest, dir), tools, DEFAULT_CONFIG.decode, () => {
        throw new Error('detector failed');
      }),
    ),
    /detector failed/,
  );
});
