/**
 * The database schema as numbered migrations, applied in order inside one transaction each; the
 * database's `user_version` holds the last one applied. Never edit a released migration: add one.
 */
import type { Database } from 'better-sqlite3';
import { LivenessError } from '../errors.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'api keys and inference records',
    sql: `
      CREATE TABLE api_keys (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        key_sha256      BLOB NOT NULL UNIQUE,
        rate_per_minute INTEGER NOT NULL CHECK (rate_per_minute > 0),
        created_at      TEXT NOT NULL,
        revoked_at      TEXT
      ) STRICT;

      -- Never media: the request's shape and sizes, the contract response, the evidence, timings.
      CREATE TABLE inferences (
        inference_id  TEXT PRIMARY KEY,
        key_id        TEXT REFERENCES api_keys (id),
        status        TEXT NOT NULL CHECK (status IN ('processing', 'completed', 'failed')),
        request_json  TEXT NOT NULL,
        envelope_json TEXT,
        evidence_json TEXT,
        error_code    TEXT,
        error_message TEXT,
        timings_json  TEXT,
        created_at    TEXT NOT NULL,
        completed_at  TEXT
      ) STRICT;

      CREATE INDEX inferences_by_created_at ON inferences (created_at);
    `,
  },
  {
    version: 2,
    name: 'capture sessions',
    sql: `
      -- A browser capture made for an integrator: only the token's SHA-256, the colour sequence
      -- (secret until revealed), the outcome. No foreign key to inferences: retention deletes those.
      CREATE TABLE sessions (
        session_id     TEXT PRIMARY KEY,
        key_id         TEXT REFERENCES api_keys (id),
        token_sha256   BLOB NOT NULL UNIQUE,
        challenge      TEXT NOT NULL CHECK (challenge IN ('none', 'colour')),
        return_mode    TEXT NOT NULL CHECK (return_mode IN ('verdict', 'evidence')),
        sequence_json  TEXT,
        revealed_at    TEXT,
        used_at        TEXT,
        inference_id   TEXT,
        envelope_json  TEXT,
        challenge_json TEXT,
        error_code     TEXT,
        error_message  TEXT,
        created_at     TEXT NOT NULL,
        expires_at     TEXT NOT NULL,
        completed_at   TEXT
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'asynchronous inferences and their webhooks',
    sql: `
      -- SQLite cannot change a CHECK constraint in place: the table is rebuilt with 'queued'
      -- allowed (https://www.sqlite.org/lang_altertable.html#otheralter). Nothing references it yet.
      CREATE TABLE inferences_v3 (
        inference_id  TEXT PRIMARY KEY,
        key_id        TEXT REFERENCES api_keys (id),
        status        TEXT NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed')),
        request_json  TEXT NOT NULL,
        envelope_json TEXT,
        evidence_json TEXT,
        error_code    TEXT,
        error_message TEXT,
        timings_json  TEXT,
        created_at    TEXT NOT NULL,
        completed_at  TEXT
      ) STRICT;
      INSERT INTO inferences_v3 SELECT inference_id, key_id, status, request_json, envelope_json, evidence_json, error_code, error_message, timings_json, created_at, completed_at FROM inferences;
      DROP TABLE inferences;
      ALTER TABLE inferences_v3 RENAME TO inferences;
      CREATE INDEX inferences_by_created_at ON inferences (created_at);
      CREATE INDEX inferences_unfinished ON inferences (status) WHERE status IN ('queued', 'processing');

      -- Secrets this server derives others from (the webhook signing secrets), made on first use.
      CREATE TABLE server_secrets (
        name       TEXT PRIMARY KEY,
        secret     BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      -- One row per inference submitted with a webhook_url. next_attempt_at is set once the
      -- inference has finished and while a delivery is due, so a restart picks up what is pending.
      CREATE TABLE webhooks (
        inference_id    TEXT PRIMARY KEY REFERENCES inferences (inference_id) ON DELETE CASCADE,
        url             TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        created_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX webhooks_due ON webhooks (next_attempt_at) WHERE status = 'pending';

      -- Every delivery attempt, kept with its inference (retention deletes both).
      CREATE TABLE webhook_deliveries (
        inference_id    TEXT NOT NULL REFERENCES webhooks (inference_id) ON DELETE CASCADE,
        attempt         INTEGER NOT NULL CHECK (attempt > 0),
        url             TEXT NOT NULL,
        started_at      TEXT NOT NULL,
        duration_ms     INTEGER NOT NULL,
        http_status     INTEGER,
        error           TEXT,
        outcome         TEXT NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed')),
        next_attempt_at TEXT,
        PRIMARY KEY (inference_id, attempt)
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'mouth challenge sessions',
    sql: `
      -- The CHECK on challenge gains 'mouth', so the table is rebuilt as in migration 3. sequence_json
      -- now holds whatever the challenge drew: a colour sequence or mouth prompts.
      CREATE TABLE sessions_v4 (
        session_id     TEXT PRIMARY KEY,
        key_id         TEXT REFERENCES api_keys (id),
        token_sha256   BLOB NOT NULL UNIQUE,
        challenge      TEXT NOT NULL CHECK (challenge IN ('none', 'colour', 'mouth')),
        return_mode    TEXT NOT NULL CHECK (return_mode IN ('verdict', 'evidence')),
        sequence_json  TEXT,
        revealed_at    TEXT,
        used_at        TEXT,
        inference_id   TEXT,
        envelope_json  TEXT,
        challenge_json TEXT,
        error_code     TEXT,
        error_message  TEXT,
        created_at     TEXT NOT NULL,
        expires_at     TEXT NOT NULL,
        completed_at   TEXT
      ) STRICT;
      INSERT INTO sessions_v4 SELECT session_id, key_id, token_sha256, challenge, return_mode, sequence_json, revealed_at, used_at, inference_id, envelope_json, challenge_json, error_code, error_message, created_at, expires_at, completed_at FROM sessions;
      DROP TABLE sessions;
      ALTER TABLE sessions_v4 RENAME TO sessions;
    `,
  },
]);

/** Brings the database up to the latest schema; returns the version it is now at. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new LivenessError('invalid_config', `Expected a database at schema version ${latest} or older but ${db.name} is at version ${current} (written by a newer liveness)`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return Math.max(current, latest);
}
