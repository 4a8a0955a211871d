/**
 * Media given by URL in a request: a `data:` URL with base64 content (RFC 2397), decoded here, or
 * an http(s) URL, left for `fetchMedia` once the whole body has been checked.
 * The declared media type is recorded but never trusted: the core recognises media by its bytes.
 */
import { invalidArgument, LivenessError } from '../errors.js';
import type { ReceivedMedia } from './inference-request.js';

/** An http(s) URL from the request, not fetched yet. */
export interface RemoteMedia {
  readonly url: string;
  readonly field: string;
}

/**
 * Decodes the media that `url` (the value of the request field `field`) carries, or returns the
 * http(s) URL to fetch. A data: URL's `mediaType` is what it declared, `text/plain` when it
 * declared nothing (RFC 2397 §2).
 */
export function decodeMediaUrl(url: unknown, field: string): ReceivedMedia | RemoteMedia {
  if (typeof url !== 'string') throw invalidArgument('a URL string', field, url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return { url, field };
  if (scheme !== 'data') throw invalidArgument('a data: URL (data:<type>;base64,<media>) or an http(s) URL', field, url);
  const comma = url.indexOf(',');
  const parameters = url.slice('data:'.length, comma === -1 ? url.length : comma).split(';');
  if (comma === -1 || parameters.at(-1)?.trim().toLowerCase() !== 'base64') {
    throw invalidArgument('a data: URL with base64 media (data:<type>;base64,<media>)', field, url);
  }
  const mediaType = (parameters.length > 1 ? parameters[0]!.trim().toLowerCase() : '') || 'text/plain';
  return { bytes: decodeBase64(url.slice(comma + 1), field), scheme: 'data', mediaType };
}

/** Strict base64: Node's decoder skips characters outside the alphabet, so a length check finds them. */
function decodeBase64(text: string, field: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const expectedLength = Math.floor(((text.length - padding) * 3) / 4);
  if (bytes.byteLength !== expectedLength || text.length % 4 === 1) {
    throw new LivenessError('invalid_argument', `Expected base64 media after the comma of the data: URL in ${field} but received characters outside the base64 alphabet`);
  }
  return bytes;
}
