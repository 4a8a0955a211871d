import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Sqlite from 'better-sqlite3';
import { DATABASE_FILE, hashApiKey, openStore, type RequestSummary, type Store, type StoredEnvelope } from '../../src/store/index.js';
import { migrate, MIGRATIONS } from '../../src/store/migrations.js';
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
  assert.equal(abandoned?.error?.code, 'analysis_interrupted');
});

test('migration 3 rebuilds the inference records for the queued status and keeps every record written before it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'liveness-store-v2-'));
  try {
    const db = new Sqlite(join(dir, DATABASE_FILE));
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO inferences (inference_id, key_id, status, request_json, envelope_json, created_at, completed_at) VALUES ('inf_v2', NULL, 'completed', ?, '{\"status\":\"completed\"}', 'T0', 'T1')").run(JSON.stringify(REQUEST));
    assert.throws(() => db.prepare("INSERT INTO inferences (inference_id, status, request_json, created_at) VALUES ('inf_q', 'queued', '{}', 'T0')").run(), /CHECK constraint failed/);
    db.close();

    const upgraded = openStore(dir);
    try {
      assert.deepEqual(upgraded.inferences.find('inf_v2')?.envelope, { status: 'completed' });
      upgraded.inferences.begin({ inferenceId: 'inf_q', keyId: null, request: REQUEST, createdAt: new Date(), status: 'queued' });
      assert.equal(upgraded.inferences.find('inf_q')?.status, 'queued');
      upgraded.inferences.start({ inferenceId: 'inf_q', request: { ...REQUEST, sources: [{ scheme: 'https', mediaType: 'video/mp4', byteLength: 99 }] } });
      assert.equal(upgraded.inferences.find('inf_q')?.status, 'processing');
      assert.equal(upgraded.inferences.find('inf_q')?.request.sources[0]?.byteLength, 99);
    } finally {
      upgraded.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('migration 4 rebuilds the sessions for the mouth challenge and keeps every session written before it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'liveness-store-v3-'));
  const sequence = { steps: [{ colour: 'red', startMs: 0, durationMs: 300 }], totalMs: 300 };
  const colourOutcome = { type: 'colour', passed: false, flash_start_ms: 517, correlation: 0.1, lag_ms: 0, aligned_share: 0.4, steps: [{ colour: 'red', frames: 4, alignment: -0.2 }] };
  try {
    const db = new Sqlite(join(dir, DATABASE_FILE));
    migrate(db, MIGRATIONS.slice(0, 3));
    const insert = db.prepare(
      'INSERT INTO sessions (session_id, key_id, token_sha256, challenge, return_mode, sequence_json, revealed_at, used_at, inference_id, envelope_json, challenge_json, created_at, expires_at, completed_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('ses_colour', hashApiKey('st_colour'), 'colour', 'evidence', JSON.stringify(sequence), 'T1', 'T2', 'inf_colour', '{"status":"completed"}', JSON.stringify(colourOutcome), 'T0', 'T9', 'T3');
    insert.run('ses_none', hashApiKey('st_none'), 'none', 'verdict', null, null, null, null, null, null, 'T0', 'T9', null);
    assert.throws(() => insert.run('ses_mouth', hashApiKey('st_mouth'), 'mouth', 'verdict', '{}', null, null, null, null, null, 'T0', 'T9', null), /CHECK constraint failed/);
    db.close();

    const upgraded = openStore(dir);
    try {
      const colour = upgraded.sessions.find('ses_colour');
      assert.deepEqual(colour?.tokenSha256, hashApiKey('st_colour'));
      assert.deepEqual(colour?.session, {
        sessionId: 'ses_colour',
        keyId: null,
        challenge: 'colour',
        sequence,
        returnMode: 'evidence',
        revealedAt: 'T1',
        usedAt: 'T2',
        inferenceId: 'inf_colour',
        envelope: { status: 'completed' },
        challengeOutcome: colourOutcome,
        error: null,
        createdAt: 'T0',
        expiresAt: 'T9',
        completedAt: 'T3',
      });
      assert.equal(upgraded.sessions.find('ses_none')?.session.challenge, 'none');
      assert.equal(upgraded.sessions.find('ses_none')?.session.usedAt, null);

      const prompts = { prompts: [{ startMs: 1400, durationMs: 900 }, { startMs: 3900, durationMs: 1200 }], totalMs: 5900 };
      const created = upgraded.sessions.create({ sessionId: 'ses_mouth', keyId: null, tokenSha256: hashApiKey('st_mouth'), challenge: 'mouth', prompts, returnMode: 'verdict', createdAt: new Date(), expiresAt: new Date() });
      assert.equal(created.challenge, 'mouth');
      assert.deepEqual(created.challenge === 'mouth' && created.prompts, prompts);
      const mouthOutcome = { type: 'mouth', passed: true, prompt_start_ms: 520, correlation: 0.91, lag_ms: 400, rest_level: 0.01, rest_spread: 0.03, rest_frames: 40, prompts: [{ frames: 9, rise: 0.4 }, { frames: 12, rise: null }] } as const;
      upgraded.sessions.complete({ sessionId: 'ses_mouth', inferenceId: 'inf_mouth', envelope: { status: 'completed' } as unknown as StoredEnvelope, challengeOutcome: mouthOutcome, completedAt: new Date() });
      assert.deepEqual(upgraded.sessions.find('ses_mouth')?.session.challengeOutcome, mouthOutcome);
    } finally {
      upgraded.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('webhooks: attempts recorded in order; retention deletes them with their inference', () => {
  const createdAt = new Date('2025-06-01T00:00:00.000Z');
  store.inferences.begin({ inferenceId: 'inf_hooked', keyId: null, request: REQUEST, createdAt, status: 'queued' });
  store.webhooks.create({ inferenceId: 'inf_hooked', url: 'https://example.com/hook', createdAt });
  assert.deepEqual(store.webhooks.find('inf_hooked'), { inferenceId: 'inf_hooked', url: 'https://example.com/hook', status: 'pending', attempts: [], nextAttemptAt: null, createdAt: createdAt.toISOString() });
  store.inferences.fail({ inferenceId: 'inf_hooked', error: { code: 'unsupported_media', message: 'Expected a video' }, completedAt: createdAt });
  assert.equal(store.webhooks.markFinishedDue(createdAt), 1);
  assert.deepEqual(store.webhooks.listDue().find((due) => due.inferenceId === 'inf_hooked'), { inferenceId: 'inf_hooked', nextAttemptAt: createdAt.toISOString() });
  const attempt = { url: 'https://example.com/hook', startedAt: createdAt.toISOString(), durationMs: 12, httpStatus: 500, error: 'the receiver answered 500: not a 2xx status' };
  store.webhooks.recordAttempt('inf_hooked', { ...attempt, attempt: 1, outcome: 'retrying', nextAttemptAt: '2025-06-01T00:00:02.000Z' });
  store.webhooks.recordAttempt('inf_hooked', { ...attempt, attempt: 2, httpStatus: 200, error: null, outcome: 'delivered', nextAttemptAt: null });
  const webhook = store.webhooks.find('inf_hooked');
  assert.equal(webhook?.status, 'delivered');
  assert.equal(webhook?.nextAttemptAt, null);
  assert.deepEqual(webhook?.attempts.map((a) => [a.attempt, a.httpStatus, a.outcome]), [[1, 500, 'retrying'], [2, 200, 'delivered']]);
  assert.ok(!store.webhooks.listDue().some((due) => due.inferenceId === 'inf_hooked'));

  assert.ok(store.inferences.deleteCreatedBefore(new Date('2025-07-01T00:00:00.000Z')) >= 1);
  assert.equal(store.webhooks.find('inf_hooked'), null);
  const db = new Sqlite(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    assert.equal((db.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE inference_id = 'inf_hooked'").get() as { n: number }).n, 0);
  } finally {
    db.close();
  }
});

test('server secrets: 32 random bytes made once and kept', () => {
  const first = store.serverSecrets.get('test-secret');
  assert.equal(first.byteLength, 32);
  assert.deepEqual(store.serverSecrets.get('test-secret'), first);
  assert.notDeepEqual(store.serverSecrets.get('other-secret'), first);
});
