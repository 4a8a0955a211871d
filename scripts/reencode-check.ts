/**
 * Whether a clip keeps its verdict when it is re-encoded or cut short: each bench video (the live
 * ones and franck.mp4, and the bench's replay attacks) is analysed as it is, after five re-encodings
 * from H.264 480p at 0.5 Mbit/s to 1080p at 8 Mbit/s and VP9 720p, and cut to its first 4.5, 3 and
 * 2 s (H.264 at near-lossless quality), and every change of `is_real` is printed with the
 * probabilities. `tests/pipeline/stability.test.ts` asserts the same for franck.mp4 alone; this runs
 * it over the bench, where some clips sit close to the threshold.
 *
 *   node dist/scripts/reencode-check.js [--bench ../shared/bench] [--keep DIR]
 *
 * A re-encoding covers the analysed window only (the first 6 s and one more), so that a long clip at
 * 8 Mbit/s stays under the upload limit. The re-encoded files are bench-derived: they go to a
 * temporary folder, or to DIR with `--keep`.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { runTool } from '../src/decode/ffmpeg.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { loadDeps } from '../src/deps.js';
import { transformValue } from '../src/fusion/model.js';
import { quantile } from '../src/math/stats.js';
import { analyzeMedia, type Analysis } from '../src/pipeline/index.js';
import { withTempDir } from '../src/util/temp.js';
import { loadBench } from './dev-set.js';

/** Codec, bitrate, size and frame rate, and length: the range the verdict must not depend on. */
const SETTINGS: ReadonlyArray<{ name: string; ext: string; args: readonly string[]; seconds?: number }> = [
  { name: 'h264-480p-0.5M-15fps', ext: 'mp4', args: ['-c:v', 'libx264', '-b:v', '500k', '-vf', 'scale=-2:480', '-r', '15'] },
  { name: 'h264-480p-1M-15fps', ext: 'mp4', args: ['-c:v', 'libx264', '-b:v', '1M', '-vf', 'scale=-2:480', '-r', '15'] },
  { name: 'h264-720p-2M-30fps', ext: 'mp4', args: ['-c:v', 'libx264', '-b:v', '2M', '-vf', 'scale=-2:720', '-r', '30'] },
  { name: 'h264-1080p-8M-30fps', ext: 'mp4', args: ['-c:v', 'libx264', '-b:v', '8M', '-vf', 'scale=-2:1080', '-r', '30', '-preset', 'ultrafast'] },
  { name: 'vp9-720p-1M-24fps', ext: 'webm', args: ['-c:v', 'libvpx-vp9', '-b:v', '1M', '-vf', 'scale=-2:720', '-r', '24', '-deadline', 'realtime', '-cpu-used', '8'] },
  ...[4.5, 3, 2].map((seconds) => ({ name: `first-${seconds}s`, ext: 'mp4', args: ['-c:v', 'libx264', '-crf', '16', '-preset', 'fast'], seconds })),
];
const { values } = parseArgs({ options: { bench: { type: 'string', default: '../shared/bench' }, keep: { type: 'string' } } });
const deps = await loadDeps();
const { items } = await loadBench(values.bench!);
const clips = items.flatMap((item) =>
  item.kind === 'video' && item.input.kind === 'media' && 'path' in item.input.source ? [{ id: item.id, subject: item.subject, live: item.label === 'live', path: item.input.source.path }] : [],
);

/** The verdict in a few words: `live 0.784`, `attack 0.526` or `inconclusive too_dark`. */
function verdictOf(analysis: Analysis | Error): { decided: boolean; live: boolean; text: string } {
  if (analysis instanceof Error) return { decided: false, live: false, text: `error ${analysis.message}` };
  if (analysis.inconclusive) return { decided: false, live: false, text: `inconclusive ${analysis.inconclusive.code}` };
  const { is_real: live, real_probability: p } = analysis.result;
  return { decided: true, live, text: `${live ? 'live' : 'attack'} ${p.toFixed(3)}` };
}

/** Seconds of each clip to re-encode: the sampled window and a second to spare. */
const SECONDS = DEFAULT_CONFIG.decode.videoWindowS + 1;

async function run(dir: string): Promise<void> {
  const originals = new Map<string, Analysis | Error>();
  for (const clip of clips) originals.set(clip.id, await analyzeMedia({ kind: 'media', source: { path: clip.path } }, deps).catch((error: Error) => error));
  const flips = { live: 0, attack: 0 };
  for (const setting of SETTINGS) {
    const shifts: number[] = [];
    let decided = 0;
    for (const [n, clip] of clips.entries()) {
      const output = join(dir, `${String(n).padStart(2, '0')}-${basename(clip.id).replace(/\W+/g, '_')}-${setting.name}.${setting.ext}`);
      const seconds = String(setting.seconds ?? SECONDS);
      const encoded = await runTool(deps.tools, 'ffmpeg', ['-nostdin', '-v', 'error', '-y', '-t', seconds, '-i', clip.path, ...setting.args, '-an', '-pix_fmt', 'yuv420p', output], { timeoutMs: 300_000, maxStdoutBytes: 1 << 20 });
      if (encoded.exitCode !== 0) throw new Error(`ffmpeg ${setting.name} ${clip.id}: ${encoded.stderrTail}`);
      const original = originals.get(clip.id)!;
      const analysis = await analyzeMedia({ kind: 'media', source: { path: output } }, deps).catch((error: Error) => error);
      const before = verdictOf(original);
      const after = verdictOf(analysis);
      if (original instanceof Error || analysis instanceof Error || !before.decided || !after.decided) {
        if (before.text !== after.text) console.log(`  ${setting.name} ${clip.id}: ${before.text} -> ${after.text}`);
        continue;
      }
      decided++;
      if (clip.live) shifts.push(transformValue(analysis.result.real_probability, 'logit') - transformValue(original.result.real_probability, 'logit'));
      if (before.live !== after.live) {
        flips[clip.live ? 'live' : 'attack']++;
        console.log(`  FLIP ${setting.name} ${clip.live ? 'bona fide' : 'attack'} ${clip.id} (${clip.subject}): ${before.text} -> ${after.text}`);
      }
    }
    console.log(`${setting.name}: ${decided} of ${clips.length} clips decided before and after; bona fide logit change mean ${(shifts.reduce((a, b) => a + b, 0) / Math.max(1, shifts.length)).toFixed(2)}, 5th percentile ${quantile(shifts, 0.05).toFixed(2)}, min ${Math.min(...shifts).toFixed(2)}`);
  }
  const live = clips.filter((c) => c.live).length;
  console.log(`\nverdict flips over ${SETTINGS.length} settings: ${flips.live} of ${SETTINGS.length * live} bona fide, ${flips.attack} of ${SETTINGS.length * (clips.length - live)} attack; as they are:`);
  for (const clip of clips) console.log(`  ${clip.subject} ${clip.id}: ${verdictOf(originals.get(clip.id)!).text}`);
}

if (values.keep) {
  mkdirSync(values.keep, { recursive: true });
  await run(values.keep);
} else {
  await withTempDir(run);
}
