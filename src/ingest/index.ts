import { open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LivenessError, invalidArgument } from '../errors.js';
import { SNIFF_BYTES, sniffFormat, type SniffedFormat } from './sniff.js';
import { formatBytes } from '../util/format.js';

export type { ContainerFormat, SniffedFormat } from './sniff.js';

/** Where one piece of media comes from: a file on disk, or bytes in memory (an upload). */
export type MediaSource = { readonly path: string } | { readonly bytes: Uint8Array };

/** What the pipeline analyses: one video or still, or an ordered array of frame images. */
export type AnalysisInput =
  | { readonly kind: 'media'; readonly source: MediaSource }
  | { readonly kind: 'frames'; readonly frames: readonly MediaSource[] };

export type InputMode = 'video' | 'image' | 'frames';

export interface IngestedItem {
  /** A readable file holding the bytes (the caller's own, or one in the analysis' temp folder). */
  readonly path: string;
  readonly format: SniffedFormat;
  readonly byteLength: number;
}

export interface IngestedMedia {
  readonly mode: InputMode;
  readonly items: readonly IngestedItem[];
}

export interface IngestLimits {
  /** Largest accepted media, in bytes (the contract's 50 MB). For frames, the sum of all frames. */
  readonly maxBytes: number;
  /** Most frame images accepted in one array (the contract asks for 8; we take 1–16). */
  readonly maxFrames: number;
}

/**
 * Stage 1: checks size and recognises each item by its bytes, so that nothing is decoded that is
 * not a supported format. Bytes from memory are written to `tempDir` for the decoder to seek in.
 */
export async function ingestMedia(input: AnalysisInput, limits: IngestLimits, tempDir: string): Promise<IngestedMedia> {
  if (input.kind === 'media') {
    const item = await ingestItem(input.source, limits.maxBytes, tempDir, 'media');
    return { mode: item.format.mediaClass === 'video' ? 'video' : 'image', items: [item] };
  }
  const count = input.frames.length;
  if (count === 0) throw invalidArgument('an array of 1 to 16 frame images', 'frames', input.frames);
  if (count > limits.maxFrames) {
    throw new LivenessError('too_many_frames', `Expected at most ${limits.maxFrames} frame images but received ${count}`);
  }
  const items: IngestedItem[] = [];
  let totalBytes = 0;
  for (const [index, source] of input.frames.entries()) {
    const item = await ingestItem(source, limits.maxBytes - totalBytes, tempDir, `frame-${index}`);
    if (item.format.mediaClass !== 'image') {
      throw new LivenessError('unsupported_media', `Expected an image (jpg, png, webp) for frames[${index}] but received a ${item.format.container} video`);
    }
    totalBytes += item.byteLength;
    items.push(item);
  }
  return { mode: 'frames', items };
}

async function ingestItem(source: MediaSource, maxBytes: number, tempDir: string, name: string): Promise<IngestedItem> {
  if ('bytes' in source) {
    const { bytes } = source;
    checkSize(bytes.byteLength, maxBytes);
    const format = recognise(bytes.subarray(0, SNIFF_BYTES));
    const path = join(tempDir, name);
    await writeFile(path, bytes);
    return { path, format, byteLength: bytes.byteLength };
  }
  const { path } = source;
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new LivenessError('file_not_found', `Expected a readable file but ${path} gave ${error.code ?? error.message}`);
  });
  if (!info.isFile()) throw new LivenessError('file_not_found', `Expected a file but ${path} is not a regular file`);
  checkSize(info.size, maxBytes);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return { path, format: recognise(head.subarray(0, bytesRead)), byteLength: info.size };
  } finally {
    await handle.close();
  }
}

function checkSize(byteLength: number, maxBytes: number): void {
  if (byteLength === 0) throw new LivenessError('empty_input', 'Expected media bytes but received an empty file');
  if (byteLength > maxBytes) {
    throw new LivenessError('media_too_large', `Expected at most ${formatBytes(maxBytes)} of media but received ${formatBytes(byteLength)}`);
  }
}

function recognise(head: Uint8Array): SniffedFormat {
  const format = sniffFormat(head);
  if (!format) {
    throw new LivenessError('unsupported_media', 'Expected a video (mp4, mov, avi, webm, mkv) or an image (jpg, png, webp) but the bytes match none of them');
  }
  return format;
}

