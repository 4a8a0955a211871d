import { LivenessError } from '../errors.js';
import { runTool, type ToolPaths } from './ffmpeg.js';

/** What ffprobe says about the video stream of one file. Declared values are never trusted as labels. */
export interface StreamInfo {
  readonly codec: string;
  readonly pixelFormat: string;
  /** Coded size, before rotation. */
  readonly codedWidth: number;
  readonly codedHeight: number;
  /** Clockwise rotation the player applies (0, 90, 180, 270). */
  readonly rotationDeg: number;
  /** Duration in ms when the container or stream declares one. */
  readonly durationMs: number | null;
  /** Average frame rate when declared. */
  readonly fps: number | null;
  readonly declaredFrameCount: number | null;
  readonly formatName: string;
}

interface ProbeJson {
  streams?: Array<Record<string, unknown> & { side_data_list?: Array<Record<string, unknown>>; tags?: Record<string, string> }>;
  format?: Record<string, unknown>;
}

export interface ProbeLimits {
  readonly timeoutMs: number;
  /** Largest accepted width or height, in pixels. */
  readonly maxDimensionPx: number;
  /** Largest accepted width × height. */
  readonly maxPixels: number;
}

export async function probeVideoStream(tools: ToolPaths, path: string, limits: ProbeLimits): Promise<StreamInfo> {
  const run = await runTool(tools, 'ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], {
    timeoutMs: limits.timeoutMs,
    maxStdoutBytes: 4 * 1024 * 1024,
  });
  let json: ProbeJson;
  try {
    json = JSON.parse(run.stdout.toString('utf8')) as ProbeJson;
  } catch {
    json = {};
  }
  if (run.exitCode !== 0 || !json.streams) {
    throw new LivenessError('undecodable_media', `Expected decodable media but the decoder said: ${lastLine(run.stderrTail) || 'no streams found'}`);
  }
  const stream = json.streams.find((s) => s.codec_type === 'video');
  if (!stream) {
    const kinds = json.streams.map((s) => String(s.codec_type)).join(', ') || 'none';
    throw new LivenessError('no_video_stream', `Expected a video stream but the media holds: ${kinds}`);
  }
  const codedWidth = Number(stream.width ?? 0);
  const codedHeight = Number(stream.height ?? 0);
  if (!(codedWidth > 0 && codedHeight > 0)) {
    throw new LivenessError('undecodable_media', 'Expected a picture size in the video stream but it declares none');
  }
  if (codedWidth > limits.maxDimensionPx || codedHeight > limits.maxDimensionPx || codedWidth * codedHeight > limits.maxPixels) {
    throw new LivenessError('dimensions_too_large', dimensionsMessage(codedWidth, codedHeight, limits));
  }
  const duration = firstFinite(stream.duration, json.format?.duration);
  return {
    codec: String(stream.codec_name ?? 'unknown'),
    pixelFormat: String(stream.pix_fmt ?? 'unknown'),
    codedWidth,
    codedHeight,
    rotationDeg: readRotation(stream),
    durationMs: duration === null ? null : duration * 1000,
    fps: parseRate(stream.avg_frame_rate) ?? parseRate(stream.r_frame_rate),
    declaredFrameCount: firstFinite(stream.nb_frames),
    formatName: String(json.format?.format_name ?? 'unknown'),
  };
}

/** ffprobe reports a display matrix rotation (counter-clockwise, negative for clockwise) or a `rotate` tag. */
function readRotation(stream: NonNullable<ProbeJson['streams']>[number]): number {
  const matrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number');
  const degrees = matrix ? -Number(matrix.rotation) : Number(stream.tags?.rotate ?? 0);
  const normalised = ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
  return Number.isFinite(normalised) ? normalised : 0;
}

function parseRate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const [num, den] = value.split('/').map(Number);
  if (num === undefined || den === undefined || !(num > 0) || !(den > 0)) return null;
  const rate = num / den;
  return rate > 0 && rate < 1000 ? rate : null;
}

function firstFinite(...values: unknown[]): number | null {
  for (const value of values) {
    const number = Number(value);
    if (value !== undefined && value !== null && value !== 'N/A' && Number.isFinite(number) && number > 0) return number;
  }
  return null;
}

export function dimensionsMessage(width: number, height: number, limits: ProbeLimits): string {
  return `Expected at most ${limits.maxDimensionPx} px a side and ${(limits.maxPixels / 1e6).toFixed(0)} megapixels but the media declares ${width}x${height}`;
}

export function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
