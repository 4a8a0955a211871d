import type { Database } from 'better-sqlite3';
import type { ColourSequence, MouthPrompts } from '../challenge/index.js';
import type { ErrorCode } from '../errors.js';
import type { StoredEnvelope } from './inferences.js';

export type SessionChallenge = 'none' | 'colour' | 'mouth';
export type SessionReturn = 'verdict' | 'evidence';
export type SessionStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'expired';

/** A challenge's outcome as stored and reported: snake_case, like the envelope. */
export type StoredChallengeOutcome = StoredColourOutcome | StoredMouthOutcome;

export interface StoredColourOutcome {
  readonly type: 'colour';
  readonly passed: boolean;
  /** When the page began flashing, from the start of its recording. */
  readonly flash_start_ms: number;
  readonly correlation: number;
  readonly lag_ms: number;
  readonly aligned_share: number;
  readonly steps: ReadonlyArray<{ readonly colour: string; readonly frames: number; readonly alignment: number | null }>;
}

export interface StoredMouthOutcome {
  readonly type: 'mouth';
  readonly passed: boolean;
  /** When the page began prompting, from the start of its recording. */
  readonly prompt_start_ms: number;
  /** Pearson correlation of the lip gap with the prompts (open = 1, closed = 0) at that delay. */
  readonly correlation: number;
  /** The reaction delay that fitted best. */
  readonly lag_ms: number;
  /** Median lip gap while the mouth should be closed. */
  readonly rest_level: number;
  /** 90th percentile of that lip gap minus its median: near 0 when the mouth stayed closed. */
  readonly rest_spread: number;
  readonly rest_frames: number;
  /** Per "open your mouth" prompt: its frames and its median lip gap above the resting level. */
  readonly prompts: ReadonlyArray<{ readonly frames: number; readonly rise: number | null }>;
}

/** What the session drew when it was made, kept on the server until the page reveals it once. */
export type DrawnChallenge =
  | { readonly challenge: 'none' }
  | { readonly challenge: 'colour'; readonly sequence: ColourSequence }
  | { readonly challenge: 'mouth'; readonly prompts: MouthPrompts };

/** A capture session as stored: everything but its token, of which only the SHA-256 is kept. */
export type SessionRecord = SessionFields & DrawnChallenge;

interface SessionFields {
  /** `ses_` and 24 lowercase letters or digits. */
  readonly sessionId: string;
  /** The API key that created it; null when the server ran with LIVENESS_AUTH=off. */
  readonly keyId: string | null;
  readonly returnMode: SessionReturn;
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
  create(
    session: DrawnChallenge & {
      readonly sessionId: string;
      readonly keyId: string | null;
      readonly tokenSha256: Buffer;
      readonly returnMode: SessionReturn;
      readonly createdAt: Date;
      readonly expiresAt: Date;
    },
  ): SessionRecord;
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
    create(session) {
      const { sessionId, keyId, tokenSha256, returnMode, createdAt, expiresAt } = session;
      const drawn = session.challenge === 'colour' ? session.sequence : session.challenge === 'mouth' ? session.prompts : null;
      insert.run(sessionId, keyId, tokenSha256, session.challenge, returnMode, drawn ? JSON.stringify(drawn) : null, createdAt.toISOString(), expiresAt.toISOString());
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

/** `sequence_json` holds what the session's challenge drew: a colour sequence or mouth prompts. */
function toDrawn(row: SessionRow): DrawnChallenge {
  if (row.challenge === 'none') return { challenge: 'none' };
  const drawn: unknown = JSON.parse(row.sequence_json!);
  return row.challenge === 'colour' ? { challenge: 'colour', sequence: drawn as ColourSequence } : { challenge: 'mouth', prompts: drawn as MouthPrompts };
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    sessionId: row.session_id,
    keyId: row.key_id,
    ...toDrawn(row),
    returnMode: row.return_mode,
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
