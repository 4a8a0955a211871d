/**
 * Attack media made from bona fide media, for tests and for fitting: a still photo looped as a
 * video, and a still photo moved by hand in front of the camera (a flat sheet: rotated, shifted,
 * tilted and zoomed, every motion a homography of the picture), both held up in a drawn room
 * (`room.ts`). Seeded and reproducible.
 *
 * Not modelled here: paper texture, halftone, screen moiré, glare, bending — those are the
 * evaluation toolkit's `liveness synth`.
 */
import { LivenessError } from '../errors.js';
import { runTool, type ToolPaths } from '../decode/ffmpeg.js';
import { lastLine } from '../decode/probe.js';
import { withTempDir } from '../util/temp.js';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePng } from '../plot/png.js';
import type { RgbImage } from '../imaging/index.js';
import { renderRoom } from './room.js';

export interface StillAttackOptions {
  /** Seconds into `source` to take the still from (ignored for an image). */
  readonly atS: number;
  readonly durationS: number;
  readonly fps: number;
  /** Output frame size: the room (`room.ts`) the still is held up in, looped or moved. */
  readonly width: number;
  readonly height: number;
  readonly seed: number;
  /** Camera sensor noise added to every frame (ffmpeg `noise` strength, 0–100). */
  readonly noise: number;
  /** Target video bitrate (phone cameras record 1–8 Mbit/s); null encodes at constant quality (CRF 20). */
  readonly bitrateKbps: number | null;
}

export const DEFAULT_STILL_ATTACK: StillAttackOptions = { atS: 1, durationS: 5, fps: 30, width: 640, height: 480, seed: 1, noise: 3, bitrateKbps: null };

/** mulberry32: a small seeded generator, so the same seed gives the same clip. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A still frame shown unmoving to the camera in a room: one picture, looped, with fresh sensor noise per frame. */
export async function makeLoopedStill(tools: ToolPaths, source: string, output: string, options: Partial<StillAttackOptions> = {}): Promise<void> {
  const o = { ...DEFAULT_STILL_ATTACK, ...options };
  const filter = [
    `[0:v]scale=${o.width}:${o.height}:force_original_aspect_ratio=decrease[still]`,
    `[1:v]format=yuv420p[room]`,
    `[room][still]overlay=x=(W-w)/2:y=(H-h)/2:shortest=1,noise=alls=${o.noise}:allf=t,format=yuv420p`,
  ].join(';');
  await withTempDir(async (dir) => {
    const still = await extractStill(tools, source, o.atS, dir);
    await encodeClip(tools, ['-loop', '1', '-framerate', String(o.fps), '-i', still, ...(await roomInput(o, dir)), '-filter_complex', filter], output, o);
  });
}

/** A still photo held by hand in a room: it sways, turns, tilts and comes closer and back, as one plane. */
export async function makeHandMovedStill(tools: ToolPaths, source: string, output: string, options: Partial<StillAttackOptions> = {}): Promise<void> {
  const o = { ...DEFAULT_STILL_ATTACK, ...options };
  await withTempDir(async (dir) => {
    const still = await extractStill(tools, source, o.atS, dir);
    await encodeClip(tools, ['-loop', '1', '-framerate', String(o.fps), '-i', still, ...(await roomInput(o, dir)), '-filter_complex', handMovedFilter(o)], output, o);
  });
}

/** Frames in a raw RGB file (a screen playing a video, say), held by hand in a room and moved as one plane. */
export async function makeHandMovedFrames(tools: ToolPaths, frames: RawFrames, output: string, options: Partial<StillAttackOptions> = {}): Promise<void> {
  const o = { ...DEFAULT_STILL_ATTACK, ...options };
  await withTempDir(async (dir) => {
    await encodeClip(tools, [...rawInput(frames, o.fps), ...(await roomInput(o, dir)), '-filter_complex', handMovedFilter(o)], output, o);
  });
}

/** The room a sheet made with `seed` is held up in (`room.ts`), seeded apart from the hand's motion. */
export function roomFor(seed: number, width = DEFAULT_STILL_ATTACK.width, height = DEFAULT_STILL_ATTACK.height): RgbImage {
  return renderRoom(width, height, seededRandom(seed ^ 0x5eed));
}

/** ffmpeg input 1: the room the sheet is held up in. */
async function roomInput(o: StillAttackOptions, dir: string): Promise<string[]> {
  const room = roomFor(o.seed, o.width, o.height);
  const path = join(dir, 'room.png');
  await writeFile(path, encodePng(room.width, room.height, room.rgb));
  return ['-loop', '1', '-framerate', String(o.fps), '-i', path];
}

/** Frames in a raw RGB file, encoded as they are, with the camera's sensor noise. */
export async function encodeFrames(tools: ToolPaths, frames: RawFrames, output: string, options: Partial<StillAttackOptions> = {}): Promise<void> {
  const o = { ...DEFAULT_STILL_ATTACK, ...options };
  await encodeRawFrames(tools, frames, output, o, '');
}

/**
 * Frames of a screen filmed close up on a stand: the camera's view (`width` × `height`) filled by the
 * screen, and nothing moves but what the screen shows. The lens blurs the sub-pixel stripes (a
 * Gaussian of one stripe's width: a tenth of their contrast is left) before the sensor samples them
 * more coarsely than they are drawn, so what is left of them shows as moiré.
 */
export async function filmScreen(tools: ToolPaths, frames: RawFrames, output: string, options: Partial<StillAttackOptions> = {}): Promise<void> {
  const o = { ...DEFAULT_STILL_ATTACK, ...options };
  await encodeRawFrames(tools, frames, output, o, `gblur=sigma=1,scale=${o.width}:${o.height}:force_original_aspect_ratio=decrease:flags=area,`);
}

/** `frames` through the filters `before` (empty, or ending in a comma), to even dimensions, with sensor noise. */
async function encodeRawFrames(tools: ToolPaths, frames: RawFrames, output: string, o: StillAttackOptions, before: string): Promise<void> {
  await encodeClip(tools, [...rawInput(frames, o.fps), '-vf', `${before}scale=trunc(iw/2)*2:trunc(ih/2)*2,noise=alls=${o.noise}:allf=t,format=yuv420p`], output, o);
}

/** Frames of one size as packed 8-bit RGB, one after another, in a file. */
export interface RawFrames {
  readonly path: string;
  readonly width: number;
  readonly height: number;
}

function rawInput(frames: RawFrames, fps: number): string[] {
  return ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${frames.width}x${frames.height}`, '-framerate', String(fps), '-i', frames.path];
}

/**
 * The filter graph that puts input 0 before the room of input 1 as a sheet held by hand: a common
 * zoom, tilts of each corner (a perspective warp), a turn and a sway, every motion a homography of
 * the picture; the room stays where it is.
 */
function handMovedFilter(o: StillAttackOptions): string {
  const random = seededRandom(o.seed);
  const wave = (amplitude: number, variable: 't' | 'in', periodMin: number, periodMax: number) => {
    const period = (periodMin + random() * (periodMax - periodMin)).toFixed(2);
    const phase = (random() * 2 * Math.PI).toFixed(3);
    return `${(amplitude * (0.6 + 0.4 * random())).toFixed(2)}*sin(2*PI*${variable}/${period}+${phase})`;
  };
  const framesPerS = o.fps;
  // Corner offsets in pixels (perspective filter, frame-indexed): a common zoom plus independent tilts.
  const zoom = `(${wave(0.06 * o.width, 'in', 2 * framesPerS, 4 * framesPerS)})`;
  const corner = (sign: string) => `${sign}${zoom}+${wave(0.03 * o.width, 'in', 1.5 * framesPerS, 3.5 * framesPerS)}`;
  const perspective = [
    `x0='${corner('-')}'`, `y0='${corner('-')}'`, `x1='W+${corner('')}'`, `y1='${corner('-')}'`,
    `x2='${corner('-')}'`, `y2='H+${corner('')}'`, `x3='W+${corner('')}'`, `y3='H+${corner('')}'`, 'eval=frame',
  ].join(':');
  const width = Math.round(o.width * 0.62);
  return [
    `[1:v]format=yuv420p[wall]`,
    `[0:v]scale=${width}:-2,format=yuva420p,pad=iw*1.4:ih*1.4:(ow-iw)/2:(oh-ih)/2:color=black@0,perspective=${perspective},rotate=a='${wave(0.25, 't', 2, 4)}':c=none:ow='hypot(iw,ih)':oh=ow[sheet]`,
    `[wall][sheet]overlay=x='(W-w)/2+${wave(0.1 * o.width, 't', 2, 4)}':y='(H-h)/2+${wave(0.06 * o.height, 't', 2, 4)}':shortest=1,noise=alls=${o.noise}:allf=t,format=yuv420p`,
  ].join(';');
}

/** The still to present: the frame at `atS` of a video, or the image itself. */
export async function extractStill(tools: ToolPaths, source: string, atS: number, dir: string): Promise<string> {
  const still = join(dir, 'still.png');
  for (const seek of [['-ss', String(atS)], []]) {
    const run = await runTool(tools, 'ffmpeg', ['-nostdin', '-v', 'error', '-y', ...seek, '-i', source, '-frames:v', '1', still], {
      timeoutMs: 60_000,
      maxStdoutBytes: 1024,
    });
    if (run.exitCode === 0 && existsSync(still)) return still;
  }
  throw new LivenessError('undecodable_media', `Expected a frame in ${source} but none could be decoded`);
}

async function encodeClip(tools: ToolPaths, args: string[], output: string, o: StillAttackOptions): Promise<void> {
  const run = await runTool(
    tools,
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-y', ...args, '-t', String(o.durationS), '-r', String(o.fps), '-c:v', 'libx264', '-preset', 'veryfast', ...(o.bitrateKbps ? ['-b:v', `${o.bitrateKbps}k`] : ['-crf', '20']), '-pix_fmt', 'yuv420p', output],
    { timeoutMs: 120_000, maxStdoutBytes: 1024 * 1024 },
  );
  if (run.exitCode !== 0) throw new LivenessError('internal_error', `Expected ffmpeg to write ${output} but it said: ${lastLine(run.stderrTail)}`);
}
