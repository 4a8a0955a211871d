import type { Database } from 'better-sqlite3';
import type { ColourSequence } from '../challenge/index.js';
import type { ErrorCode } from '../errors.js';
import type { StoredEnvelope } from './inferences.js';

export type SessionChallenge = 'none' | 'colour';
export type SessionReturn = 'verdict' | 'evidence';
export type SessionStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'expired';

/** The colour challenge's outcome as stored and reported: snake_case, like the envelope. */
export interface StoredChallengeOutcome {
  readonly type: 'colour';
  readonly passed: boolean;
  /** When the page began flashing, from the start of its recording. */
  readonly flash_start_ms: number;
  readonly correlation: number;
  readonly lag_ms: number;
  readonly aligned_share: number;
  readonly steps: ReadonlyArray<{ readonly colour: string; readonly frames: number; readonly alignment: number | null }>;
}

/** A capture session as stored: everything but its token, of which only the SHA-256 is kept. */
export interface SessionRecord {
  /** `ses_` and 24 lowercase letters or digits. */
  readonly sessionId: string;
  /** The API key that created it; null when the server ran with LIVENESS_AUTH=off. */
  readonly keyId: string | null;
  readonly challenge: SessionChallenge;
  readonly returnMode: SessionReturn;
  /** The colour sequence (colour sessions only), revealed to the page once. */
  readonly sequence: ColourSequence | null;
  readonly revealedAt: string | null;
  /** When the token was spent on a capture. */
  readonly usedAt: string | null;
  readonly inferenceId: string | null;
  readonly envelope: StoredEnvelope | null;
  readonly challengeOutcome: StoredChallengeOutcome | null;
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly completedAt: string | null;
}

export interface SessionStore {
  create(session: {
    readonly sessionId: string;
    readonly keyId: string | null;
    readonly tokenSha256: Buffer;
    readonly challenge: SessionChallenge;
    readonly returnMode: SessionReturn;
    readonly sequence: ColourSequence | null;
    readonly createdAt: Date;
    readonly expiresAt: Date;
  }): SessionRecord;
  /** The session and its stored token hash, for a constant-time comparison. */
  find(sessionId: string): { readonly session: SessionRecord; readonly tokenSha256: Buffer } | null;
  /** Marks the challenge revealed; false when it already was (only one caller ever gets true). */
  markRevealed(sessionId: string, now: Date): boolean;
  /** Spends the token; false when it was already spent (only one caller ever gets true). */
  markUsed(sessionId: string, now: Date): boolean;
  complete(record: {
    readonly sessionId: string;
    readonly inferenceId: string;
    readonly envelope: StoredEnvelope;
    readonly challengeOutcome: StoredChallengeOutcome | null;
    readonly completedAt: Date;
  }): void;
  fail(record: { readonly sessionId: string; readonly inferenceId: string | null; readonly error: { readonly code: ErrorCode; readonly message: string }; readonly completedAt: Date }): void;
  /** Retention: deletes sessions created before `cutoff`; returns how many. */
  deleteCreatedBefore(cutoff: Date): number;
}

interface SessionRow {
  session_id: string;
  key_id: string | null;
  token_sha256: Buffer;
  challenge: SessionChallenge;
  return_mode: SessionReturn;
  sequence_json: string | null;
  revealed_at: string | null;
  used_at: string | null;
  inference_id: string | null;
  envelope_json: string | null;
  challenge_json: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  expires_at: string;
  completed_at: string | null;
}

export function createSessionStore(db: Database): SessionStore {
  const insert = db.prepare(
    'INSERT INTO sessions (session_id, key_id, token_sha256, challenge, return_mode, sequence_json, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE session_id = ?');
  const reveal = db.prepare('UPDATE sessions SET revealed_at = ? WHERE session_id = ? AND revealed_at IS NULL');
  const use = db.prepare('UPDATE sessions SET used_at = ? WHERE session_id = ? AND used_at IS NULL');
  const markCompleted = db.prepare('UPDATE sessions SET inference_id = ?, envelope_json = ?, challenge_json = ?, completed_at = ? WHERE session_id = ?');
  const markFailed = db.prepare('UPDATE sessions SET inference_id = ?, error_code = ?, error_message = ?, completed_at = ? WHERE session_id = ?');
  const deleteBefore = db.prepare('DELETE FROM sessions WHERE created_at < ?');

  return {
    create({ sessionId, keyId, tokenSha256, challenge, returnMode, sequence, createdAt, expiresAt }) {
      insert.run(sessionId, keyId, tokenSha256, challenge, returnMode, sequence ? JSON.stringify(sequence) : null, createdAt.toISOString(), expiresAt.toISOString());
      return toRecord(select.get(sessionId)!);
    },
    find(sessionId) {
      const row = select.get(sessionId);
      return row ? { session: toRecord(row), tokenSha256: row.token_sha256 } : null;
    },
    markRevealed(sessionId, now) {
      return reveal.run(now.toISOString(), sessionId).changes === 1;
    },
    markUsed(sessionId, now) {
      return use.run(now.toISOString(), sessionId).changes === 1;
    },
    complete({ sessionId, inferenceId, envelope, challengeOutcome, completedAt }) {
      markCompleted.run(inferenceId, JSON.stringify(envelope), challengeOutcome ? JSON.stringify(challengeOutcome) : null, completedAt.toISOString(), sessionId);
    },
    fail({ sessionId, inferenceId, error, completedAt }) {
      markFailed.run(inferenceId, error.code, error.message, completedAt.toISOString(), sessionId);
    },
    deleteCreatedBefore(cutoff) {
      return deleteBefore.run(cutoff.toISOString()).changes;
    },
  };
}

/** Where a session stands at `now`: expiry only matters while no capture has been uploaded. */
export function sessionStatus(session: SessionRecord, now: Date): SessionStatus {
  if (session.error) return 'failed';
  if (session.completedAt) return 'completed';
  if (session.usedAt) return 'processing';
  return now.getTime() >= Date.parse(session.expiresAt) ? 'expired' : 'pending';
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    sessionId: row.session_id,
    keyId: row.key_id,
    challenge: row.challenge,
    returnMode: row.return_mode,
    sequence: row.sequence_json === null ? null : (JSON.parse(row.sequence_json) as ColourSequence),
    revealedAt: row.revealed_at,
    usedAt: row.used_at,
    inferenceId: row.inference_id,
    envelope: row.envelope_json === null ? null : (JSON.parse(row.envelope_json) as StoredEnvelope),
    challengeOutcome: row.challenge_json === null ? null : (JSON.parse(row.challenge_json) as StoredChallengeOutcome),
    error: row.error_code === null ? null : { code: row.error_code as ErrorCode, message: row.error_message ?? '' },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    completedAt: row.completed_at,
  };
}
