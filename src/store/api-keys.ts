import type { Database } from 'better-sqlite3';
import { LivenessError } from '../errors.js';
import { generateApiKey, hashApiKey, newKeyId } from './secrets.js';

/** An API key as stored: everything but the key itself, of which only the SHA-256 is kept. */
export interface ApiKey {
  /** Public id (`key_…`), safe to log and show. */
  readonly id: string;
  readonly name: string;
  /** Requests per minute this key may make. */
  readonly ratePerMinute: number;
  readonly createdAt: string;
  /** When the key was revoked; null while it is valid. */
  readonly revokedAt: string | null;
}

export interface ApiKeyStore {
  /** Creates a key; `secret` is the key itself, to be shown once and never again. */
  create(options: { readonly name: string; readonly ratePerMinute: number; readonly now?: Date }): { readonly key: ApiKey; readonly secret: string };
  /** Every key, revoked ones included, oldest first. */
  list(): ApiKey[];
  /** Revokes a key (once; revoking again keeps the first date). Throws `not_found` for an unknown id. */
  revoke(id: string, now?: Date): ApiKey;
  /** The key whose SHA-256 is `sha256`, with the stored hash for a constant-time comparison. */
  findByHash(sha256: Buffer): { readonly key: ApiKey; readonly storedSha256: Buffer } | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  key_sha256: Buffer;
  rate_per_minute: number;
  created_at: string;
  revoked_at: string | null;
}

export function createApiKeyStore(db: Database): ApiKeyStore {
  const insert = db.prepare('INSERT INTO api_keys (id, name, key_sha256, rate_per_minute, created_at) VALUES (?, ?, ?, ?, ?)');
  const selectAll = db.prepare<[], ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id');
  const selectById = db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?');
  const selectByHash = db.prepare<[Buffer], ApiKeyRow>('SELECT * FROM api_keys WHERE key_sha256 = ?');
  const markRevoked = db.prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?');

  return {
    create({ name, ratePerMinute, now = new Date() }) {
      const secret = generateApiKey();
      const id = newKeyId();
      insert.run(id, name, hashApiKey(secret), ratePerMinute, now.toISOString());
      return { key: toApiKey(selectById.get(id)!), secret };
    },
    list() {
      return selectAll.all().map(toApiKey);
    },
    revoke(id, now = new Date()) {
      if (markRevoked.run(now.toISOString(), id).changes === 0) {
        throw new LivenessError('not_found', `Expected the id of an API key (see \`liveness keys list\`) but received '${id}'`);
      }
      return toApiKey(selectById.get(id)!);
    },
    findByHash(sha256) {
      const row = selectByHash.get(sha256);
      return row ? { key: toApiKey(row), storedSha256: row.key_sha256 } : null;
    },
  };
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return { id: row.id, name: row.name, ratePerMinute: row.rate_per_minute, createdAt: row.created_at, revokedAt: row.revoked_at };
}
