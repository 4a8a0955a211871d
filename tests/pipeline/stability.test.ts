/**
 * The verdict must not hinge on how a clip was encoded: re-encoding a live clip (codec, bitrate,
 * resolution, frame rate) or re-saving frames and stills as JPEG must never flip `is_real`, nor may it
 * turn a moved photo into a live face; and nothing about the file — name, container, tags — may count.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { loadDeps, type Deps } from '../../src/deps.js';
import { analyzeMedia } from '../../src/pipeline/index.js';
import type { LivenessResult } from '../../src/verdict/index.js';
import { FRANCK, ffmpeg, handMovedStill, noFranck, scratch } from '../helpers/media.js';

let deps: Deps;
before(async () => {
  deps = await loadDeps();
});

const VARIANTS = [
  { name: 'h264-480p-0.5M-15fps.mp4', args: ['-c:v', 'libx264', '-b:v', '500k', '-vf', 'scale=-2:480', '-r', '15'] },
  { name: 'h264-1080p-8M-30fps.mp4', args: ['-c:v', 'libx264', '-b:v', '8M', '-vf', 'scale=-2:1080', '-r', '30', '-preset', 'ultrafast'] },
  { name: 'vp9-720p-1M-24fps.webm', args: ['-c:v', 'libvpx-vp9', '-b:v', '1M', '-vf', 'scale=-2:720', '-r', '24', '-deadline', 'realtime', '-cpu-used', '8'] },
];

test('a live clip stays live whatever it was re-encoded to', { skip: noFranck }, async () => {
  for (const variant of VARIANTS) {
    const path = join(await scratch(), variant.name);
    await ffmpeg(['-ss', '20', '-t', '5', '-i', FRANCK, ...variant.args, '-an', '-pix_fmt', 'yuv420p', path]);
    const analysis = await analyzeMedia({ kind: 'media', source: { path } }, deps);
    assert.equal(analysis.result.is_real, true, `${variant.name}: ${JSON.stringify(analysis.evidence.signals)}`);
  }
});

test('a photo moved by hand stays an attack at a low bitrate', { skip: noFranck }, async () => {
  const path = join(await scratch(), 'moved-0.5M.mp4');
  await ffmpeg(['-i', await handMovedStill(1), ...VARIANTS[0]!.args, '-an', '-pix_fmt', 'yuv420p', path]);
  const analysis = await analyzeMedia({ kind: 'media', source: { path } }, deps);
  assert.equal(analysis.result.is_real, false, JSON.stringify(analysis.evidence.signals));
});

/** ffmpeg's JPEG scale: -q:v 2 is about quality 95, 12 about quality 60. */
const JPEG_QSCALES = [2, 5, 12];

async function framesAt(clip: string, qscale: number, prefix: string): Promise<string[]> {
  const dir = await scratch();
  await ffmpeg(['-i', clip, '-vf', 'fps=2', '-frames:v', '8', '-q:v', String(qscale), join(dir, `${prefix}-q${qscale}-%02d.jpg`)]);
  return Array.from({ length: 8 }, (_, i) => join(dir, `${prefix}-q${qscale}-${String(i + 1).padStart(2, '0')}.jpg`));
}

test('8 frames keep their verdict when saved as JPEG from quality ~95 down to ~60', { skip: noFranck }, async () => {
  const live = join(await scratch(), 'franck-20s.mp4');
  await ffmpeg(['-ss', '20', '-t', '5', '-i', FRANCK, '-an', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', live]);
  for (const [clip, expected] of [[live, true], [await handMovedStill(1), false]] as const) {
    for (const qscale of JPEG_QSCALES) {
      const frames = await framesAt(clip, qscale, expected ? 'live' : 'moved');
      const analysis = await analyzeMedia({ kind: 'frames', frames: frames.map((path) => ({ path })) }, deps);
      assert.equal(analysis.result.is_real, expected, `q:v ${qscale}: ${JSON.stringify(analysis.evidence.signals)}`);
    }
  }
});

test('a still re-saved as JPEG from quality ~95 down to ~60 gives the same verdict', { skip: noFranck }, async () => {
  const results: LivenessResult[] = [];
  for (const qscale of JPEG_QSCALES) {
    const path = join(await scratch(), `still-q${qscale}.jpg`);
    await ffmpeg(['-ss', '21', '-i', FRANCK, '-frames:v', '1', '-q:v', String(qscale), path]);
    results.push((await analyzeMedia({ kind: 'media', source: { path } }, deps)).result);
  }
  assert.ok(results.every((r) => r.is_real === results[0]!.is_real && r.attack_type === results[0]!.attack_type), JSON.stringify(results));
});

test('file names, containers and metadata are not read as labels: the same frames give the same result', { skip: noFranck }, async () => {
  const dir = await scratch();
  const original = join(dir, 'franck-20s-original.mp4');
  await ffmpeg(['-ss', '20', '-t', '5', '-i', FRANCK, '-an', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', original]);
  // The same video stream, copied into another container, named like an attack, with misleading tags.
  const disguised = join(dir, 'replay-attack-spoof.mkv');
  await ffmpeg(['-i', original, '-c', 'copy', '-metadata', 'title=printed photo attack', '-metadata', 'comment=spoof', '-metadata', 'creation_time=1999-01-01T00:00:00Z', disguised]);
  const renamed = join(dir, 'fake.bin');
  await ffmpeg(['-i', original, '-c', 'copy', '-f', 'mp4', renamed]);
  const results = await Promise.all([original, disguised, renamed].map(async (path) => (await analyzeMedia({ kind: 'media', source: { path } }, deps)).result));
  for (const result of results.slice(1)) assert.deepEqual(result, results[0]);
});
