import { join } from 'node:path';
import { CHALLENGE_COLOURS, type ColourSequence } from '../../src/challenge/index.js';
import { FRANCK, ffmpeg, scratch } from './media.js';

/**
 * A live clip whose whole picture is tinted in step with `sequence` from `flashStartMs`, as a
 * screen's light would tint a face: the flashed colour's channels gain `strength`, the others lose
 * half of it, `delayMs` late (camera and display latency).
 */
export async function tintedClip(name: string, sequence: ColourSequence | null, options: { flashStartMs: number; delayMs: number; strength: number; startS?: number }): Promise<string> {
  const path = join(await scratch(), name);
  const filters = (sequence?.steps ?? []).map((step) => {
    const [r, g, b] = CHALLENGE_COLOURS[step.colour].map((v) => (v > 0 ? 1 + options.strength : 1 - options.strength / 2));
    const from = (options.flashStartMs + options.delayMs + step.startMs) / 1000;
    const to = from + step.durationMs / 1000;
    return `colorchannelmixer=rr=${r!.toFixed(3)}:gg=${g!.toFixed(3)}:bb=${b!.toFixed(3)}:enable='between(t,${from.toFixed(3)},${to.toFixed(3)})'`;
  });
  const totalS = (options.flashStartMs + (sequence?.totalMs ?? 3000) + 800) / 1000;
  await ffmpeg(['-ss', String(options.startS ?? 10), '-t', totalS.toFixed(2), '-i', FRANCK, '-vf', [...filters, 'format=yuv420p'].join(',') || 'format=yuv420p', '-an', '-c:v', 'libx264', '-crf', '18', path]);
  return path;
}
