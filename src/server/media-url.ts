/**
 * Media given by URL in a request. For now only `data:` URLs with base64 content (RFC 2397) are
 * accepted; http(s) URLs are answered with `url_fetch_unavailable` until fetching is built.
 * The declared media type is recorded but never trusted: the core recognises media by its bytes.
 */
import { invalidArgument, LivenessError } from '../errors.js';
import type { ReceivedMedia } from './inference-request.js';

/**
 * Decodes the media that `url` (the value of the request field `field`) carries. Its `mediaType`
 * is what the URL declared, `text/plain` when it declared nothing (RFC 2397 §2).
 */
export function decodeMediaUrl(url: unknown, field: string): ReceivedMedia {
  if (typeof url !== 'string') throw invalidArgument('a URL string', field, url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    throw new LivenessError(
      'url_fetch_unavailable',
      `Expected a data: URL (data:<type>;base64,<media>) for ${field} but received an ${scheme}: URL; this server does not fetch media URLs yet`,
    );
  }
  if (scheme !== 'data') throw invalidArgument('a data: URL (data:<type>;base64,<media>)', field, url);
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
