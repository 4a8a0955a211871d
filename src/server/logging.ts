/**
 * The server's structured JSON log (pino, through Fastify): one line per request with its id, and
 * nothing a reader of the log could use to act as a caller. API keys travel in headers, which are
 * never logged (and redacted should a serializer add them); URL credentials (`user:pass@`) and
 * query values named like secrets (token, key, signature, …) are masked wherever a URL is logged.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';

/** Query parameters whose values are masked in logged URLs. */
const SECRET_PARAMETER = /^(token|session_token|key|api_?key|access_token|signature|sig|secret|password|auth)$/i;
/** An incoming X-Request-Id is kept (to follow a request through a proxy) when it looks like an id. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const MASK = '***';

/** `text` with URL credentials and secret-looking query values masked. */
export function redactUrls(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi, `$1${MASK}@`)
    .replace(/([?&])([^=&#\s"']+)=([^&#\s"']*)/g, (whole, separator: string, name: string) => (SECRET_PARAMETER.test(name) ? `${separator}${name}=${MASK}` : whole));
}

interface LoggedRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly ip?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Fastify's logger settings: JSON lines at `level`, request ids, redaction. */
export function loggerOptions(level = 'info'): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'requestIdHeader'> {
  return {
    logger: {
      level,
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'req.headers["x-session-token"]', 'headers.authorization', 'headers["x-api-key"]'],
        censor: MASK,
      },
      serializers: {
        req: (request: LoggedRequest) => ({
          id: request.id,
          method: request.method,
          url: redactUrls(request.url),
          remoteAddress: request.ip,
          userAgent: request.headers['user-agent'],
        }),
        err: (error: Error & { code?: string; statusCode?: number }) => ({
          type: error.name,
          code: error.code,
          message: redactUrls(error.message),
          stack: redactUrls(error.stack ?? ''),
        }),
      },
    },
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  };
}
