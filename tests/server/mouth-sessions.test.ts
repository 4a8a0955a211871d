/**
 * Mouth-challenge sessions through `app.inject()`, with a stub analyzer (the passive analysis always
 * says live) and a fake challenge checker that records what it was asked and answers the outcome the
 * test sets: the prompts are drawn and revealed once, the capture carries `prompt_start_ms`, the
 * checker gets the session's prompts and that time, and a failed challenge fails the session closed.
 * The real check on real media runs in serve-sessions.test.ts and the browser test.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { drawMouthPrompts, type ChallengeOutcome, type MouthChallengeOutcome } from '../../src/challenge/index.js';
import type { Analysis } from '../../src/pipeline/index.js';
import type { Analyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import type { ChallengeChecker, ChallengeOutcomeOf, ChallengeSpec } from '../../src/server/challenge-checker.js';
import { readServerConfig } from '../../src/server/config.js';
import { openStore, type Store } from '../../src/store/index.js';

/** A live verdict, whatever the media: only the challenge can turn it. */
const STUB_ANALYSIS = {
  outcome: { kind: 'verdict' },
  result: { is_real: true, is_spoof: false, real_probability: 0.91, confidence: 0.8, attack_type: 0, attack_type_name: 'real', attack_type_confidence: 0.91 },
  inconclusive: null,
  evidence: { input: { mode: 'video', sources: [] }, frames: [], timingsMs: { total: 5 } },
} as unknown as Analysis;
const STUB_ANALYZER: Analyzer = { versions: { stub: '1' }, analyze: async () => STUB_ANALYSIS };

const FAILED_MOUTH: MouthChallengeOutcome = { passed: false, correlation: 0.12, lagMs: 350, restLevel: 0.041, restSpread: 0.193, prompts: [{ frames: 14, rise: 0.02 }, { frames: 12, rise: -0.01 }], restFrames: 61 };
const PASSED_MOUTH: MouthChallengeOutcome = { passed: true, correlation: 0.93, lagMs: 450, restLevel: 0.012, restSpread: 0.021, prompts: [{ frames: 15, rise: 0.38 }, { frames: 13, rise: 0.41 }], restFrames: 58 };
const FAILED_COLOUR: ChallengeOutcome = { passed: false, correlation: 0.1, lagMs: 0, alignedShare: 0.4, steps: [] };

/** What the fake checker was asked, in order, with the bytes it was given; and what it answers next. */
const checked: Array<{ spec: ChallengeSpec; bytes: Buffer | null }> = [];
let mouthAnswer = FAILED_MOUTH;
const fakeChecker: ChallengeChecker = {
  async check<S extends ChallengeSpec>(input: Parameters<ChallengeChecker['check']>[0], spec: S): Promise<ChallengeOutcomeOf<S>> {
    checked.push({ spec, bytes: input.kind === 'media' && 'bytes' in input.source ? Buffer.from(input.source.bytes) : null });
    return (spec.type === 'mouth' ? mouthAnswer : FAILED_COLOUR) as ChallengeOutcomeOf<S>;
  },
};

const MEDIA = Buffer.from('stub media of a capture');

let dataDir: string;
let store: Store;
let app: FastifyInstance;
let key: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-mouth-sessions-'));
  store = openStore(dataDir);
  key = store.keys.create({ name: 'mouth', ratePerMinute: 1000 }).secret;
  app = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer: STUB_ANALYZER, challengeChecker: fakeChecker, store });
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
}

async function createSession(body: object): Promise<Created> {
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${key}` }, payload: body });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

function reveal(session: Created) {
  return app.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/challenge`, headers: { authorization: `Session ${session.token}` } });
}

function captureJson(session: Created, fields: object) {
  const payload = { model: 'face-liveness', video_url: `data:video/mp4;base64,${MEDIA.toString('base64')}`, ...fields };
  return app.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/capture`, headers: { authorization: `Session ${session.token}` }, payload });
}

function captureForm(session: Created, fields: Record<string, string>) {
  const boundary = '----liveness-mouth-boundary';
  const parts = Object.entries({ model: 'face-liveness', ...fields }).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const payload = Buffer.concat([...parts, Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="capture.webm"\r\nContent-Type: video/webm\r\n\r\n`), MEDIA, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return app.inject({
    method: 'POST',
    url: `/v1/sessions/${session.session_id}/capture`,
    headers: { authorization: `Session ${session.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

async function report(session: Created) {
  const response = await app.inject({ method: 'GET', url: `/v1/sessions/${session.session_id}`, headers: { authorization: `Bearer ${key}` } });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

function assertError(response: { statusCode: number; json(): unknown }, status: number, code: string, message: RegExp): void {
  const body = response.json() as { error: { code: string; message: string } };
  assert.equal(response.statusCode, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  assert.match(body.error.message, message);
}

function storedPrompts(session: Created) {
  const stored = store.sessions.find(session.session_id)!.session;
  assert.equal(stored.challenge, 'mouth');
  return stored.challenge === 'mouth' ? stored.prompts : null;
}

test('a mouth session draws its prompts and reveals them once, with the lead-in the page waits before prompting', async () => {
  const session = await createSession({ challenge: 'mouth' });
  assert.equal(session.challenge, 'mouth');
  const prompts = storedPrompts(session)!;
  assert.equal(prompts.prompts.length, drawMouthPrompts(Math.random).prompts.length);
  const other = storedPrompts(await createSession({ challenge: 'mouth' }))!;
  assert.notDeepEqual(other, prompts, 'each session draws its own times');

  const revealed = await reveal(session);
  assert.equal(revealed.statusCode, 200, revealed.body);
  assert.deepEqual(revealed.json(), {
    session_id: session.session_id,
    lead_in_ms: 500,
    prompts: { total_ms: prompts.totalMs, prompts: prompts.prompts.map((p) => ({ start_ms: p.startMs, duration_ms: p.durationMs })) },
  });
  assertError(await reveal(session), 409, 'session_used', /^Expected a challenge not yet revealed but received a session whose challenge was revealed at /);
  assert.equal((await report(session)).challenge_type, 'mouth');
});

test("a mouth capture needs the reveal and a prompt_start_ms, and refuses colour's flash_start_ms; refusals spend nothing", async () => {
  const session = await createSession({ challenge: 'mouth' });
  assertError(await captureJson(session, { prompt_start_ms: 500 }), 400, 'invalid_argument', /^Expected the challenge to be revealed \(POST \/v1\/sessions\/ses_\w+\/challenge\) before the capture but it was not$/);
  assert.equal((await reveal(session)).statusCode, 200);
  assertError(await captureJson(session, {}), 400, 'invalid_argument', /^Expected a number of milliseconds from 0 to 10000 for prompt_start_ms but received undefined$/);
  assertError(await captureJson(session, { prompt_start_ms: -1 }), 400, 'invalid_argument', /^Expected a number of milliseconds from 0 to 10000 for prompt_start_ms but received -1 of type number$/);
  assertError(await captureForm(session, { prompt_start_ms: 'soon' }), 400, 'invalid_argument', /^Expected a number of milliseconds from 0 to 10000 for prompt_start_ms but received 'soon' of type string$/);
  assertError(await captureJson(session, { prompt_start_ms: 500, flash_start_ms: 500 }), 400, 'invalid_argument', /^Expected no flash_start_ms in the capture of a session with challenge 'mouth' but received one$/);
  assertError(await captureForm(session, { flash_start_ms: '500' }), 400, 'invalid_argument', /^Expected only the fields model, include, prompt_start_ms and file in the form but received the field 'flash_start_ms'$/);

  const colour = await createSession({ challenge: 'colour' });
  assert.equal((await reveal(colour)).statusCode, 200);
  assertError(await captureJson(colour, { flash_start_ms: 500, prompt_start_ms: 500 }), 400, 'invalid_argument', /^Expected no prompt_start_ms in the capture of a session with challenge 'colour' but received one$/);
  const none = await createSession({ challenge: 'none' });
  assertError(await captureJson(none, { prompt_start_ms: 500 }), 400, 'invalid_argument', /^Expected no prompt_start_ms in the capture of a session with challenge 'none' but received one$/);

  for (const refused of [session, colour, none]) assert.equal(store.sessions.find(refused.session_id)!.session.usedAt, null);
  assert.equal(checked.length, 0, 'no refused capture reached the checker');
});

test('the checker gets the revealed prompts and prompt_start_ms; a failed mouth challenge fails the session closed', async () => {
  checked.length = 0;
  mouthAnswer = FAILED_MOUTH;
  const session = await createSession({ challenge: 'mouth', return: 'verdict' });
  assert.equal((await reveal(session)).statusCode, 200);
  const response = await captureForm(session, { prompt_start_ms: '612.4' });
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(checked, [{ spec: { type: 'mouth', prompts: storedPrompts(session), promptStartMs: 612 }, bytes: MEDIA }]);

  const body = response.json();
  assert.deepEqual(body.challenge, { type: 'mouth', passed: false }, "return 'verdict' sends only whether it passed");
  assert.equal(body.result.result.is_real, false);
  assert.equal(body.result.result.real_probability, 0);
  assert.equal(body.result.result.confidence, 0);
  const read = await report(session);
  assert.equal(read.status, 'completed');
  assert.equal(read.result.result.is_real, false);
  assert.deepEqual(read.challenge, {
    type: 'mouth',
    passed: false,
    prompt_start_ms: 612,
    correlation: 0.12,
    lag_ms: 350,
    rest_level: 0.041,
    rest_spread: 0.193,
    rest_frames: 61,
    prompts: [{ frames: 14, rise: 0.02 }, { frames: 12, rise: -0.01 }],
  });
  assertError(await captureForm(session, { prompt_start_ms: '612' }), 409, 'session_used', /^Expected an unused session token/);
});

test('a passed mouth challenge keeps the passive verdict, and evidence sessions get the whole outcome', async () => {
  checked.length = 0;
  mouthAnswer = PASSED_MOUTH;
  const session = await createSession({ challenge: 'mouth', return: 'evidence' });
  assert.equal((await reveal(session)).statusCode, 200);
  const response = await captureJson(session, { prompt_start_ms: 533 });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(checked.length, 1);
  assert.equal(checked[0]!.spec.type === 'mouth' && checked[0]!.spec.promptStartMs, 533);
  const body = response.json();
  assert.equal(body.result.result.is_real, true);
  assert.equal(body.result.result.real_probability, 0.91);
  assert.deepEqual(body.challenge, { type: 'mouth', passed: true, prompt_start_ms: 533, correlation: 0.93, lag_ms: 450, rest_level: 0.012, rest_spread: 0.021, rest_frames: 58, prompts: [{ frames: 15, rise: 0.38 }, { frames: 13, rise: 0.41 }] });
  assert.deepEqual((await report(session)).challenge, body.challenge);
});

test('a colour capture sends the checker its sequence and flash_start_ms, through the same check', async () => {
  checked.length = 0;
  const session = await createSession({ challenge: 'colour' });
  assert.equal((await reveal(session)).statusCode, 200);
  const response = await captureJson(session, { flash_start_ms: 480 });
  assert.equal(response.statusCode, 200, response.body);
  const stored = store.sessions.find(session.session_id)!.session;
  assert.deepEqual(checked.map((c) => c.spec), [{ type: 'colour', sequence: stored.challenge === 'colour' ? stored.sequence : null, flashStartMs: 480 }]);
  assert.equal(response.json().result.result.is_real, false);
  assert.equal((await report(session)).challenge.flash_start_ms, 480);
});

test('a server without a challenge checker makes no mouth sessions', async (t) => {
  const plain = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer: STUB_ANALYZER, store });
  t.after(() => plain.close());
  const response = await plain.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${key}` }, payload: { challenge: 'mouth' } });
  assertError(response, 400, 'invalid_argument', /^Expected challenge 'none' \(this server runs without challenge checks\) but received 'mouth'$/);
});

test('a challenge session is never completed unchecked: a server without checks refuses its capture and leaves it unspent', async (t) => {
  const session = await createSession({ challenge: 'mouth' });
  assert.equal((await reveal(session)).statusCode, 200);
  const plain = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer: STUB_ANALYZER, store });
  t.after(() => plain.close());
  const payload = { model: 'face-liveness', video_url: `data:video/mp4;base64,${MEDIA.toString('base64')}`, prompt_start_ms: 480 };
  const response = await plain.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/capture`, headers: { authorization: `Session ${session.token}` }, payload });
  assertError(response, 503, 'not_ready', /^Expected a server that checks 'mouth' challenges but this one runs without challenge checks/);
  assert.equal((await report(session)).status, 'pending');
  // The server with checks takes the same capture.
  assert.equal((await captureJson(session, { prompt_start_ms: 480 })).statusCode, 200);
});

test('a capture that comes long after the reveal fails the session: a known challenge is not answered at leisure', async (t) => {
  let clock = new Date('2026-11-25T12:00:00Z');
  const timed = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_CHALLENGE_UPLOAD_S: '60' }), analyzer: STUB_ANALYZER, challengeChecker: fakeChecker, store, now: () => clock });
  t.after(() => timed.close());
  const open = async () => {
    const created = await timed.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${key}` }, payload: { challenge: 'mouth' } });
    const session = created.json() as Created;
    assert.equal((await timed.inject({ method: 'POST', url: `/v1/sessions/${session.session_id}/challenge`, headers: { authorization: `Session ${session.token}` } })).statusCode, 200);
    return session;
  };
  const capture = (session: Created) =>
    timed.inject({
      method: 'POST',
      url: `/v1/sessions/${session.session_id}/capture`,
      headers: { authorization: `Session ${session.token}` },
      payload: { model: 'face-liveness', video_url: `data:video/mp4;base64,${MEDIA.toString('base64')}`, prompt_start_ms: 500 },
    });
  const start = clock.getTime();
  // The challenge's length: the lead-in, the prompts, the longest reaction the check allows.
  const late = await open();
  const lengthMs = 500 + storedPrompts(late)!.totalMs + 750;
  clock = new Date(start + lengthMs + 61_000);
  assertError(await capture(late), 410, 'session_expired', /^Expected the capture within \d+\.\d s of revealing the challenge .* but it came after \d+\.\d s; the session is failed/);
  const failed = await report(late);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error.code, 'session_expired');
  assertError(await capture(late), 409, 'session_used', /spent on a capture/);

  clock = new Date(start);
  const inTime = await open();
  clock = new Date(start + 500 + storedPrompts(inTime)!.totalMs + 750 + 59_000);
  assert.equal((await capture(inTime)).statusCode, 200);
});
