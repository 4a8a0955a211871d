/**
 * A clip that changes person partway through, made from a bona fide video: a photo of someone else,
 * cut around their face with a white paper margin and scaled to the face in the video, is held over
 * the face and moved by hand for one part of the clip — a person who lifts a print of another
 * person's face before the camera, or lowers it. The one-person check (`quality/one-person.ts`) is
 * measured and tested on such clips; `liveness synth --species photo_over_face` makes them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { decodeFrames, type ToolPaths } from '../decode/index.js';
import { runTool } from '../decode/ffmpeg.js';
import { lastLine } from '../decode/probe.js';
import { LivenessError, invalidArgument } from '../errors.js';
import { findFaces, landmarkFaces, type FaceModels } from '../faces/index.js';
import { ingestMedia } from '../ingest/index.js';
import { withTempDir } from '../util/temp.js';
import { extractStill } from './still-attacks.js';

export interface PhotoHold {
  /** The photo is held up during [fromS, untilS) of the clip. */
  readonly fromS: number;
  readonly untilS: number;
  /** The clip's length: the video's first `durationS` seconds. */
  readonly durationS: number;
}

/** The photo's crop around its face, as a multiple of the face box's longer side. */
const PHOTO_CROP = 1.8;
/** The photo's face is scaled to this multiple of the video's face, so that it covers it. */
const COVER = 1.1;

/**
 * `video` with the face of `photoSource` (its frame at 1 s, or the image) held over its face during
 * `hold`. Both faces are found by the product's own face stages, on frames decoded whole so that their
 * boxes are in the media's own pixels, as ffmpeg places the photo.
 */
export async function holdPhotoOverFace(tools: ToolPaths, faceModels: FaceModels, video: string, photoSource: string, output: string, hold: PhotoHold): Promise<void> {
  await withTempDir(async (dir) => {
    if ((await ingestMedia({ kind: 'media', source: { path: video } }, DEFAULT_CONFIG.ingest, dir)).mode !== 'video') {
      throw invalidArgument('a video to hold the photo over (the photo may be a still)', 'source', video);
    }
    // extractStill writes one `still.png` per folder: a folder each for the photo and the video's frame.
    const [photoDir, frameDir] = [join(dir, 'photo'), join(dir, 'frame')];
    for (const folder of [photoDir, frameDir]) mkdirSync(folder);
    const photo = await extractStill(tools, photoSource, 1, photoDir);
    const photoFace = await faceBoxIn(tools, faceModels, photo);
    const videoFace = await faceBoxIn(tools, faceModels, await extractStill(tools, video, (hold.fromS + hold.untilS) / 2, frameDir));
    if (!videoFace || !photoFace) {
      throw new LivenessError('invalid_argument', `Expected a face in ${video} and in ${photoSource} to hold one over the other but ${videoFace ? photoSource : video} has none`);
    }
    await overlay(tools, video, photo, output, videoFace, photoFace, hold);
  });
}

/** The box (x, y, width, height) of the largest face in an image, in its own pixels; null when it has none. */
async function faceBoxIn(tools: ToolPaths, faceModels: FaceModels, image: string): Promise<readonly number[] | null> {
  return withTempDir(async (dir) => {
    const media = await ingestMedia({ kind: 'media', source: { path: image } }, DEFAULT_CONFIG.ingest, dir);
    const [frame] = (await decodeFrames(media, tools, { ...DEFAULT_CONFIG.decode, maxLongSidePx: DEFAULT_CONFIG.decode.maxDimensionPx })).frames;
    if (!frame) return null;
    return landmarkFaces([frame], [findFaces(frame, faceModels, DEFAULT_CONFIG.faces)], faceModels, DEFAULT_CONFIG.faces)[0]!.face?.box ?? null;
  });
}

async function overlay(
  tools: ToolPaths, video: string, photo: string, output: string, videoFace: readonly number[], photoFace: readonly number[], hold: PhotoHold,
): Promise<void> {
  const [vx, vy, vw, vh] = videoFace as [number, number, number, number];
  const [px, py, pw, ph] = photoFace as [number, number, number, number];
  const side = Math.round(Math.max(pw, ph) * PHOTO_CROP);
  const zoom = (COVER * Math.max(vw, vh)) / Math.max(pw, ph);
  const sway = Math.round(vw * 0.15);
  // The crop is kept inside the photo (a face near its edge gets a tighter crop on that side).
  const crop = `crop=w='min(${side},iw)':h='min(${side},ih)':x='clip(${px + pw / 2}-ow/2,0,iw-ow)':y='clip(${py + ph / 2}-oh/2,0,ih-oh)'`;
  const filter =
    `[1:v]${crop},scale=w='2*trunc(iw*${zoom.toFixed(4)}/2)':h=-2,pad=iw*1.12:ih*1.12:(ow-iw)/2:(oh-ih)/2:color=white[photo];` +
    `[0:v][photo]overlay=x='${vx + vw / 2}-w/2+${sway}*sin(2*PI*0.6*t)':y='${vy + vh / 2}-h/2+${Math.round(sway / 2)}*sin(2*PI*0.4*t)'` +
    `:enable='between(t,${hold.fromS},${hold.untilS - 0.001})',format=yuv420p`;
  const run = await runTool(
    tools,
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-y', '-t', String(hold.durationS), '-i', video, '-loop', '1', '-i', photo, '-filter_complex', filter, '-t', String(hold.durationS), '-an', '-c:v', 'libx264', '-crf', '18', output],
    { timeoutMs: 120_000, maxStdoutBytes: 1024 * 1024 },
  );
  if (run.exitCode !== 0) throw new LivenessError('internal_error', `Expected ffmpeg to write ${output} but it said: ${lastLine(run.stderrTail)}`);
}
