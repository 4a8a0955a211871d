import { open } from 'node:fs/promises';
import { LivenessError } from '../errors.js';
import type { IngestedItem, IngestedMedia, InputMode } from '../ingest/index.js';
import { orientationFilters, readJpegOrientation } from './exif.js';
import type { ToolPaths } from './ffmpeg.js';
import { runTool } from './ffmpeg.js';
import { declaredImageSize } from './image-header.js';
import { dimensionsMessage, lastLine, probeVideoStream, type StreamInfo } from './probe.js';

export { locateTools, type ToolPaths } from './ffmpeg.js';

/** One decoded picture, upright, 8-bit RGB, downscaled to at most `maxLongSidePx`. */
export interface Frame {
  /** Position among the decoded frames. */
  readonly index: number;
  /** Presentation time from the start of the clip; null for stills and frame arrays. */
  readonly timestampMs: number | null;
  readonly width: number;
  readonly height: number;
  /** width × height × 3 bytes, row-major RGB. */
  readonly rgb: Uint8Array;
}

export interface SourceInfo {
  readonly container: string;
  readonly codec: string;
  readonly pixelFormat: string;
  /** Size as displayed (after rotation), before our downscale. */
  readonly width: number;
  readonly height: number;
  readonly rotationDeg: number;
  readonly durationMs: number | null;
  readonly fps: number | null;
}

export interface DecodedMedia {
  readonly mode: InputMode;
  readonly frames: readonly Frame[];
  /** One entry per ingested item. */
  readonly sources: readonly SourceInfo[];
}

export interface DecodeOptions {
  /** Frames sampled evenly in time over the analysis window of a video. */
  readonly videoFrames: number;
  /** Only the first this-many seconds of a video are analysed. */
  readonly videoWindowS: number;
  /** Frames are downscaled so that their longer side is at most this. */
  readonly maxLongSidePx: number;
  readonly maxDimensionPx: number;
  readonly maxPixels: number;
  /** Each ffmpeg / ffprobe run is killed after this long. */
  readonly timeoutMs: number;
}

/** Pixel formats that carry alpha; their frames are flattened onto mid-grey. */
const ALPHA_FORMATS = /^(rgba|bgra|argb|abgr|ya|yuva|gbrap|rgba64|bgra64|pal8)/;
const FLATTEN_GREY = 128;

/**
 * Stage 2: decodes only the frames the analysis needs — a sample spread over the first seconds
 * of a video, or each still — upright (rotation metadata, EXIF orientation) and downscaled early.
 */
export async function decodeFrames(media: IngestedMedia, tools: ToolPaths, options: DecodeOptions, onFrame?: FrameListener): Promise<DecodedMedia> {
  const frames: Frame[] = [];
  const sources: SourceInfo[] = [];
  for (const item of media.items) {
    const first = frames.length;
    const decoded = await decodeItem(item, media.mode === 'video', tools, options, (pixels) => onFrame?.({ ...pixels, index: first + pixels.index }));
    sources.push(decoded.source);
    for (const frame of decoded.frames) frames.push({ ...frame, index: frames.length });
  }
  return { mode: media.mode, frames, sources };
}

/**
 * Called with each frame's pixels as soon as it is decoded, while the decoder works on the next:
 * the pipeline runs face detection here, on the other core. Timestamps come with the final frames.
 */
export type FrameListener = (frame: Omit<Frame, 'timestampMs'>) => void;

async function decodeItem(item: IngestedItem, isVideo: boolean, tools: ToolPaths, options: DecodeOptions, onFrame: FrameListener): Promise<{ frames: Frame[]; source: SourceInfo }> {
  const head = item.format.mediaClass === 'image' ? await readHead(item.path, 256 * 1024) : null;
  if (head) checkDeclaredSize(declaredImageSize(head, item.format.container), options);
  const stream = await probeVideoStream(tools, item.path, options);
  const orientation = orientationFilters(head && item.format.container === 'jpeg' ? readJpegOrientation(head) : 1);
  const quarterTurn = stream.rotationDeg === 90 || stream.rotationDeg === 270;
  const swaps = quarterTurn !== orientation.swapsAxes;
  const width = swaps ? stream.codedHeight : stream.codedWidth;
  const height = swaps ? stream.codedWidth : stream.codedHeight;
  const scale = Math.min(1, options.maxLongSidePx / Math.max(width, height));
  const outWidth = Math.max(2, Math.round(width * scale));
  const outHeight = Math.max(2, Math.round(height * scale));
  const hasAlpha = ALPHA_FORMATS.test(stream.pixelFormat);
  const channels = hasAlpha ? 4 : 3;

  const maxFrames = isVideo ? options.videoFrames : 1;
  const filters = [...orientation.filters];
  if (isVideo) {
    const windowS = Math.min(stream.durationMs ?? options.videoWindowS * 1000, options.videoWindowS * 1000) / 1000;
    // The window is cut into maxFrames equal slots and the first frame of each slot is kept: chosen by
    // presentation time, not frame number, so variable-frame-rate clips are sampled evenly too.
    const slots = `${maxFrames}/${windowS.toFixed(4)}`;
    filters.push(`select='isnan(prev_selected_t)+gt(floor(t*${slots})\\,floor(prev_selected_t*${slots}))'`);
  }
  filters.push(`scale=${outWidth}:${outHeight}:flags=bilinear`, 'showinfo');

  const frameBytes = outWidth * outHeight * channels;
  const timestampsS: number[] = [];
  const pixelsByFrame: Uint8Array[] = [];
  let partial: Buffer[] = [];
  let partialBytes = 0;
  // A listener that throws must fail this decode, not the process (it runs inside a stream event).
  let listenerError: unknown = null;
  const takeStdout = (chunk: Buffer) => {
    if (listenerError !== null) return;
    partial.push(chunk);
    partialBytes += chunk.length;
    while (partialBytes >= frameBytes) {
      const joined = Buffer.concat(partial);
      const raw = joined.subarray(0, frameBytes);
      const rgb = hasAlpha ? flattenAlpha(raw) : new Uint8Array(raw);
      partial = [joined.subarray(frameBytes)];
      partialBytes -= frameBytes;
      pixelsByFrame.push(rgb);
      try {
        onFrame({ index: pixelsByFrame.length - 1, width: outWidth, height: outHeight, rgb });
      } catch (error) {
        listenerError = error;
        return;
      }
    }
  };
  const run = await runTool(
    tools,
    'ffmpeg',
    [
      '-nostdin', '-hide_banner', '-nostats', '-loglevel', 'info', '-threads', '2',
      ...(isVideo ? ['-t', String(options.videoWindowS)] : []),
      '-i', item.path,
      '-an', '-sn', '-dn', '-vf', filters.join(','), '-vsync', '0', '-frames:v', String(maxFrames),
      '-f', 'rawvideo', '-pix_fmt', hasAlpha ? 'rgba' : 'rgb24', 'pipe:1',
    ],
    {
      timeoutMs: options.timeoutMs,
      maxStdoutBytes: maxFrames * frameBytes,
      onStdout: takeStdout,
      onStderrLine: (line) => {
        const match = line.includes('Parsed_showinfo') ? /pts_time:\s*(-?[\d.]+)/.exec(line) : null;
        if (match?.[1] !== undefined) timestampsS.push(Number(match[1]));
      },
    },
  );
  if (listenerError !== null) throw listenerError;
  if (pixelsByFrame.length === 0) {
    throw new LivenessError('undecodable_media', `Expected at least one decodable frame but the decoder said: ${lastLine(run.stderrTail) || `exit code ${run.exitCode}`}`);
  }
  const firstS = timestampsS[0] ?? 0;
  const frames = pixelsByFrame.map((rgb, i): Frame => {
    const timestampS = timestampsS[i];
    return {
      index: i,
      timestampMs: isVideo && timestampS !== undefined ? Math.round((timestampS - firstS) * 1000) : null,
      width: outWidth,
      height: outHeight,
      rgb,
    };
  });
  return { frames, source: describeSource(item, stream, width, height) };
}

function checkDeclaredSize(size: { width: number; height: number } | null, limits: DecodeOptions): void {
  if (!size) return;
  const { width, height } = size;
  if (width > limits.maxDimensionPx || height > limits.maxDimensionPx || width * height > limits.maxPixels) {
    throw new LivenessError('dimensions_too_large', dimensionsMessage(width, height, limits));
  }
}

function describeSource(item: IngestedItem, stream: StreamInfo, width: number, height: number): SourceInfo {
  return {
    container: item.format.container,
    codec: stream.codec,
    pixelFormat: stream.pixelFormat,
    width,
    height,
    rotationDeg: stream.rotationDeg,
    durationMs: stream.durationMs === null ? null : Math.round(stream.durationMs),
    fps: stream.fps === null ? null : Math.round(stream.fps * 100) / 100,
  };
}

function flattenAlpha(rgba: Uint8Array): Uint8Array {
  const pixels = rgba.length / 4;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const alpha = rgba[p * 4 + 3]! / 255;
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(rgba[p * 4 + c]! * alpha + FLATTEN_GREY * (1 - alpha));
  }
  return rgb;
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
