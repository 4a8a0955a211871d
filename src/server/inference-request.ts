/**
 * The body of `POST /v1/inferences`, checked field by field against the contract
 * (../shared/spec/face-liveness-api.txt) and turned into the core's `AnalysisInput`.
 */
import { describeValue, invalidArgument, LivenessError } from '../errors.js';
import type { AnalysisInput, IngestLimits } from '../ingest/index.js';
import type { RequestSummary } from '../store/index.js';
import { decodeMediaUrl, type RemoteMedia } from './media-url.js';

/** Fetches an http(s) media URL within `maxBytes` (see `fetchMedia`). */
export type MediaFetcher = (remote: RemoteMedia, maxBytes: number) => Promise<ReceivedMedia>;

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
 * Checks the whole body first, then fetches any http(s) URLs in it, one after another, each within
 * what is left of the media limit (frames share it, as in the core's ingest).
 *
 * @example
 * await parseInferenceRequest({ model: 'face-liveness', video_url: 'data:video/mp4;base64,AAAA…' }, limits, fetcher);
 */
export async function parseInferenceRequest(body: unknown, limits: Pick<IngestLimits, 'maxFrames' | 'maxBytes'>, fetchMedia: MediaFetcher): Promise<InferenceRequest> {
  return receiveInferenceRequest(checkInferenceRequest(body, limits), limits.maxBytes, fetchMedia);
}

/** A request body checked field by field, its data: URLs decoded and its http(s) URLs not fetched yet. */
export interface CheckedInferenceRequest {
  readonly field: 'video_url' | 'image_url';
  readonly frames: boolean;
  readonly include: readonly string[];
  readonly items: ReadonlyArray<ReceivedMedia | RemoteMedia>;
  /** The values of the route's own fields (`extraFields`), unchecked. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/**
 * Checks the body without fetching anything. `extraFields` names fields a route accepts beside the
 * contract's (the `async` and `webhook_url` of `POST /v1/inferences`); their values come back in `extra`.
 */
export function checkInferenceRequest(body: unknown, limits: Pick<IngestLimits, 'maxFrames'>, extraFields: readonly string[] = []): CheckedInferenceRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidArgument('a JSON object', 'the request body', body);
  const fields = body as Record<string, unknown>;
  const accepted = [...FIELDS, ...extraFields];
  const unknown = Object.keys(fields).find((key) => !accepted.includes(key));
  if (unknown !== undefined) {
    throw new LivenessError('invalid_argument', `Expected only the fields ${accepted.join(', ')} in the request body but received the field '${unknown}'`);
  }
  checkModel(fields.model);
  const include = parseInclude(fields.include);
  const extra = Object.fromEntries(extraFields.filter((name) => fields[name] !== undefined).map((name) => [name, fields[name]]));

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
    return { field, frames: true, include, items: value.map((url, i) => decodeMediaUrl(url, `image_url[${i}]`)), extra };
  }
  return { field, frames: false, include, items: [decodeMediaUrl(value, field)], extra };
}

/** Fetches the checked request's http(s) URLs (frames share `maxBytes`) and makes the core's input. */
export async function receiveInferenceRequest(checked: CheckedInferenceRequest, maxBytes: number, fetchMedia: MediaFetcher): Promise<InferenceRequest> {
  const received = await receiveAll(checked.items, maxBytes, fetchMedia);
  return toInferenceRequest(checked.field, received, { frames: checked.frames, include: checked.include });
}

/** What is recorded about a checked request before its URLs are fetched: their sizes are not known yet (0). */
export function summarizeChecked(checked: CheckedInferenceRequest): RequestSummary {
  const sources = checked.items.map((item) =>
    'bytes' in item
      ? { scheme: item.scheme, mediaType: item.mediaType, byteLength: item.bytes.byteLength }
      : { scheme: item.url.slice(0, item.url.indexOf(':')).toLowerCase(), mediaType: '', byteLength: 0 },
  );
  return { field: checked.field, frames: checked.frames, sources, include: checked.include };
}

async function receiveAll(items: ReadonlyArray<ReceivedMedia | RemoteMedia>, maxBytes: number, fetchMedia: MediaFetcher): Promise<ReceivedMedia[]> {
  const received: ReceivedMedia[] = [];
  let usedBytes = 0;
  for (const item of items) {
    const media = 'bytes' in item ? item : await fetchMedia(item, maxBytes - usedBytes);
    usedBytes += media.bytes.byteLength;
    received.push(media);
  }
  return received;
}

/** The contract's `model` field: required, and only one model is served. */
export function checkModel(value: unknown): void {
  if (value !== MODEL_NAME_IN_REQUESTS) throw invalidArgument(`'${MODEL_NAME_IN_REQUESTS}'`, 'model', value);
}

/** Our `include` field: what to add to the envelope beyond the contract. */
export function parseInclude(value: unknown): readonly string[] {
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

/** One piece of media as it arrived: from a data: URL, or uploaded as a file. */
export interface ReceivedMedia {
  readonly bytes: Buffer;
  readonly scheme: 'data' | 'upload' | 'http' | 'https';
  /** What the client declared; recorded, never trusted. */
  readonly mediaType: string;
}

/** The core's input and the record's summary for media that arrived in `field`. */
export function toInferenceRequest(
  field: RequestSummary['field'],
  items: readonly ReceivedMedia[],
  { frames, include }: { readonly frames: boolean; readonly include: readonly string[] },
): InferenceRequest {
  const input: AnalysisInput = frames ? { kind: 'frames', frames: items.map(({ bytes }) => ({ bytes })) } : { kind: 'media', source: { bytes: items[0]!.bytes } };
  const sources = items.map(({ scheme, mediaType, bytes }) => ({ scheme, mediaType, byteLength: bytes.byteLength }));
  return { input, includeEvidence: include.includes('evidence'), summary: { field, frames, sources, include } };
}
