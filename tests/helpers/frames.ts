import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpeg, scratch } from './media.js';

/** `count` JPEG frames spread over the first seconds of `clip`, as a client would send them. */
export async function extractFrames(clip: string, count: number, prefix: string): Promise<string[]> {
  return extract(clip, count, prefix);
}

/**
 * The same frames of franck.mp4 (or another clip shot before a blue screen), with the blue keyed out
 * and SMPTE colour bars put behind the person: the face of the same moments, seen somewhere else.
 */
export async function extractFramesBeforeBars(clip: string, count: number, prefix: string): Promise<string[]> {
  return extract(clip, count, prefix, ['-f', 'lavfi', '-i', 'smptebars=size=360x288'], '[0:v]chromakey=0x0a4bd8:0.3:0.05[person];[1:v][person]overlay=shortest=1');
}

/** A slideshow: the images in order, `secondsEach` apiece, as an H.264 clip at 30 fps. */
export async function slideshow(images: readonly string[], name: string, secondsEach = 0.7): Promise<string> {
  const dir = await scratch();
  const list = join(dir, `${name}.txt`);
  // The concat demuxer's list: each image and how long it shows; the last is repeated for its duration to count.
  await writeFile(list, [...images, images[images.length - 1]!].map((image, i) => `file '${image}'${i < images.length ? `\nduration ${secondsEach}` : ''}`).join('\n'));
  const path = join(dir, `${name}.mp4`);
  await ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-vf', 'fps=30,format=yuv420p', '-c:v', 'libx264', path]);
  return path;
}

/** `count` frames over the clip's first 4 s; `composite`, a filter graph over the clip and `extraInputs`, is applied first. */
async function extract(clip: string, count: number, prefix: string, extraInputs: string[] = [], composite?: string): Promise<string[]> {
  const dir = await scratch();
  const spacing = `fps=${count / 4}`;
  const graph = composite ? ['-filter_complex', `${composite},${spacing}`] : ['-vf', spacing];
  await ffmpeg(['-i', clip, ...extraInputs, ...graph, '-frames:v', String(count), '-q:v', '3', join(dir, `${prefix}-%02d.jpg`)]);
  return Array.from({ length: count }, (_, i) => join(dir, `${prefix}-${String(i + 1).padStart(2, '0')}.jpg`));
}
