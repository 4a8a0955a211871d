/**
 * A clip that changes person partway through, made from a bona fide video: a photo of someone else,
 * cut around their face with a white paper margin and scaled to the face in the video, is held over
 * the face and moved by hand for one part of the clip — a person who lifts a print of another
 * person's face before the camera, or lowers it. The one-person check (`quality/one-person.ts`) is
 * measured and tested on such clips.
 */
import { LivenessError } from '../errors.js';
import { runTool, type ToolPaths } from '../decode/ffmpeg.js';
import { lastLine } from '../decode/probe.js';

export interface PhotoOverFaceOptions {
  /**
   * The face's box (x, y, width, height) in the video, where the photo is held, in the video's own
   * pixels (found on a frame decoded without the analysis's downscaling).
   */
  readonly videoFace: readonly number[];
  /** The face's box in the photo, in the photo's own pixels. */
  readonly photoFace: readonly number[];
  /** The photo is held up during [fromS, untilS) of the clip. */
  readonly fromS: number;
  readonly untilS: number;
  readonly durationS: number;
}

/** The photo's crop around its face, as a multiple of the face box's longer side. */
const PHOTO_CROP = 1.8;
/** The photo's face is scaled to this multiple of the video's face, so that it covers it. */
const COVER = 1.1;

export async function makePhotoOverFace(tools: ToolPaths, video: string, photo: string, output: string, options: PhotoOverFaceOptions): Promise<void> {
  const [vx, vy, vw, vh] = options.videoFace as [number, number, number, number];
  const [px, py, pw, ph] = options.photoFace as [number, number, number, number];
  const side = Math.round(Math.max(pw, ph) * PHOTO_CROP);
  const zoom = (COVER * Math.max(vw, vh)) / Math.max(pw, ph);
  const sway = Math.round(vw * 0.15);
  // The crop is kept inside the photo (a face near its edge gets a tighter crop on that side).
  const crop = `crop=w='min(${side},iw)':h='min(${side},ih)':x='clip(${px + pw / 2}-ow/2,0,iw-ow)':y='clip(${py + ph / 2}-oh/2,0,ih-oh)'`;
  const filter =
    `[1:v]${crop},scale=w='2*trunc(iw*${zoom.toFixed(4)}/2)':h=-2,pad=iw*1.12:ih*1.12:(ow-iw)/2:(oh-ih)/2:color=white[photo];` +
    `[0:v][photo]overlay=x='${vx + vw / 2}-w/2+${sway}*sin(2*PI*0.6*t)':y='${vy + vh / 2}-h/2+${Math.round(sway / 2)}*sin(2*PI*0.4*t)'` +
    `:enable='between(t,${options.fromS},${options.untilS - 0.001})',format=yuv420p`;
  const run = await runTool(
    tools,
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-y', '-t', String(options.durationS), '-i', video, '-loop', '1', '-i', photo, '-filter_complex', filter, '-t', String(options.durationS), '-an', '-c:v', 'libx264', '-crf', '18', output],
    { timeoutMs: 120_000, maxStdoutBytes: 1024 * 1024 },
  );
  if (run.exitCode !== 0) throw new LivenessError('internal_error', `Expected ffmpeg to write ${output} but it said: ${lastLine(run.stderrTail)}`);
}
