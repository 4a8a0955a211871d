/**
 * Asynchronous inferences and their webhooks through `app.inject()`: 202 and polling, the same
 * result as a synchronous request, signed deliveries to real receivers on 127.0.0.1, retries with
 * back-off, webhook URLs refused at submission without a socket, a full queue, shutdown and start-up.
 * Most tests use a stub analyzer (instant, or held until released); one compares with the real one.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDeps } from '../../src/deps.js';
import type { Analysis } from '../../src/pipeline/index.js';
import { inProcessAnalyzer, type Analyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import { readServerConfig } from '../../src/server/config.js';
import { DEFAULT_FETCH_OPTIONS, type ConnectRequest, type ResolvedAddress } from '../../src/server/fetch-media.js';
import { recoverInterrupted } from '../../src/server/recover-interrupted.js';
import { retryDelayMs } from '../../src/server/webhook-dispatcher.js';
import { deriveWebhookSecret, signWebhook, verifyWebhookSignature, WEBHOOK_SERVER_SECRET } from '../../src/server/webhook-signature.js';
import { openStore, type Store } from '../../src/store/index.js';
import { franckClip, noFranck } from '../helpers/media.js';

const BASE_MS = 20;
/** The jitter's random number, pinned: every retry waits base × 2^(n−1) × 1.125. */
const RANDOM = 0.5;

let dataDir: string;
let store: Store;
let key: string;
let keyId: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-async-'));
  store = openStore(dataDir);
  const created = store.keys.create({ name: 'async', ratePerMinute: 100_000 });
  key = created.secret;
  keyId = created.key.id;
});

after(async () => {
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A fixed analysis: the contract's fields and what the envelope is built from. */
const STUB_ANALYSIS = {
  outcome: { kind: 'verdict' },
  result: { is_real: true, is_spoof: false, real_probability: 0.91, confidence: 0.8, attack_type: 0, attack_type_name: 'real', attack_type_confidence: 0.91 },
  inconclusive: null,
  evidence: { input: { mode: 'video', sources: [] }, frames: [], timingsMs: { total: 5 } },
} as unknown as Analysis;

/** An analyzer that answers at once, or, with `held`, when the test releases it. */
function stubAnalyzer({ held = false } = {}): Analyzer & { release(): void; started: number } {
  let release!: () => void;
  const gate = held ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const analyzer = {
    versions: { stub: '1' },
    started: 0,
    release: () => release?.(),
    async analyze() {
      analyzer.started++;
      await gate;
      return STUB_ANALYSIS;
    },
  };
  return analyzer;
}

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly atMs: number;
}

/** A webhook receiver on 127.0.0.1 for the length of test `t`, answering with `statuses` in turn (then 200). */
async function receiver(t: TestContext, statuses: number[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body, atMs: Date.now() });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/liveness?tenant=7`, received };
}

/**
 * An app whose connections are counted: the connector passes through to 127.0.0.1 (allow-listed
 * unless `allowlist` says otherwise) and the resolver knows one name, so no real DNS is asked.
 */
function makeApp(t: TestContext, analyzer: Analyzer, { env = {}, allowlist = '127.0.0.1', appStore = store }: { env?: Record<string, string>; allowlist?: string; appStore?: Store } = {}) {
  const connected: string[] = [];
  const connect = (request: ConnectRequest) => {
    connected.push(request.url.href);
    return DEFAULT_FETCH_OPTIONS.connect(request);
  };
  const resolve = async (hostname: string): Promise<readonly ResolvedAddress[]> => {
    if (hostname === 'hooks.internal') return [{ address: '10.1.2.3', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
  const config = readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_URL_ALLOWLIST: allowlist, LIVENESS_WEBHOOK_RETRY_BASE_MS: String(BASE_MS), ...env });
  const app = buildApp({ config, analyzer, store: appStore, urlFetch: { connect, resolve }, random: () => RANDOM });
  t.after(() => app.close());
  return { app, connected };
}

const DATA_URL = `data:video/mp4;base64,${Buffer.from('stub media').toString('base64')}`;

function post(app: FastifyInstance, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/v1/inferences', headers: { authorization: `Bearer ${key}` }, payload: { model: 'face-liveness', video_url: DATA_URL, ...body } });
}

function get(app: FastifyInstance, path: string) {
  return app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${key}` } });
}

/** Polls until `done` holds (every 10 ms, 30 s at most): no fixed sleeps, so slow machines only wait longer. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let waitedMs = 0; ; waitedMs += 10) {
    const value = await read();
    if (done(value)) return value;
    if (waitedMs > 30_000) throw new Error(`gave up waiting; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const finished = (app: FastifyInstance, id: string) => until(() => get(app, `/v1/inferences/${id}`), (response) => response.statusCode !== 202);

test('async: true answers 202 queued with a Location; polling gives what a synchronous request gives for the same media', { skip: noFranck }, async (t) => {
  const { app } = makeApp(t, inProcessAnalyzer(await loadDeps()));
  const video_url = `data:video/mp4;base64,${(await readFile(await franckClip('live-5s.mp4', 5))).toString('base64')}`;

  const accepted = await post(app, { video_url, async: true });
  assert.equal(accepted.statusCode, 202, accepted.body);
  const queued = accepted.json();
  assert.deepEqual(Object.keys(queued), ['inference_id', 'model_id', 'model_name', 'moderation_type', 'status', 'result', 'response_time_ms', 'created_at', 'completed_at']);
  assert.match(queued.inference_id, /^inf_[a-z0-9]{24}$/);
  assert.equal(queued.status, 'queued');
  assert.equal(queued.result, null);
  assert.equal(queued.completed_at, null);
  assert.equal(accepted.headers.location, `/v1/inferences/${queued.inference_id}`);

  const polled = await finished(app, queued.inference_id);
  assert.equal(polled.statusCode, 200, polled.body);
  const envelope = polled.json();
  const sync = (await post(app, { video_url })).json();
  assert.equal(envelope.inference_id, queued.inference_id);
  assert.equal(envelope.status, 'completed');
  assert.equal(envelope.created_at, queued.created_at);
  assert.deepEqual(Object.keys(envelope), Object.keys(sync));
  assert.deepEqual(envelope.result, sync.result);
  assert.equal(envelope.moderation_type, sync.moderation_type);
  assert.deepEqual(envelope.inconclusive, sync.inconclusive);
  const record = store.inferences.find(queued.inference_id);
  assert.equal(record?.status, 'completed');
  assert.deepEqual(record?.request.sources, [{ scheme: 'data', mediaType: 'video/mp4', byteLength: (await readFile(await franckClip('live-5s.mp4', 5))).byteLength }]);
});

test("a webhook goes to a receiver on 127.0.0.1 with the GET body, signed with the key's secret; the signature verifies", async (t) => {
  const { url, received } = await receiver(t);
  const { app } = makeApp(t, stubAnalyzer());
  const accepted = await post(app, { async: true, webhook_url: url, include: ['evidence'] });
  assert.equal(accepted.statusCode, 202, accepted.body);
  const id = accepted.json().inference_id as string;

  const webhook = await until(() => get(app, `/v1/inferences/${id}/webhook`), (r) => r.json().status !== 'pending');
  const [delivery] = received;
  assert.equal(received.length, 1);
  assert.equal(delivery!.body, (await get(app, `/v1/inferences/${id}`)).body, 'the body is what GET answers');
  assert.equal(JSON.parse(delivery!.body).evidence.timingsMs.total, 5);
  assert.equal(delivery!.headers['content-type'], 'application/json');
  assert.equal(delivery!.headers['liveness-attempt'], '1');
  const timestamp = delivery!.headers['liveness-timestamp'] as string;
  assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60, timestamp);
  const secret = deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), keyId);
  assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  const signature = delivery!.headers['liveness-signature'] as string;
  assert.match(signature, /^v1=[0-9a-f]{64}$/);
  assert.equal(verifyWebhookSignature({ secret, body: delivery!.body, timestamp, signature }), true);
  assert.equal(verifyWebhookSignature({ secret: deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), 'key_another00000'), body: delivery!.body, timestamp, signature }), false);

  const shown = webhook.json() as { attempts: Array<Record<string, unknown>> };
  assert.deepEqual(
    { ...shown, attempts: shown.attempts.map(({ attempt, http_status, error, outcome, next_attempt_at }) => ({ attempt, http_status, error, outcome, next_attempt_at })) },
    { inference_id: id, url, status: 'delivered', next_attempt_at: null, attempts: [{ attempt: 1, http_status: 200, error: null, outcome: 'delivered', next_attempt_at: null }] },
  );
  // A request without a webhook has none to show.
  const plain = (await post(app, { async: true })).json().inference_id as string;
  const none = await get(app, `/v1/inferences/${plain}/webhook`);
  assert.equal(none.statusCode, 404);
  assert.equal(none.json().error.message, `Expected an inference submitted with a webhook_url but ${plain} has none`);
});

test('verifyWebhookSignature refuses a tampered body, a stale or future timestamp, a wrong secret and missing headers', () => {
  const secret = deriveWebhookSecret(Buffer.alloc(32, 7), 'key_000000000001');
  const body = '{"inference_id":"inf_x","status":"completed"}';
  const nowS = 1_780_000_000;
  const signature = signWebhook(secret, nowS, body);
  const check = (overrides: Record<string, unknown>) => verifyWebhookSignature({ secret, body, timestamp: String(nowS), signature, nowS, ...overrides });
  assert.equal(check({}), true);
  assert.equal(check({ body: Buffer.from(body) }), true, 'a raw Buffer body verifies too');
  assert.equal(check({ body: body.replace('completed', 'complete ') }), false, 'tampered body');
  assert.equal(check({ nowS: nowS + 301 }), false, 'stale: more than 5 minutes old');
  assert.equal(check({ nowS: nowS + 299 }), true);
  assert.equal(check({ nowS: nowS - 301 }), false, 'from the future');
  assert.equal(check({ timestamp: String(nowS + 1) }), false, 'the timestamp is signed with the body');
  assert.equal(check({ secret: deriveWebhookSecret(Buffer.alloc(32, 7), 'key_000000000002') }), false, "another key's secret");
  assert.equal(check({ signature: `v0=abc, ${signature}` }), true, 'any v1 entry of several may match (secret rotation)');
  assert.equal(check({ signature: signature.slice(0, -2) }), false);
  assert.equal(check({ signature: undefined }), false);
  assert.equal(check({ timestamp: undefined }), false);
  assert.equal(check({ timestamp: '1e9' }), false);
});

test('a receiver answering 500 twice, then 200, gets 3 attempts, recorded with growing back-off and counted in /metrics', async (t) => {
  const { url, received } = await receiver(t, [500, 500]);
  const { app } = makeApp(t, stubAnalyzer());
  const id = (await post(app, { async: true, webhook_url: url })).json().inference_id as string;

  const webhook = (await until(() => get(app, `/v1/inferences/${id}/webhook`), (r) => r.json().status !== 'pending')).json();
  assert.equal(webhook.status, 'delivered');
  assert.deepEqual(
    webhook.attempts.map((a: Record<string, unknown>) => [a.attempt, a.http_status, a.outcome]),
    [[1, 500, 'retrying'], [2, 500, 'retrying'], [3, 200, 'delivered']],
  );
  assert.equal(webhook.attempts[0].error, 'the receiver answered 500: not a 2xx status');
  assert.deepEqual(received.map((r) => r.headers['liveness-attempt']), ['1', '2', '3']);
  // Each wait is base × 2^(n−1) × (1 + 0.25 × 0.5), counted from the end of the failed attempt.
  const waits: number[] = webhook.attempts.slice(0, 2).map((a: { started_at: string; duration_ms: number; next_attempt_at: string }) => Date.parse(a.next_attempt_at) - Date.parse(a.started_at) - a.duration_ms);
  assert.deepEqual([retryDelayMs(1, BASE_MS, RANDOM), retryDelayMs(2, BASE_MS, RANDOM)], [23, 45]);
  assert.ok(Math.abs(waits[0]! - 23) <= 1 && Math.abs(waits[1]! - 45) <= 1, JSON.stringify(waits));
  for (const [i, attempt] of webhook.attempts.slice(1).entries()) {
    // Timers may fire a millisecond early; never a retry before its time.
    assert.ok(Date.parse(attempt.started_at) >= Date.parse(webhook.attempts[i].next_attempt_at) - 2, JSON.stringify(webhook.attempts));
  }
  const secret = deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), keyId);
  for (const r of received) {
    assert.equal(verifyWebhookSignature({ secret, body: r.body, timestamp: r.headers['liveness-timestamp'] as string, signature: r.headers['liveness-signature'] as string }), true);
  }
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /^liveness_webhook_deliveries_total\{outcome="retrying"\} 2$/m);
  assert.match(metrics, /^liveness_webhook_deliveries_total\{outcome="delivered"\} 1$/m);
});

test('the attempts run out: LIVENESS_WEBHOOK_MAX_ATTEMPTS failed attempts mark the webhook failed; a redirect is not followed', async (t) => {
  const { url, received } = await receiver(t, [302, 503]);
  const { app } = makeApp(t, stubAnalyzer(), { env: { LIVENESS_WEBHOOK_MAX_ATTEMPTS: '2' } });
  const id = (await post(app, { async: true, webhook_url: url })).json().inference_id as string;
  const webhook = (await until(() => get(app, `/v1/inferences/${id}/webhook`), (r) => r.json().status !== 'pending')).json();
  assert.equal(webhook.status, 'failed');
  assert.deepEqual(
    webhook.attempts.map((a: Record<string, unknown>) => [a.http_status, a.error, a.outcome, a.next_attempt_at === null]),
    [
      [302, 'the receiver answered 302: a redirect, which webhooks do not follow', 'retrying', false],
      [503, 'the receiver answered 503: not a 2xx status', 'failed', true],
    ],
  );
  assert.equal(received.length, 2);
});

test('webhook_url to 10.0.0.1, 169.254.169.254, [::1] or a name resolving to 10.1.2.3 is 400 at submission; no socket, no record', async (t) => {
  const { app, connected } = makeApp(t, stubAnalyzer(), { allowlist: '' });
  const cases: Array<[string, string]> = [
    ['http://10.0.0.1/hook', 'its address 10.0.0.1, which is private'],
    ['http://169.254.169.254/latest/meta-data/', 'its address 169.254.169.254, which is link-local (cloud metadata lives here)'],
    ['http://[::1]:8080/hook', 'its address ::1, which is unspecified, loopback or IPv4-compatible'],
    ['https://hooks.internal/hook', 'hooks.internal resolves to 10.1.2.3, which is private'],
    ['http://127.0.0.1:9/hook', 'its address 127.0.0.1, which is loopback'],
    ['https://nowhere.invalid/hook', 'its host name could not be resolved'],
  ];
  for (const [webhook_url, reason] of cases) {
    const response = await post(app, { async: true, webhook_url });
    assert.equal(response.statusCode, 400, webhook_url);
    assert.equal(response.json().error.code, 'invalid_argument');
    assert.ok(response.json().error.message.startsWith(`Expected a webhook_url this server may deliver to but received '${new URL(webhook_url).href}': ${reason}`), response.json().error.message);
    assert.equal(response.json().inference_id, undefined, 'nothing was recorded');
  }
  assert.deepEqual(connected, []);
});

test('async and webhook_url are checked field by field: webhook_url needs async: true, an http(s) URL and no credentials', async (t) => {
  const { app, connected } = makeApp(t, stubAnalyzer());
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ webhook_url: 'https://example.com/hook' }, 'Expected webhook_url only with async: true (a synchronous request answers with the result itself) but received it without'],
    [{ async: false, webhook_url: 'https://example.com/hook' }, 'Expected webhook_url only with async: true (a synchronous request answers with the result itself) but received it without'],
    [{ async: 'yes' }, "Expected a boolean for async but received 'yes' of type string"],
    [{ async: true, webhook_url: 'ftp://example.com/hook' }, "Expected an http(s) URL for the webhook for webhook_url but received 'ftp://example.com/hook' of type string"],
    [{ async: true, webhook_url: 'not a url' }, "Expected an http(s) URL for the webhook for webhook_url but received 'not a url' of type string"],
    [{ async: true, webhook_url: 42 }, 'Expected an http(s) URL for the webhook of at most 2048 characters for webhook_url but received 42 of type number'],
    [{ async: true, webhook_url: 'https://user:pass@example.com/hook' }, 'Expected a webhook_url without user:password@ (deliveries are signed; see Liveness-Signature) but received one with credentials'],
    [{ async: true, video_url: 'https://' }, "Expected an http(s) URL for video_url but received 'https://', which is not a URL"],
  ];
  for (const [body, message] of cases) {
    const response = await post(app, body);
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.equal(response.json().error.message, message);
  }
  assert.deepEqual(connected, []);
});

test('a full queue refuses async requests with 503 server_busy and Retry-After, records nothing, and never drops one it accepted', async (t) => {
  const analyzer = stubAnalyzer({ held: true });
  const { app } = makeApp(t, analyzer, { env: { LIVENESS_MAX_QUEUE: '2', LIVENESS_CONCURRENCY: '1' } });
  const first = await post(app, { async: true });
  const second = await post(app, { async: true });
  assert.deepEqual([first.statusCode, second.statusCode], [202, 202]);
  for (const body of [{ async: true }, {}]) {
    const refused = await post(app, body);
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal(refused.json().error.code, 'server_busy');
    assert.equal(refused.json().inference_id, undefined);
    assert.equal(refused.headers['retry-after'], '4');
  }
  const queue = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(queue, /^liveness_analysis_queue_depth\{state="running"\} 1$/m);
  assert.match(queue, /^liveness_analysis_queue_depth\{state="waiting"\} 1$/m);
  const secondId = second.json().inference_id as string;
  await until(() => get(app, `/v1/inferences/${first.json().inference_id}`), (r) => r.json().status === 'processing');
  assert.equal((await get(app, `/v1/inferences/${secondId}`)).json().status, 'queued');

  analyzer.release();
  for (const response of [first, second]) assert.equal((await finished(app, response.json().inference_id)).statusCode, 200);
  assert.equal(analyzer.started, 2);
});

test('an accepted inference whose media URL cannot be fetched fails with the fetch error, kept for GET and the webhook', async (t) => {
  const media = await receiver(t, [404]);
  const hook = await receiver(t);
  const { app } = makeApp(t, stubAnalyzer());
  const accepted = await post(app, { async: true, video_url: media.url, webhook_url: hook.url });
  assert.equal(accepted.statusCode, 202, accepted.body);
  const id = accepted.json().inference_id as string;
  const failed = await finished(app, id);
  assert.equal(failed.statusCode, 502);
  assert.equal(failed.json().error.code, 'url_fetch_failed');
  assert.equal(failed.json().inference_id, id);
  await until(async () => hook.received.length, (n) => n === 1);
  assert.equal(hook.received[0]!.body, failed.body);
  // Its place in the queue was given back.
  assert.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /^liveness_analysis_queue_depth\{state="waiting"\} 0$/m);
});

test('a multipart upload with async=true is accepted the same way', async (t) => {
  const { app } = makeApp(t, stubAnalyzer());
  const boundary = 'liveness-test-boundary';
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload = Buffer.concat([
    Buffer.from(part('model', 'face-liveness') + part('async', 'true')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\nContent-Type: video/mp4\r\n\r\nstub media\r\n--${boundary}--\r\n`),
  ]);
  const headers = { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` };
  const accepted = await app.inject({ method: 'POST', url: '/v1/inferences', headers, payload });
  assert.equal(accepted.statusCode, 202, accepted.body);
  assert.equal((await finished(app, accepted.json().inference_id)).statusCode, 200);
  const bad = await app.inject({ method: 'POST', url: '/v1/inferences', headers, payload: Buffer.from(payload.toString('latin1').replace('\r\n\r\ntrue\r\n', '\r\n\r\nyes\r\n'), 'latin1') });
  assert.equal(bad.json().error.message, "Expected 'true' or 'false' for async but received 'yes' of type string");
});

test('close() lets accepted async inferences and their first webhook attempt finish', async (t) => {
  const { url, received } = await receiver(t);
  const analyzer = stubAnalyzer({ held: true });
  const { app } = makeApp(t, analyzer);
  const id = (await post(app, { async: true, webhook_url: url })).json().inference_id as string;
  await until(async () => analyzer.started, (n) => n === 1);
  const closing = app.close();
  analyzer.release();
  await closing;
  assert.equal(store.inferences.find(id)?.status, 'completed');
  assert.equal(received.length, 1);
  assert.equal(store.webhooks.find(id)?.status, 'delivered');
});

test('start-up fails inferences left queued or processing with analysis_interrupted and delivers their webhooks; due retries resume', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'liveness-async-restart-'));
  const restarted = openStore(dir);
  const { url, received } = await receiver(t);
  const createdAt = new Date();
  const request = { field: 'video_url' as const, frames: false, sources: [], include: [] };
  restarted.inferences.begin({ inferenceId: 'inf_queued0000000000000000000', keyId: null, request, createdAt, status: 'queued' });
  restarted.webhooks.create({ inferenceId: 'inf_queued0000000000000000000', url, createdAt });
  restarted.inferences.begin({ inferenceId: 'inf_running000000000000000000', keyId: null, request, createdAt });
  // A delivery the previous run left waiting for its retry, due now.
  restarted.inferences.begin({ inferenceId: 'inf_retrying00000000000000000', keyId: null, request, createdAt });
  restarted.inferences.fail({ inferenceId: 'inf_retrying00000000000000000', error: { code: 'unsupported_media', message: 'Expected a video' }, completedAt: createdAt });
  restarted.webhooks.create({ inferenceId: 'inf_retrying00000000000000000', url, createdAt });
  restarted.webhooks.markDue('inf_retrying00000000000000000', createdAt);

  const { app } = makeApp(t, stubAnalyzer(), { appStore: restarted, env: { LIVENESS_AUTH: 'off' } });
  // After the app's own clean-up (hooks run in the order they were added).
  t.after(async () => {
    restarted.close();
    await rm(dir, { recursive: true, force: true });
  });
  assert.deepEqual(recoverInterrupted(restarted, app.webhookDispatcher), { failed: 2, webhooksDue: 2 });
  for (const id of ['inf_queued0000000000000000000', 'inf_running000000000000000000']) {
    const response = await app.inject({ method: 'GET', url: `/v1/inferences/${id}` });
    assert.equal(response.statusCode, 503);
    assert.equal(response.json().error.code, 'analysis_interrupted');
  }
  await until(async () => received.length, (n) => n === 2);
  const bodies = received.map((r) => JSON.parse(r.body)).sort((a, b) => a.inference_id.localeCompare(b.inference_id));
  assert.deepEqual(bodies.map((b) => [b.inference_id, b.error.code]), [
    ['inf_queued0000000000000000000', 'analysis_interrupted'],
    ['inf_retrying00000000000000000', 'unsupported_media'],
  ]);
  // With LIVENESS_AUTH=off, deliveries are signed with the deployment's secret.
  const secret = deriveWebhookSecret(restarted.serverSecrets.get(WEBHOOK_SERVER_SECRET), null);
  for (const r of received) assert.ok(verifyWebhookSignature({ secret, body: r.body, timestamp: r.headers['liveness-timestamp'] as string, signature: r.headers['liveness-signature'] as string }));
});
