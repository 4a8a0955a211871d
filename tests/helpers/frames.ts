import { join } from 'node:path';
import { ffmpeg, scratch } from './media.js';

/** `count` JPEG frames spread over the first seconds of `clip`, as a client would send them. */
export async function extractFrames(clip: string, count: number, prefix: string): Promise<string[]> {
  return extract(clip, count, prefix, [`fps=${count / 4}`]);
}

/**
 * The same frames of franck.mp4 (or another clip shot before a blue screen), with the blue keyed out
 * and SMPTE colour bars put behind the person: the face of the same moments, seen somewhere else.
 */
export async function extractFramesBeforeBars(clip: string, count: number, prefix: string): Promise<string[]> {
  return extract(clip, count, prefix, [`fps=${count / 4}`], ['-f', 'lavfi', '-i', 'smptebars=size=360x288'], '[0:v]chromakey=0x0a4bd8:0.3:0.05[person];[1:v][person]overlay=shortest=1');
}

async function extract(clip: string, count: number, prefix: string, filters: string[], extraInputs: string[] = [], composite?: string): Promise<string[]> {
  const dir = await scratch();
  const graph = composite ? ['-filter_complex', `${composite},${filters.join(',')}`] : ['-vf', filters.join(',')];
  await ffmpeg(['-i', clip, ...extraInputs, ...graph, '-frames:v', String(count), '-q:v', '3', join(dir, `${prefix}-%02d.jpg`)]);
  return Array.from({ length: count }, (_, i) => join(dir, `${prefix}-${String(i + 1).padStart(2, '0')}.jpg`));
}
