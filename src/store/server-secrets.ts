/**
 * Secrets of this deployment, made from the CSPRNG on first use and kept in the database, so that
 * the server and the CLI (`liveness keys webhook-secret`) derive the same values from them.
 */
import type { Database } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';

export interface ServerSecretStore {
  /** The 32-byte secret called `name`, made now if there is none yet. */
  get(name: string, now?: Date): Buffer;
}

export function createServerSecretStore(db: Database): ServerSecretStore {
  // INSERT OR IGNORE, then read: when the CLI and the server both make one, both read the winner.
  const insert = db.prepare('INSERT OR IGNORE INTO server_secrets (name, secret, created_at) VALUES (?, ?, ?)');
  const select = db.prepare<[string], { secret: Buffer }>('SELECT secret FROM server_secrets WHERE name = ?');
  return {
    get(name, now = new Date()) {
      const found = select.get(name);
      if (found) return found.secret;
      insert.run(name, randomBytes(32), now.toISOString());
      return select.get(name)!.secret;
    },
  };
}
