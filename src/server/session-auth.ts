/**
 * A capture session's browser requests carry `Authorization: Session <token>`, never the API key:
 * the token is made for one session, shown once to the integrator's back end, and only its
 * SHA-256 is stored. The stored hash is compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LivenessError } from '../errors.js';
import { hashApiKey, type SessionRecord, type SessionStore } from '../store/index.js';

/** The session named by `sessionId` when the request carries its token; `invalid_session_token` otherwise. */
export function authenticateSession(request: FastifyRequest, sessions: SessionStore, sessionId: string): SessionRecord {
  const match = /^Session +(\S+) *$/i.exec(request.headers.authorization ?? '');
  if (!match) {
    const received = request.headers.authorization === undefined ? 'no Authorization header' : 'another form';
    throw new LivenessError('invalid_session_token', `Expected 'Session <token>' in the Authorization header but received ${received}`);
  }
  const presented = hashApiKey(match[1]!);
  const found = sessions.find(sessionId);
  // A missing session and a wrong token read the same, so session ids cannot be probed.
  if (!found || !timingSafeEqual(found.tokenSha256, presented)) {
    throw new LivenessError('invalid_session_token', `Expected the token issued for session '${sessionId.slice(0, 60)}' but received another token`);
  }
  return found.session;
}

/** Refuses a spent token (409) or an expired session (410). */
export function checkSessionOpen(session: SessionRecord, now: Date): void {
  if (session.usedAt) {
    throw new LivenessError('session_used', `Expected an unused session token but received one spent on a capture at ${session.usedAt}`);
  }
  if (now.getTime() >= Date.parse(session.expiresAt)) {
    throw new LivenessError('session_expired', `Expected a session open until its expiry but received one that expired at ${session.expiresAt}`);
  }
}
