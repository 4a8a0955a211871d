/**
 * How every failure leaves the server: `{"error":{"code","message"}}`, plus `inference_id` when a
 * record exists, with the status from the one error table (src/errors.ts). Bad input is a 4xx with
 * a sharp-style message; only a bug is a 500, and its detail goes to the log, not to the client.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_TABLE, LivenessError, type ErrorCode } from '../errors.js';
import { formatBytes } from '../util/format.js';

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
  readonly inference_id?: string;
}

export function errorBody(error: { readonly code: ErrorCode; readonly message: string }, inferenceId?: string): ErrorBody {
  return { error: { code: error.code, message: error.message }, ...(inferenceId ? { inference_id: inferenceId } : {}) };
}

/** The contract's back-off starts at 4 s (../shared/spec/face-liveness-api.txt, Rate Limiting). */
const RETRY_AFTER_S = '4';

/** Sends `error` with its table status (and Retry-After on a 503); returns the reply for async handlers. */
export function sendError(reply: FastifyReply, error: { readonly code: ErrorCode; readonly message: string }, inferenceId?: string): FastifyReply {
  const status = ERROR_TABLE[error.code].httpStatus;
  if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_S);
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(error, inferenceId));
}

/** Maps anything thrown while handling `request` to a coded error; Fastify's own 4xx keep their meaning. */
export function toApiError(error: unknown, request: FastifyRequest, limits: { readonly bodyLimitBytes: number }): LivenessError {
  if (error instanceof LivenessError) return error;
  const { code, statusCode, message } = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new LivenessError(
        'media_too_large',
        `Expected a request body of at most ${formatBytes(limits.bodyLimitBytes)} (the media limit and 64 KiB for the form; base64 in a data: URL is a third larger than its media, so send large media as an upload or a URL) but received ${describeLength(request)}`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new LivenessError('unsupported_content_type', `Expected Content-Type application/json or multipart/form-data but received ${quoteHeader(request.headers['content-type'])}`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new LivenessError('invalid_argument', 'Expected a JSON object for the request body but received an empty body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new LivenessError('invalid_argument', 'Expected a JSON object for the request body but received text that is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new LivenessError('invalid_argument', 'Expected a request body as long as its Content-Length header but received a different length');
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new LivenessError('invalid_argument', `Expected a valid HTTP request but ${typeof message === 'string' ? message : 'it was refused'}`);
  }
  return codedOrInternal(error);
}

/** A coded error as it is; anything else is an `internal_error` whose details go to the log, not the caller. */
export function codedOrInternal(error: unknown): LivenessError {
  if (error instanceof LivenessError) return error;
  return new LivenessError('internal_error', 'Unexpected failure; the server log has the details', { cause: error });
}

function describeLength(request: FastifyRequest): string {
  const declared = Number(request.headers['content-length']);
  return Number.isFinite(declared) && declared > 0 ? formatBytes(declared) : 'more';
}

function quoteHeader(value: string | undefined): string {
  return value === undefined ? 'none' : `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
}

