/**
 * Each API key's requests per minute, counted in fixed one-minute windows. The counts live in the
 * limiter that one app owns (so two apps in one process never share them) and reset on restart.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LivenessError } from '../errors.js';

export interface RateLimiter {
  /** Counts one request for `keyId`; when it is over `perMinute`, says how long until the next window. */
  take(keyId: string, perMinute: number): { readonly allowed: true } | { readonly allowed: false; readonly retryAfterS: number };
}

export function createRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(keyId, perMinute) {
      const time = now();
      const start = time - (time % 60_000);
      const window = windows.get(keyId);
      if (!window || window.start !== start) {
        windows.set(keyId, { start, count: 1 });
        return { allowed: true };
      }
      if (window.count >= perMinute) return { allowed: false, retryAfterS: Math.max(1, Math.ceil((start + 60_000 - time) / 1000)) };
      window.count++;
      return { allowed: true };
    },
  };
}

/** An onRequest hook (after authentication) that answers 429 with Retry-After once a key is over its rate. */
export function createRateLimitHook(limiter: RateLimiter): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async function limitRate(request, reply) {
    const key = request.apiKey;
    if (!key) return;
    const verdict = limiter.take(key.id, key.ratePerMinute);
    if (verdict.allowed) return;
    reply.header('retry-after', String(verdict.retryAfterS));
    throw new LivenessError('rate_limited', `Expected at most ${key.ratePerMinute} requests per minute for API key ${key.id} but received more; retry after ${verdict.retryAfterS} s`);
  };
}
