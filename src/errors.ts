/**
 * Every error the product can raise, defined once: a stable code, the HTTP status the API maps it
 * to, and the CLI exit code. Messages read the same way everywhere: "expected … but received …".
 */

/** CLI exit codes, documented in `liveness --help`. */
export const EXIT = { live: 0, attack: 1, inconclusive: 2, badInput: 3, internal: 4 } as const;

interface ErrorSpec {
  readonly httpStatus: number;
  readonly exitCode: number;
  readonly description: string;
}

export const ERROR_TABLE = {
  invalid_argument: { httpStatus: 400, exitCode: EXIT.badInput, description: 'An argument or option has the wrong type or value.' },
  file_not_found: { httpStatus: 400, exitCode: EXIT.badInput, description: 'The named file or folder does not exist or cannot be read.' },
  empty_input: { httpStatus: 400, exitCode: EXIT.badInput, description: 'The media is zero bytes long.' },
  too_many_frames: { httpStatus: 400, exitCode: EXIT.badInput, description: 'An array of frames holds more than the 16 accepted.' },
  media_too_large: { httpStatus: 413, exitCode: EXIT.badInput, description: 'The media is larger than the 50 MB limit.' },
  unsupported_media: { httpStatus: 415, exitCode: EXIT.badInput, description: 'The bytes are not a supported video (mp4, mov, avi, webm, mkv) or image (jpg, png, webp).' },
  no_video_stream: { httpStatus: 422, exitCode: EXIT.badInput, description: 'The container holds no video stream (audio only, for example).' },
  dimensions_too_large: { httpStatus: 422, exitCode: EXIT.badInput, description: 'The declared picture size is beyond the decoder limit (a hostile or corrupt header).' },
  undecodable_media: { httpStatus: 422, exitCode: EXIT.badInput, description: 'The media is truncated or corrupt: no frame could be decoded.' },
  decode_timeout: { httpStatus: 422, exitCode: EXIT.badInput, description: 'Decoding took longer than the decode timeout and was stopped.' },
  invalid_manifest: { httpStatus: 400, exitCode: EXIT.badInput, description: 'An evaluation manifest or folder has missing columns, unknown labels or missing files; every bad row is listed.' },
  internal_error: { httpStatus: 500, exitCode: EXIT.internal, description: 'A bug: the analysis failed for a reason that is not the input\'s fault.' },
  unauthorized: { httpStatus: 401, exitCode: EXIT.badInput, description: 'The request has no API key, or its key is unknown or revoked.' },
  not_found: { httpStatus: 404, exitCode: EXIT.badInput, description: 'No such route, inference (for this key) or API key.' },
  unsupported_content_type: { httpStatus: 415, exitCode: EXIT.badInput, description: 'The request body is neither application/json nor multipart/form-data.' },
  url_not_allowed: { httpStatus: 403, exitCode: EXIT.badInput, description: 'A media URL is not http(s), points (or redirects) to a private, loopback, link-local or other non-public address not in LIVENESS_URL_ALLOWLIST, or redirects too often.' },
  url_fetch_failed: { httpStatus: 502, exitCode: EXIT.badInput, description: 'A media URL could not be fetched: its host did not resolve, the connection failed, or it answered with an HTTP error.' },
  url_fetch_timeout: { httpStatus: 504, exitCode: EXIT.badInput, description: 'A media URL did not connect or finish sending within the fetch time limits.' },
  rate_limited: { httpStatus: 429, exitCode: EXIT.badInput, description: 'The API key sent more requests this minute than its rate allows; retry after Retry-After seconds.' },
  server_busy: { httpStatus: 503, exitCode: EXIT.internal, description: 'The analysis queue is full; retry after Retry-After seconds.' },
  not_ready: { httpStatus: 503, exitCode: EXIT.internal, description: 'The server is still loading its models (retry after Retry-After seconds), or runs without the challenge checks a capture session needs.' },
  analysis_interrupted: { httpStatus: 503, exitCode: EXIT.internal, description: 'The server stopped before this accepted inference finished; media is not kept, so submit it again.' },
  invalid_session_token: { httpStatus: 401, exitCode: EXIT.badInput, description: 'A capture session request has no session token, or not the one issued for that session.' },
  session_used: { httpStatus: 409, exitCode: EXIT.badInput, description: 'The session token was already used (tokens are single-use), or its challenge was already revealed.' },
  session_expired: { httpStatus: 410, exitCode: EXIT.badInput, description: 'The capture session expired before its capture was uploaded.' },
  invalid_config: { httpStatus: 500, exitCode: EXIT.badInput, description: 'A server setting (environment variable) has the wrong type or value; the server does not start.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** The one error type the core throws for anything that is not a bug. */
export class LivenessError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LivenessError';
    this.code = code;
    this.httpStatus = ERROR_TABLE[code].httpStatus;
    this.exitCode = ERROR_TABLE[code].exitCode;
  }
}

/** Describes a received value for "expected … but received …" messages, as sharp does. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}' of type string`;
  if (typeof value === 'object') return Array.isArray(value) ? `an array of length ${value.length}` : 'an object';
  return `${String(value)} of type ${typeof value}`;
}

/** Throws `invalid_argument` with the project's message shape. */
export function invalidArgument(expected: string, name: string, received: unknown): LivenessError {
  return new LivenessError('invalid_argument', `Expected ${expected} for ${name} but received ${describeValue(received)}`);
}
