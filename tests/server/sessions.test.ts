/**
 * Capture sessions through `app.inject()`: made with an API key, used once with their token, read
 * back only by their own key, expired by the app's clock, and for colour sessions passed only by a
 * capture whose face reflects the revealed sequence.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ColourSequence } from '../../src/challenge/index.js';
import { loadDeps, type Deps } from '../../src/deps.js';
import { inProcessAnalyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import { inProcessChallengeChecker } from '../../src/server/challenge-checker.js';
import { readServerConfig } from '../../src/server/config.js';
import { openStore, type Store } from '../../src/store/index.js';
import { tintedClip } from '../helpers/challenge.js';
import { franckClip, noFranck } from '../helpers/media.js';

let deps: Deps;
let dataDir: string;
let store: Store;
let app: FastifyInstance;
let keyA: string;
let keyB: string;
/** The app's clock: tests move it forward to expire sessions. */
let clockMs = Date.parse('2026-11-25T12:00:00.000Z');

before(async () => {
  deps = await loadDeps();
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-sessions-'));
  store = openStore(dataDir);
  keyA = store.keys.create({ name: 'a', ratePerMinute: 1000 }).secret;
  keyB = store.keys.create({ name: 'b', ratePerMinute: 1000 }).secret;
  app = buildApp({
    config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }),
    analyzer: inProcessAnalyzer(deps),
    challengeChecker: inProcessChallengeChecker(deps),
    store,
    now: () => new Date(clockMs),
  });
});

after(async () => {
  await app.close();
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Created {
  session_id: string;
  token: string;
  challenge: string;
  return: string;
  expires_at: string;
  capture_url: string;
}

async function createSession(body: object, key = keyA): Promise<Created> {
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${key}` }, payload: body });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

function getSession(id: string, key = keyA) {
  return app.inject({ method: 'GET', url: `/v1/sessions/${id}`, headers: { authorization: `Bearer ${key}` } });
}

function multipart(fields: Record<string, string>, bytes: Buffer): { payload: Buffer; contentType: string } {
  const boundary = '----liveness-session-boundary';
  const chunks: Buffer[] = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="capture.mp4"\r\nContent-Type: video/mp4\r\n\r\n`), bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(session: Created, bytes: Buffer, fields: Record<string, string> = {}, token = session.token) {
  const { payload, contentType } = multipart({ model: 'face-liveness', ...fields }, bytes);
  return app.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/capture`, headers: { authorization: `Session ${token}`, 'content-type': contentType }, payload });
}

function reveal(session: Created, token = session.token) {
  return app.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/challenge`, headers: { authorization: `Session ${token}` } });
}

function assertError(response: { statusCode: number; json(): unknown }, status: number, code: string, message?: RegExp): void {
  const body = response.json() as { error: { code: string; message: string } };
  assert.equal(response.statusCode, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  if (message) assert.match(body.error.message, message);
}

/** The revealed sequence, back in the challenge module's shape. */
function toSequence(revealed: { total_ms: number; steps: Array<{ colour: string; start_ms: number; duration_ms: number }> }): ColourSequence {
  return {
    totalMs: revealed.total_ms,
    steps: revealed.steps.map((s) => ({ colour: s.colour as ColourSequence['steps'][number]['colour'], startMs: s.start_ms, durationMs: s.duration_ms })),
  };
}

test('POST /v1/sessions makes a session with a token shown once; only its SHA-256 is stored', async () => {
  const created = await createSession({ challenge: 'none', return: 'verdict', expires_in_s: 120 });
  assert.deepEqual(Object.keys(created), ['session_id', 'token', 'challenge', 'return', 'expires_at', 'capture_url']);
  assert.match(created.session_id, /^ses_[a-z0-9]{24}$/);
  assert.match(created.token, /^st_[0-9A-Za-z]{32}$/);
  assert.equal(created.expires_at, '2026-11-25T12:02:00Z');
  assert.equal(created.capture_url, `/capture?session=${created.session_id}`);
  const found = store.sessions.find(created.session_id)!;
  assert.deepEqual(found.tokenSha256, createHash('sha256').update(created.token).digest());
  assert.ok(!JSON.stringify(found.session).includes(created.token));

  const defaults = await createSession({});
  assert.equal(defaults.challenge, 'none');
  assert.equal(defaults.return, 'verdict');
  assert.equal(defaults.expires_at, '2026-11-25T12:10:00Z');

  const pending = await getSession(created.session_id);
  assert.equal(pending.statusCode, 200);
  assert.equal(pending.json().status, 'pending');
  assert.equal(pending.json().result, null);

  const bad = (payload: object) => app.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${keyA}` }, payload });
  assertError(await bad({ expires_in_s: 30 }), 400, 'invalid_argument', /^Expected an integer from 60 to 3600 for expires_in_s but received 30 of type number$/);
  assertError(await bad({ challenge: 'blink' }), 400, 'invalid_argument', /^Expected 'none', 'colour' or 'mouth' for challenge but received 'blink' of type string$/);
  assertError(await bad({ return: 'all' }), 400, 'invalid_argument', /for return/);
  assertError(await bad({ challange: 'colour' }), 400, 'invalid_argument', /received the field 'challange'/);
  assertError(await app.inject({ method: 'POST', url: '/v1/sessions', payload: {} }), 401, 'unauthorized');
});

test('a capture is analysed like /v1/inferences; the token is single-use; only its own key reads the session', { skip: noFranck }, async () => {
  const session = await createSession({ challenge: 'none', return: 'verdict' });
  const clip = await readFile(await franckClip('live-5s.mp4', 5));
  const response = await upload(session, clip);
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json();
  assert.equal(body.session_id, session.session_id);
  assert.equal(body.status, 'completed');
  assert.equal(body.result.result.is_real, true);
  assert.equal(body.result.result.attack_type_name, 'real');
  assert.equal(body.result.evidence, undefined, "return 'verdict' sends no evidence");
  assert.equal(body.challenge, null);

  assertError(await upload(session, clip), 409, 'session_used', /^Expected an unused session token but received one spent on a capture at /);

  const read = await getSession(session.session_id);
  assert.equal(read.statusCode, 200);
  const report = read.json();
  assert.equal(report.status, 'completed');
  assert.deepEqual(report.result, body.result);
  assert.match(report.inference_id, /^inf_/);
  assert.equal(report.inference_id, body.result.inference_id);
  // The inference it ran is the session key's, readable like any other.
  const inference = await app.inject({ method: 'GET', url: `/v1/inferences/${report.inference_id}`, headers: { authorization: `Bearer ${keyA}` } });
  assert.equal(inference.statusCode, 200);

  assertError(await getSession(session.session_id, keyB), 404, 'not_found', /^Expected the id of a session made with this API key but received 'ses_/);
  assertError(await getSession('ses_000000000000000000000000'), 404, 'not_found');
});

test('a wrong, missing or API-key token is 401 invalid_session_token, and spends nothing', { skip: noFranck }, async () => {
  const session = await createSession({});
  const clip = await readFile(await franckClip('live-5s.mp4', 5));
  assertError(await upload(session, clip, {}, `st_${'x'.repeat(32)}`), 401, 'invalid_session_token', /^Expected the token issued for session 'ses_[a-z0-9]{24}' but received another token$/);
  const other = await createSession({});
  assertError(await upload(session, clip, {}, other.token), 401, 'invalid_session_token');
  const noHeader = await app.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/capture`, payload: {} });
  assertError(noHeader, 401, 'invalid_session_token', /^Expected 'Session <token>' in the Authorization header but received no Authorization header$/);
  const apiKey = await app.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/capture`, headers: { authorization: `Bearer ${keyA}` }, payload: {} });
  assertError(apiKey, 401, 'invalid_session_token', /received another form/);
  assert.equal(store.sessions.find(session.session_id)!.session.usedAt, null);
  assert.equal((await getSession(session.session_id)).json().status, 'pending');
});

test('a session past its expiry is 410 session_expired, and reads as expired', async () => {
  const session = await createSession({ expires_in_s: 60 });
  clockMs += 61_000;
  try {
    const response = await app.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/capture`, headers: { authorization: `Session ${session.token}` }, payload: {} });
    assertError(response, 410, 'session_expired', /^Expected a session open until its expiry but received one that expired at 2026-11-25T12:\d\d:\d\d/);
    assert.equal((await getSession(session.session_id)).json().status, 'expired');
  } finally {
    clockMs -= 61_000;
  }
});

test('colour: revealed once; a capture that reflects the sequence passes, one that does not fails closed', { skip: noFranck }, async () => {
  const passing = await createSession({ challenge: 'colour', return: 'evidence' });
  const clip = await readFile(await franckClip('live-5s.mp4', 5));
  assertError(await upload(passing, clip, { flash_start_ms: '500' }), 400, 'invalid_argument', /^Expected the challenge to be revealed/);

  const revealed = await reveal(passing);
  assert.equal(revealed.statusCode, 200, revealed.body);
  const { sequence, lead_in_ms } = revealed.json();
  assert.equal(lead_in_ms, 500);
  assert.ok(sequence.steps.length >= 5 && sequence.steps.length <= 8);
  assert.deepEqual(Object.keys(sequence.steps[0]), ['colour', 'rgb', 'start_ms', 'duration_ms']);
  assertError(await reveal(passing), 409, 'session_used', /^Expected a challenge not yet revealed but received a session whose challenge was revealed at /);

  const inStep = await readFile(await tintedClip('session-in-step.mp4', toSequence(sequence), { flashStartMs: 500, delayMs: 120, strength: 0.04, startS: 5 }));
  assertError(await upload(passing, inStep), 400, 'invalid_argument', /for flash_start_ms but received undefined/);
  const passed = await upload(passing, inStep, { flash_start_ms: '500' });
  assert.equal(passed.statusCode, 200, passed.body);
  const passedBody = passed.json();
  assert.equal(passedBody.challenge.passed, true, JSON.stringify(passedBody.challenge));
  assert.ok(passedBody.challenge.correlation >= 0.7);
  assert.equal(passedBody.challenge.steps.length, sequence.steps.length);
  assert.ok(passedBody.result.evidence, "return 'evidence' sends the evidence");
  const passedReport = (await getSession(passing.session_id)).json();
  assert.equal(passedReport.challenge.passed, true);
  assert.ok(passedReport.challenge.steps.every((s: { alignment: number | null }) => typeof s.alignment === 'number'));

  // A live face recorded without any flashing, as a replay or an injected stream would be. Sent as JSON this time.
  const failing = await createSession({ challenge: 'colour', return: 'verdict' });
  assert.equal((await reveal(failing)).statusCode, 200);
  const plain = await readFile(await tintedClip('session-plain.mp4', null, { flashStartMs: 500, delayMs: 0, strength: 0, startS: 25 }));
  const dataUrl = `data:video/mp4;base64,${plain.toString('base64')}`;
  const failed = await app.inject({
    method: 'POST',
    url: `/v1/sessions/${failing.session_id}/capture`,
    headers: { authorization: `Session ${failing.token}` },
    payload: { model: 'face-liveness', video_url: dataUrl, flash_start_ms: 500 },
  });
  assert.equal(failed.statusCode, 200, failed.body);
  const failedBody = failed.json();
  assert.deepEqual(failedBody.challenge, { type: 'colour', passed: false });
  assert.equal(failedBody.result.result.is_real, false);
  assert.equal(failedBody.result.result.real_probability, 0);
  assert.equal(failedBody.result.result.confidence, 0);
  const failedReport = (await getSession(failing.session_id)).json();
  assert.equal(failedReport.status, 'completed');
  assert.equal(failedReport.challenge.passed, false);
  assert.equal(failedReport.result.result.is_real, false);
  const stored = store.sessions.find(failing.session_id)!.session;
  assert.equal(stored.challenge, 'colour');
  assert.equal(failedReport.challenge.steps.length, stored.challenge === 'colour' ? stored.sequence.steps.length : -1);
});

test('retention deletes sessions created before the cutoff, and only those', async () => {
  const old = await createSession({});
  clockMs += 3_600_000;
  try {
    const recent = await createSession({});
    assert.ok(store.sessions.deleteCreatedBefore(new Date(clockMs - 60_000)) >= 1);
    assert.equal(store.sessions.find(old.session_id), null);
    assert.ok(store.sessions.find(recent.session_id));
  } finally {
    clockMs -= 3_600_000;
  }
});

test("a session with challenge 'none' has nothing to reveal", async () => {
  const session = await createSession({ challenge: 'none' });
  assertError(await reveal(session), 400, 'invalid_argument', /^Expected a session with challenge 'colour' or 'mouth' but received one with challenge 'none'$/);
  const capture = (payload: object) =>
    app.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/capture`, headers: { authorization: `Session ${session.token}` }, payload });
  assertError(await capture({ model: 'face-liveness', video_url: 'data:video/mp4;base64,AAAA', flash_start_ms: 500 }), 400, 'invalid_argument', /^Expected no flash_start_ms/);
  // The page uploads what it recorded; the server fetches nothing for it (no request is made).
  assertError(await capture({ model: 'face-liveness', video_url: 'https://example.com/clip.mp4' }), 403, 'url_not_allowed', /^Expected a data: URL for video_url in a session capture/);
  assertError(await capture({ model: 'face-liveness', video_url: 'data:video/mp4;base64,AAAA', include: ['evidence'] }), 400, 'invalid_argument', /^Expected no include/);
  assert.equal(store.sessions.find(session.session_id)!.session.usedAt, null, 'refused bodies spend nothing');
});
