/** Hostile and broken inputs get a clear coded error: no crash, no hang, no runaway memory. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, test } from 'node:test';
import { withOverrides } from '../../src/config.js';
import { loadDeps, type Deps } from '../../src/deps.js';
import { LivenessError, type ErrorCode } from '../../src/errors.js';
import type { AnalysisInput } from '../../src/ingest/index.js';
import { analyzeMedia } from '../../src/pipeline/index.js';
import { ffmpeg, franckClip, noFranck, pngClaiming, scratch, writeScratch } from '../helpers/media.js';
import { join } from 'node:path';

let deps: Deps;
before(async () => {
  deps = await loadDeps();
});

async function assertFailsWith(input: AnalysisInput, code: ErrorCode, message?: RegExp, config = withOverrides({})): Promise<void> {
  await assert.rejects(analyzeMedia(input, deps, config), (error: unknown) => {
    assert.ok(error instanceof LivenessError, `expected a LivenessError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

const file = (path: string): AnalysisInput => ({ kind: 'media', source: { path } });

test('a zero-length file → empty_input', async () => {
  await assertFailsWith(file(await writeScratch('empty.mp4', '')), 'empty_input');
});

test('a text file named .mp4 → unsupported_media', async () => {
  await assertFailsWith(file(await writeScratch('notes.mp4', 'just some text, not a video\n'.repeat(20))), 'unsupported_media', /Expected a video .* but the bytes match none/);
});

test('a PNG header claiming 60000×60000 → dimensions_too_large, before any decoding', async () => {
  await assertFailsWith(file(await writeScratch('huge.png', pngClaiming(60000, 60000))), 'dimensions_too_large', /60000x60000/);
});

test('a truncated video → undecodable_media', { skip: noFranck }, async () => {
  const clip = await readFile(await franckClip('live-5s.mp4', 5));
  await assertFailsWith(file(await writeScratch('truncated.mp4', clip.subarray(0, 2000))), 'undecodable_media');
});

test('audio only → no_video_stream', async () => {
  const path = join(await scratch(), 'audio.m4a');
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac', path]);
  await assertFailsWith(file(path), 'no_video_stream', /audio/);
});

test('over 50 MB → media_too_large, without reading it', async () => {
  await assertFailsWith({ kind: 'media', source: { bytes: new Uint8Array(50_000_001) } }, 'media_too_large', /Expected at most 50 MB of media but received 50\.0 MB \(50,000,001 bytes\)/);
});

test('a video that declares a huge frame count is sampled by time, not trusted', async () => {
  // An MJPEG AVI whose header claims 2^31 frames: the decoder samples the first seconds and stops.
  const path = join(await scratch(), 'claims-many.avi');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10:duration=2', '-c:v', 'mjpeg', path]);
  const bytes = await readFile(path);
  const avih = bytes.indexOf('avih');
  bytes.writeUInt32LE(0x7fffffff, avih + 8 + 16); // dwTotalFrames
  const startedAt = Date.now();
  const analysis = await analyzeMedia(file(await writeScratch('claims-many-patched.avi', bytes)), deps);
  assert.equal(analysis.inconclusive?.code, 'no_face');
  assert.ok(analysis.evidence.frames.length <= 16);
  assert.ok(Date.now() - startedAt < 20_000);
});

test('a decode that runs past its timeout is killed → decode_timeout', { skip: noFranck }, async () => {
  await assertFailsWith(file(await franckClip('live-5s.mp4', 5)), 'decode_timeout', /within 1 ms/, withOverrides({ decode: { timeoutMs: 1 } }));
});

test('more than 16 frames → too_many_frames; a video among frames → unsupported_media', { skip: noFranck }, async () => {
  const clip = await franckClip('live-5s.mp4', 5);
  await assertFailsWith({ kind: 'frames', frames: Array.from({ length: 17 }, () => ({ path: clip })) }, 'too_many_frames', /at most 16/);
  await assertFailsWith({ kind: 'frames', frames: [{ path: clip }] }, 'unsupported_media', /frames\[0\]/);
});

test('a missing file → file_not_found', async () => {
  await assertFailsWith(file('/nonexistent/clip.mp4'), 'file_not_found');
});
