/**
 * The body of `POST /v1/inferences`, checked field by field against the contract
 * (../shared/spec/face-liveness-api.txt) and turned into the core's `AnalysisInput`.
 */
import { describeValue, invalidArgument, LivenessError } from '../errors.js';
import type { AnalysisInput, IngestLimits } from '../ingest/index.js';
import type { RequestSummary } from '../store/index.js';
import { decodeMediaUrl, type MediaFromUrl } from './media-url.js';

export const MODEL_NAME_IN_REQUESTS = 'face-liveness';
const FIELDS = ['model', 'video_url', 'image_url', 'include'] as const;
const INCLUDABLE = ['evidence'] as const;

export interface InferenceRequest {
  readonly input: AnalysisInput;
  readonly includeEvidence: boolean;
  /** What is recorded about the request: its shape and sizes, never the media. */
  readonly summary: RequestSummary;
}

/**
 * @example
 * parseInferenceRequest({ model: 'face-liveness', video_url: 'data:video/mp4;base64,AAAA…' }, limits);
 */
export function parseInferenceRequest(body: unknown, limits: Pick<IngestLimits, 'maxFrames'>): InferenceRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidArgument('a JSON object', 'the request body', body);
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    throw new LivenessError('invalid_argument', `Expected only the fields ${FIELDS.join(', ')} in the request body but received the field '${unknown}'`);
  }
  if (fields.model !== MODEL_NAME_IN_REQUESTS) throw invalidArgument(`'${MODEL_NAME_IN_REQUESTS}'`, 'model', fields.model);
  const include = parseInclude(fields.include);

  const hasVideo = fields.video_url !== undefined;
  const hasImage = fields.image_url !== undefined;
  if (hasVideo === hasImage) {
    throw new LivenessError('invalid_argument', `Expected exactly one of video_url or image_url in the request body but received ${hasVideo ? 'both' : 'neither'}`);
  }
  const field = hasVideo ? 'video_url' : 'image_url';
  const value = fields[field];
  if (Array.isArray(value)) {
    if (field === 'video_url') throw invalidArgument('a URL string', 'video_url', value);
    if (value.length === 0) throw invalidArgument('a URL string or an array of 1 to 16 frame URLs', 'image_url', value);
    if (value.length > limits.maxFrames) {
      throw new LivenessError('too_many_frames', `Expected at most ${limits.maxFrames} frame URLs for image_url but received ${value.length}`);
    }
    const frames = value.map((url, i) => decodeMediaUrl(url, `image_url[${i}]`));
    return { input: { kind: 'frames', frames: frames.map(({ bytes }) => ({ bytes })) }, includeEvidence: include.includes('evidence'), summary: summarise(field, true, frames, include) };
  }
  const media = decodeMediaUrl(value, field);
  return { input: { kind: 'media', source: { bytes: media.bytes } }, includeEvidence: include.includes('evidence'), summary: summarise(field, false, [media], include) };
}

function parseInclude(value: unknown): readonly string[] {
  if (value === undefined) return [];
  const expected = `an array of the strings ${INCLUDABLE.map((name) => `'${name}'`).join(', ')}`;
  if (!Array.isArray(value)) throw invalidArgument(expected, 'include', value);
  for (const [i, item] of value.entries()) {
    if (!(INCLUDABLE as readonly unknown[]).includes(item)) {
      throw new LivenessError('invalid_argument', `Expected ${expected} for include but received ${describeValue(item)} at include[${i}]`);
    }
  }
  return value as string[];
}

function summarise(field: RequestSummary['field'], frames: boolean, items: readonly MediaFromUrl[], include: readonly string[]): RequestSummary {
  return { field, frames, sources: items.map(({ scheme, mediaType, bytes }) => ({ scheme, mediaType, byteLength: bytes.byteLength })), include };
}
