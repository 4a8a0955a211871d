/**
 * The one door to the database (SQLite through better-sqlite3): API keys, inference records,
 * capture sessions, webhooks with their delivery attempts, and the server's own secrets.
 * Nothing else imports better-sqlite3. Calls are synchronous and take well under a millisecond,
 * so they run on the request's own turn of the event loop.
 */
import Sqlite from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LivenessError } from '../errors.js';
import { createApiKeyStore, type ApiKeyStore } from './api-keys.js';
import { createInferenceStore, type InferenceStore } from './inferences.js';
import { migrate } from './migrations.js';
import { createServerSecretStore, type ServerSecretStore } from './server-secrets.js';
import { createSessionStore, type SessionStore } from './sessions.js';
import { createWebhookStore, type WebhookStore } from './webhooks.js';

export type { ApiKey, ApiKeyStore } from './api-keys.js';
export type { InferenceRecord, InferenceStatus, InferenceStore, RequestSummary, StoredEnvelope } from './inferences.js';
export { hashApiKey } from './secrets.js';
export type { ServerSecretStore } from './server-secrets.js';
export type { DeliveryAttempt, DeliveryOutcome, WebhookRecord, WebhookStatus, WebhookStore } from './webhooks.js';
export { sessionStatus, type DrawnChallenge, type SessionChallenge, type SessionRecord, type SessionReturn, type SessionStatus, type SessionStore, type StoredChallengeOutcome, type StoredColourOutcome, type StoredMouthOutcome } from './sessions.js';

export const DATABASE_FILE = 'liveness.sqlite';

export interface Store {
  readonly keys: ApiKeyStore;
  readonly inferences: InferenceStore;
  readonly sessions: SessionStore;
  readonly webhooks: WebhookStore;
  readonly serverSecrets: ServerSecretStore;
  /** Where the database file is. */
  readonly path: string;
  close(): void;
}

/**
 * Opens (creating if needed) the database in `dataDir` and brings its schema up to date.
 *
 * @example
 * const store = openStore('./data');
 * const { secret } = store.keys.create({ name: 'ci', ratePerMinute: 60 });
 */
export function openStore(dataDir: string): Store {
  const path = join(dataDir, DATABASE_FILE);
  let db: Sqlite.Database;
  try {
    // 0o700: the folder holds key hashes and results, which are nobody else's business.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    db = new Sqlite(path);
  } catch (error) {
    throw new LivenessError('invalid_config', `Expected a writable data folder but ${dataDir} gave ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      cause: error,
    });
  }
  try {
    // WAL lets the CLI (`liveness keys`) write while the server reads; busy_timeout waits out a lock.
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return {
      keys: createApiKeyStore(db),
      inferences: createInferenceStore(db),
      sessions: createSessionStore(db),
      webhooks: createWebhookStore(db),
      serverSecrets: createServerSecretStore(db),
      path,
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
