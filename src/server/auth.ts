/**
 * API keys on /v1 requests: `Authorization: Bearer <key>` (RFC 6750 §2.1) or `x-api-key: <key>`.
 * The key is hashed and looked up by its hash; the stored hash is then compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LivenessError } from '../errors.js';
import { hashApiKey, type ApiKey, type ApiKeyStore } from '../store/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's API key; null when the server runs with LIVENESS_AUTH=off. */
    apiKey: ApiKey | null;
  }
}

const WHERE = 'in the Authorization header (Bearer <key>) or the x-api-key header';

/** An onRequest hook that sets `request.apiKey` or answers 401 before the body is read. */
export function createAuthenticator(keys: ApiKeyStore): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async function authenticate(request, reply) {
    // RFC 6750 §3: a 401 names the scheme the client should use.
    reply.header('www-authenticate', 'Bearer realm="liveness"');
    const secret = presentedKey(request);
    const presented = hashApiKey(secret);
    const found = keys.findByHash(presented);
    if (!found || !timingSafeEqual(found.storedSha256, presented)) throw unauthorized(`Expected a valid API key ${WHERE} but received an unknown key`);
    if (found.key.revokedAt) throw unauthorized(`Expected a valid API key ${WHERE} but received a key revoked at ${found.key.revokedAt}`);
    reply.removeHeader('www-authenticate');
    request.apiKey = found.key;
  };
}

function presentedKey(request: FastifyRequest): string {
  const { authorization } = request.headers;
  const apiKeyHeader = request.headers['x-api-key'];
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) throw unauthorized(`Expected 'Bearer <key>' in the Authorization header but received another form`);
    return match[1]!;
  }
  if (typeof apiKeyHeader === 'string' && apiKeyHeader.trim() !== '') return apiKeyHeader.trim();
  if (Array.isArray(apiKeyHeader)) throw unauthorized(`Expected one x-api-key header but received ${apiKeyHeader.length}`);
  throw unauthorized(`Expected an API key ${WHERE} but received none`);
}

function unauthorized(message: string): LivenessError {
  return new LivenessError('unauthorized', message);
}
