import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Sqlite from 'better-sqlite3';
import { DATABASE_FILE, hashApiKey, openStore, type RequestSummary, type Store } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { randomString } from '../../src/store/secrets.js';

let dataDir: string;
let store: Store;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-store-'));
  store = openStore(dataDir);
});
after(async () => {
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

const REQUEST: RequestSummary = { field: 'video_url', frames: false, sources: [{ scheme: 'data', mediaType: 'video/mp4', byteLength: 1234 }], include: [] };

test('migrations are numbered 1, 2, … and the database records the last one applied', () => {
  assert.deepEqual(
    MIGRATIONS.map((m) => m.version),
    MIGRATIONS.map((_, i) => i + 1),
  );
  const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  } finally {
    db.close();
  }
});

test('reopening an up-to-date database applies nothing and keeps the data', () => {
  const { key } = store.keys.create({ name: 'reopen', ratePerMinute: 5 });
  const again = openStore(dataDir);
  try {
    assert.ok(again.keys.list().some((k) => k.id === key.id));
  } finally {
    again.close();
  }
});

test('a database written by a newer version is refused with a clear message', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'liveness-store-newer-'));
  try {
    const db = new Sqlite(join(dir, DATABASE_FILE));
    db.pragma('user_version = 999');
    db.close();
    assert.throws(() => openStore(dir), { code: 'invalid_config', message: /^Expected a database at schema version \d+ or older but .* is at version 999/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a data folder that cannot be created is an invalid_config error naming it', async () => {
  const file = join(dataDir, 'not-a-folder');
  await writeFile(file, 'x');
  assert.throws(() => openStore(join(file, 'db')), { code: 'invalid_config', message: /^Expected a writable data folder but .*not-a-folder\/db gave ENOTDIR$/ });
});

test('keys: created with lk_ and 32 base-62 characters, stored only as a SHA-256, listed and revoked', async () => {
  const now = new Date('2026-01-02T03:04:05.000Z');
  const { key, secret } = store.keys.create({ name: 'mobile app', ratePerMinute: 120, now });
  assert.match(secret, /^lk_[0-9A-Za-z]{32}$/);
  assert.match(key.id, /^key_[a-z0-9]{12}$/);
  assert.deepEqual(key, { id: key.id, name: 'mobile app', ratePerMinute: 120, createdAt: now.toISOString(), revokedAt: null });

  const found = store.keys.findByHash(hashApiKey(secret));
  assert.equal(found?.key.id, key.id);
  assert.deepEqual(found?.storedSha256, hashApiKey(secret));
  assert.equal(store.keys.findByHash(hashApiKey(`${secret}x`)), null);

  // Only the hash is on disk: the key's text appears nowhere in the database or its WAL.
  for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`]) {
    const bytes = await readFile(join(dataDir, name)).catch(() => Buffer.alloc(0));
    assert.equal(bytes.includes(secret), false, name);
  }

  assert.ok(store.keys.list().some((k) => k.id === key.id && k.revokedAt === null));
  const revoked = store.keys.revoke(key.id, new Date('2026-02-01T00:00:00.000Z'));
  assert.equal(revoked.revokedAt, '2026-02-01T00:00:00.000Z');
  assert.equal(store.keys.revoke(key.id).revokedAt, '2026-02-01T00:00:00.000Z', 'revoking again keeps the first date');
  assert.equal(store.keys.findByHash(hashApiKey(secret))?.key.revokedAt, '2026-02-01T00:00:00.000Z');
  assert.throws(() => store.keys.revoke('key_nope'), { code: 'not_found', message: "Expected the id of an API key (see `liveness keys list`) but received 'key_nope'" });
});

test('random strings use every character of the alphabet about equally', () => {
  const counts = new Map<string, number>();
  for (const char of randomString('abc', 30_000)) counts.set(char, (counts.get(char) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort(), ['a', 'b', 'c']);
  for (const count of counts.values()) assert.ok(Math.abs(count - 10_000) < 500, String(count));
});

test('inference records: begin, complete, fail, find; unknown ids are null', () => {
  const createdAt = new Date('2026-03-01T10:00:00.000Z');
  store.inferences.begin({ inferenceId: 'inf_a', keyId: null, request: REQUEST, createdAt });
  const processing = store.inferences.find('inf_a');
  assert.equal(processing?.status, 'processing');
  assert.deepEqual(processing?.request, REQUEST);
  assert.equal(processing?.envelope, null);

  store.inferences.fail({ inferenceId: 'inf_a', error: { code: 'unsupported_media', message: 'Expected a video' }, completedAt: new Date('2026-03-01T10:00:01.000Z') });
  const failed = store.inferences.find('inf_a');
  assert.equal(failed?.status, 'failed');
  assert.deepEqual(failed?.error, { code: 'unsupported_media', message: 'Expected a video' });
  assert.equal(failed?.completedAt, '2026-03-01T10:00:01.000Z');
  assert.equal(store.inferences.find('inf_missing'), null);
});

test('retention deletes records created before the cutoff; abandoned records are failed at start-up', () => {
  const at = (iso: string) => new Date(iso);
  store.inferences.begin({ inferenceId: 'inf_old', keyId: null, request: REQUEST, createdAt: at('2025-01-01T00:00:00.000Z') });
  store.inferences.begin({ inferenceId: 'inf_new', keyId: null, request: REQUEST, createdAt: at('2027-01-01T00:00:00.000Z') });
  assert.equal(store.inferences.deleteCreatedBefore(at('2026-01-01T00:00:00.000Z')), 1);
  assert.equal(store.inferences.find('inf_old'), null);
  assert.equal(store.inferences.failAbandoned(at('2027-01-01T00:00:05.000Z')) >= 1, true);
  const abandoned = store.inferences.find('inf_new');
  assert.equal(abandoned?.status, 'failed');
  assert.equal(abandoned?.error?.code, 'internal_error');
});
