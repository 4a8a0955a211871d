/**
 * The verdict must not hinge on how a clip was encoded: re-encoding a live clip (codec, bitrate,
 * resolution, frame rate) must never flip `is_real`, nor may it turn a moved photo into a live face.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { loadDeps, type Deps } from '../../src/deps.js';
import { analyzeMedia } from '../../src/pipeline/index.js';
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
