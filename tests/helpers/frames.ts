import { join } from 'node:path';
import { ffmpeg, scratch } from './media.js';

/** `count` JPEG frames spread over the first seconds of `clip`, as a client would send them. */
export async function extractFrames(clip: string, count: number, prefix: string): Promise<string[]> {
  const dir = await scratch();
  await ffmpeg(['-i', clip, '-vf', `fps=${count / 4}`, '-frames:v', String(count), '-q:v', '3', join(dir, `${prefix}-%02d.jpg`)]);
  return Array.from({ length: count }, (_, i) => join(dir, `${prefix}-${String(i + 1).padStart(2, '0')}.jpg`));
}
