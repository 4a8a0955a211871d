/**
 * The HTTP API through `app.inject()`: the contract envelope for real media sent as data: URLs,
 * records read back by id and only by their own key, and a coded 4xx for every kind of bad request.
 * Media URLs are fetched only from servers this file starts on 127.0.0.1; no name is looked up.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { withOverrides } from '../../src/config.js';
import { loadDeps, type Deps } from '../../src/deps.js';
import { inProcessAnalyzer, type Analyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import { readServerConfig } from '../../src/server/config.js';
import { DEFAULT_FETCH_OPTIONS, type ConnectRequest } from '../../src/server/fetch-media.js';
import { openStore, type Store } from '../../src/store/index.js';
import { extractFrames } from '../helpers/frames.js';
import { FRANCK_STILL, franckClip, noFaceClip, noFranck, writeScratch } from '../helpers/media.js';

const ENVELOPE_KEYS = ['inference_id', 'model_id', 'model_name', 'moderation_type', 'status', 'result', 'response_time_ms', 'created_at', 'completed_at'];
const RESULT_KEYS = ['is_real', 'is_spoof', 'real_probability', 'confidence', 'attack_type', 'attack_type_name', 'attack_type_confidence'];

let deps: Deps;
let dataDir: string;
let store: Store;
let app: FastifyInstance;
let keyA: string;
let keyAId: string;
let keyB: string;

before(async () => {
  deps = await loadDeps();
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-app-'));
  store = openStore(dataDir);
  const created = store.keys.create({ name: 'a', ratePerMinute: 1000 });
  keyA = created.secret;
  keyAId = created.key.id;
  keyB = store.keys.create({ name: 'b', ratePerMinute: 1000 }).secret;
  app = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer: inProcessAnalyzer(deps), store });
});

after(async () => {
  await app.close();
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function dataUrl(path: string, mediaType: string): Promise<string> {
  return `data:${mediaType};base64,${(await readFile(path)).toString('base64')}`;
}

/** A real HTTP server on 127.0.0.1 for the length of test `t`; resolves to its base URL. */
async function localServer(t: TestContext, handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * An app that fetches media URLs from 127.0.0.1 only: the connector records every connection, and
 * the resolver answers every name as unknown, so no test ever asks a real DNS server.
 */
function fetchingApp(t: TestContext, urlFetch: { totalTimeoutMs?: number } = {}) {
  const connected: string[] = [];
  const connect = (request: ConnectRequest) => {
    connected.push(request.url.href);
    return DEFAULT_FETCH_OPTIONS.connect(request);
  };
  const resolve = async (hostname: string): Promise<never> => {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
  const config = readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_URL_ALLOWLIST: '127.0.0.1' });
  const fetching = buildApp({ config, analyzer: inProcessAnalyzer(deps), store, urlFetch: { ...urlFetch, connect, resolve } });
  t.after(() => fetching.close());
  return { app: fetching, connected };
}

function post(body: unknown, key: string | null = keyA) {
  return app.inject({ method: 'POST', url: '/v1/inferences', headers: key ? { authorization: `Bearer ${key}` } : {}, payload: body as object });
}

function get(id: string, headers: Record<string, string> = { authorization: `Bearer ${keyA}` }) {
  return app.inject({ method: 'GET', url: `/v1/inferences/${id}`, headers });
}

function assertError(response: { statusCode: number; json(): unknown }, status: number, code: string, message?: RegExp | string): { inference_id?: string } {
  const body = response.json() as { error: { code: string; message: string }; inference_id?: string };
  assert.equal(response.statusCode, status, JSON.stringify(body));
  assert.deepEqual(Object.keys(body.error), ['code', 'message']);
  assert.equal(body.error.code, code);
  if (typeof message === 'string') assert.equal(body.error.message, message);
  else if (message) assert.match(body.error.message, message);
  return body;
}

test('a live clip as a data: URL gets the contract envelope, field for field; GET by id returns it again', { skip: noFranck }, async () => {
  const clip = await franckClip('live-5s.mp4', 5);
  const response = await post({ model: 'face-liveness', video_url: await dataUrl(clip, 'video/mp4') });
  assert.equal(response.statusCode, 200, response.body);
  assert.match(response.headers['content-type'] as string, /^application\/json/);
  const envelope = response.json();
  assert.deepEqual(Object.keys(envelope), ENVELOPE_KEYS);
  assert.match(envelope.inference_id, /^inf_[a-z0-9]{24}$/);
  assert.equal(envelope.model_id, 'face_liveness');
  assert.equal(envelope.model_name, 'Face Liveness Detection');
  assert.equal(envelope.moderation_type, 'video');
  assert.equal(envelope.status, 'completed');
  assert.ok(Number.isInteger(envelope.response_time_ms) && envelope.response_time_ms > 0);
  assert.match(envelope.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(envelope.completed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(Object.keys(envelope.result), RESULT_KEYS);
  assert.equal(envelope.result.is_real, true);
  assert.equal(envelope.result.is_spoof, false);
  assert.equal(envelope.result.attack_type, 0);
  assert.equal(envelope.result.attack_type_name, 'real');

  const again = await get(envelope.inference_id);
  assert.equal(again.statusCode, 200);
  assert.deepEqual(again.json(), envelope);
  const byHeader = await get(envelope.inference_id, { 'x-api-key': keyA });
  assert.deepEqual(byHeader.json(), envelope);

  // Another key's record is not found, exactly like a missing one.
  const otherKey = await get(envelope.inference_id, { authorization: `Bearer ${keyB}` });
  assertError(otherKey, 404, 'not_found', `Expected the id of an inference made with this API key but received '${envelope.inference_id}'`);
  assertError(await get('inf_000000000000000000000000'), 404, 'not_found');

  // The record holds the request's shape and sizes, the timings, no media.
  const record = store.inferences.find(envelope.inference_id)!;
  assert.equal(record.status, 'completed');
  assert.deepEqual(record.request, { field: 'video_url', frames: false, sources: [{ scheme: 'data', mediaType: 'video/mp4', byteLength: (await readFile(clip)).byteLength }], include: [] });
  assert.ok(typeof record.timingsMs?.queue === 'number' && typeof record.timingsMs?.total === 'number');
  assert.equal(record.evidence?.input.mode, 'video');
});

test('a clip with no face is inconclusive and fails closed; evidence comes when asked for, in POST and GET', async () => {
  const response = await post({ model: 'face-liveness', video_url: await dataUrl(await noFaceClip(), 'video/mp4'), include: ['evidence'] });
  assert.equal(response.statusCode, 200, response.body);
  const envelope = response.json();
  assert.deepEqual(Object.keys(envelope), [...ENVELOPE_KEYS, 'inconclusive', 'evidence']);
  assert.equal(envelope.inconclusive.code, 'no_face');
  assert.deepEqual(envelope.result, {
    is_real: false,
    is_spoof: true,
    real_probability: 0,
    confidence: 0,
    attack_type: 6,
    attack_type_name: 'unknown_attack',
    attack_type_confidence: 0,
  });
  assert.ok(envelope.evidence.frames.length > 0 && envelope.evidence.frames.every((f: { failure: string }) => f.failure === 'no_face'));
  assert.deepEqual((await get(envelope.inference_id)).json(), envelope);
});

test('image_url as an array of frames is analysed as one capture', { skip: noFranck }, async () => {
  const frames = await extractFrames(await franckClip('live-5s.mp4', 5), 4, 'server-frame');
  const response = await post({ model: 'face-liveness', image_url: await Promise.all(frames.map((path) => dataUrl(path, 'image/jpeg'))), include: ['evidence'] });
  assert.equal(response.statusCode, 200, response.body);
  const envelope = response.json();
  assert.equal(envelope.moderation_type, 'video');
  assert.equal(envelope.evidence.input.mode, 'frames');
  assert.equal(envelope.evidence.frames.length, 4);
  assert.equal(store.inferences.find(envelope.inference_id)?.request.sources.length, 4);
});

test('a text file as a data: URL is 415 unsupported_media, with the inference id; GET replays the error', async () => {
  const text = await writeScratch('server-text.txt', 'hello, not a video');
  const response = await post({ model: 'face-liveness', video_url: await dataUrl(text, 'video/mp4') });
  const body = assertError(response, 415, 'unsupported_media', /^Expected a video \(mp4, mov, avi, webm, mkv\) or an image/);
  assert.match(body.inference_id!, /^inf_[a-z0-9]{24}$/);
  const replay = await get(body.inference_id!);
  assert.equal(replay.statusCode, 415);
  assert.deepEqual(replay.json(), body);
  assert.equal(store.inferences.find(body.inference_id!)?.status, 'failed');
});

/** A multipart/form-data body: text fields, and files as [field, filename, type, bytes]. */
function form(fields: Record<string, string>, files: Array<[string, string, string, Buffer]>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----liveness-test-boundary';
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const [name, filename, type, bytes] of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`), bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { authorization: `Bearer ${keyA}`, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('a multipart upload of one file gets the same envelope; its record says how it came', { skip: noFranck }, async () => {
  const still = await readFile(FRANCK_STILL);
  const response = await app.inject({ method: 'POST', url: '/v1/inferences', ...form({ model: 'face-liveness', include: 'evidence' }, [['file', 'selfie.jpg', 'image/jpeg', still]]) });
  assert.equal(response.statusCode, 200, response.body);
  const envelope = response.json();
  assert.deepEqual(Object.keys(envelope).slice(0, ENVELOPE_KEYS.length), ENVELOPE_KEYS);
  assert.equal(envelope.moderation_type, 'image');
  assert.equal(envelope.evidence.input.mode, 'image');
  assert.equal(envelope.result.is_real, false, 'a single still fails closed (see README)');
  assert.deepEqual(store.inferences.find(envelope.inference_id)?.request, {
    field: 'file',
    frames: false,
    sources: [{ scheme: 'upload', mediaType: 'image/jpeg', byteLength: still.byteLength }],
    include: ['evidence'],
  });
});

test('bad multipart forms are 400 naming what was expected; an oversize file is 413', async () => {
  const bytes = Buffer.from('0123456789');
  const post = (fields: Record<string, string>, files: Array<[string, string, string, Buffer]>) => app.inject({ method: 'POST', url: '/v1/inferences', ...form(fields, files) });
  assertError(await post({}, [['file', 'a.mp4', 'video/mp4', bytes]]), 400, 'invalid_argument', "Expected 'face-liveness' for model but received undefined");
  assertError(await post({ model: 'face-liveness' }, []), 400, 'invalid_argument', "Expected the media in a file field named 'file' but the form has none");
  assertError(await post({ model: 'face-liveness' }, [['video', 'a.mp4', 'video/mp4', bytes]]), 400, 'invalid_argument', "Expected the media in a file field named 'file' but received a file field named 'video'");
  assertError(await post({ model: 'face-liveness', video_url: 'x' }, []), 400, 'invalid_argument', "Expected only the fields model, include, async, webhook_url and file in the form but received the field 'video_url'");
  assertError(await post({ model: 'face-liveness' }, [['file', 'a', 'video/mp4', bytes], ['file', 'b', 'video/mp4', bytes]]), 400, 'invalid_argument', 'Expected one file in the form but received more');
  assertError(await post({ model: 'face-liveness' }, [['file', 'a.txt', 'text/plain', bytes]]), 415, 'unsupported_media');

  const small = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer: inProcessAnalyzer(deps), store, analysis: withOverrides({ ingest: { maxBytes: 1000 } }) });
  try {
    const over = await small.inject({ method: 'POST', url: '/v1/inferences', ...form({ model: 'face-liveness' }, [['file', 'a.mp4', 'video/mp4', Buffer.alloc(2000)]]) });
    assertError(over, 413, 'media_too_large', 'Expected at most 0.0 MB (1,000 bytes) of media but the uploaded file is larger');
    const announced = await small.inject({ method: 'POST', url: '/v1/inferences', ...form({ model: 'face-liveness' }, [['file', 'a.mp4', 'video/mp4', Buffer.alloc(100_000)]]) });
    assertError(announced, 413, 'media_too_large', 'Expected at most 0.0 MB (1,000 bytes) of media but received an upload of 0.1 MB (100,247 bytes)');
  } finally {
    await small.close();
  }
});

test("GET of an inference still running is 202 with the envelope's shape, its status, and nulls for the outcome", async () => {
  const createdAt = new Date('2026-05-01T08:00:00.400Z');
  store.inferences.begin({ inferenceId: 'inf_running000000000000000000', keyId: keyAId, request: { field: 'video_url', frames: false, sources: [], include: [] }, createdAt });
  const response = await get('inf_running000000000000000000');
  assert.equal(response.statusCode, 202);
  assert.deepEqual(response.json(), {
    inference_id: 'inf_running000000000000000000',
    model_id: 'face_liveness',
    model_name: 'Face Liveness Detection',
    moderation_type: null,
    status: 'processing',
    result: null,
    response_time_ms: null,
    created_at: '2026-05-01T08:00:00Z',
    completed_at: null,
  });
});

test('no key, an unknown key, a malformed header or a revoked key is 401', async () => {
  const body = { model: 'face-liveness', video_url: 'data:video/mp4;base64,AAAA' };
  const none = await post(body, null);
  assertError(none, 401, 'unauthorized', 'Expected an API key in the Authorization header (Bearer <key>) or the x-api-key header but received none');
  assert.equal(none.headers['www-authenticate'], 'Bearer realm="liveness"');
  assertError(await post(body, 'lk_unknown'), 401, 'unauthorized', /received an unknown key$/);
  assertError(await app.inject({ method: 'GET', url: '/v1/inferences/inf_x', headers: { authorization: `Basic ${keyA}` } }), 401, 'unauthorized', /^Expected 'Bearer <key>'/);
  const { key, secret } = store.keys.create({ name: 'to revoke', ratePerMinute: 10 });
  store.keys.revoke(key.id);
  assertError(await post(body, secret), 401, 'unauthorized', /received a key revoked at \d{4}-/);
});

test('bad bodies are 400 with a message naming the field and what was expected', async () => {
  const cases: Array<[unknown, string, string]> = [
    [{ video_url: 'data:video/mp4;base64,AAAA' }, 'invalid_argument', "Expected 'face-liveness' for model but received undefined"],
    [{ model: 'face', video_url: 'data:video/mp4;base64,AAAA' }, 'invalid_argument', "Expected 'face-liveness' for model but received 'face' of type string"],
    [{ model: 'face-liveness' }, 'invalid_argument', 'Expected exactly one of video_url or image_url in the request body but received neither'],
    [{ model: 'face-liveness', video_url: 'data:,', image_url: 'data:,' }, 'invalid_argument', 'Expected exactly one of video_url or image_url in the request body but received both'],
    [{ model: 'face-liveness', video_url: 42 }, 'invalid_argument', 'Expected a URL string for video_url but received 42 of type number'],
    [{ model: 'face-liveness', video_url: ['data:,'] }, 'invalid_argument', 'Expected a URL string for video_url but received an array of length 1'],
    [{ model: 'face-liveness', image_url: [] }, 'invalid_argument', 'Expected a URL string or an array of 1 to 16 frame URLs for image_url but received an array of length 0'],
    [{ model: 'face-liveness', image_url: ['data:image/png;base64,AAAA', null] }, 'invalid_argument', 'Expected a URL string for image_url[1] but received null'],
    [{ model: 'face-liveness', image_url: Array(17).fill('data:,') }, 'too_many_frames', 'Expected at most 16 frame URLs for image_url but received 17'],
    [{ model: 'face-liveness', vidoe_url: 'data:,' }, 'invalid_argument', "Expected only the fields model, video_url, image_url, include, async, webhook_url in the request body but received the field 'vidoe_url'"],
    [{ model: 'face-liveness', video_url: 'data:video/mp4;base64,AAAA', include: 'evidence' }, 'invalid_argument', "Expected an array of the strings 'evidence' for include but received 'evidence' of type string"],
    [{ model: 'face-liveness', video_url: 'data:video/mp4;base64,AAAA', include: ['signals'] }, 'invalid_argument', "Expected an array of the strings 'evidence' for include but received 'signals' of type string at include[0]"],
    [{ model: 'face-liveness', video_url: 'ftp://example.com/a.mp4' }, 'invalid_argument', "Expected a data: URL (data:<type>;base64,<media>) or an http(s) URL for video_url but received 'ftp://example.com/a.mp4' of type string"],
    [{ model: 'face-liveness', video_url: 'data:video/mp4,plain' }, 'invalid_argument', "Expected a data: URL with base64 media (data:<type>;base64,<media>) for video_url but received 'data:video/mp4,plain' of type string"],
    [{ model: 'face-liveness', video_url: 'data:video/mp4;base64,AA!A' }, 'invalid_argument', 'Expected base64 media after the comma of the data: URL in video_url but received characters outside the base64 alphabet'],
    [['face-liveness'], 'invalid_argument', 'Expected a JSON object for the request body but received an array of length 1'],
  ];
  for (const [body, code, message] of cases) assertError(await post(body), 400, code, message);
});

test('an http URL is fetched from an allow-listed local server into the contract envelope; the record keeps its shape', { skip: noFranck }, async (t) => {
  const still = await readFile(FRANCK_STILL);
  // The bytes decide: a still sent as octet-stream from a path without an extension is an image.
  const base = await localServer(t, (_request, response) => response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(still));
  const fetching = fetchingApp(t);
  const response = await fetching.app.inject({ method: 'POST', url: '/v1/inferences', headers: { authorization: `Bearer ${keyA}` }, payload: { model: 'face-liveness', image_url: `${base}/selfie` } });
  assert.equal(response.statusCode, 200, response.body);
  const envelope = response.json();
  // A still is inconclusive (single_image): the contract's fields, then ours.
  assert.deepEqual(Object.keys(envelope), [...ENVELOPE_KEYS, 'inconclusive']);
  assert.equal(envelope.inconclusive.code, 'single_image');
  assert.equal(envelope.moderation_type, 'image');
  assert.equal(envelope.status, 'completed');
  assert.deepEqual(Object.keys(envelope.result), RESULT_KEYS);
  assert.deepEqual(store.inferences.find(envelope.inference_id)?.request.sources, [{ scheme: 'http', mediaType: 'application/octet-stream', byteLength: still.byteLength }]);
  assert.deepEqual(fetching.connected, [`${base}/selfie`]);
});

test('media URLs to metadata, private and loopback addresses are 403 url_not_allowed, and no socket is opened', async (t) => {
  const fetching = fetchingApp(t);
  const cases: Array<[string, string]> = [
    ['http://169.254.169.254/latest/meta-data/', 'its address 169.254.169.254, which is link-local (cloud metadata lives here)'],
    ['http://10.0.0.1/selfie.mp4', 'its address 10.0.0.1, which is private'],
    ['http://[::1]/selfie.mp4', 'its address ::1, which is unspecified, loopback or IPv4-compatible'],
  ];
  for (const [url, reason] of cases) {
    const response = await fetching.app.inject({ method: 'POST', url: '/v1/inferences', headers: { authorization: `Bearer ${keyA}` }, payload: { model: 'face-liveness', video_url: url } });
    assertError(response, 403, 'url_not_allowed', `Expected a URL this server may fetch for video_url but received '${url}': ${reason}; LIVENESS_URL_ALLOWLIST can allow it`);
  }
  const frames = await fetching.app.inject({
    method: 'POST',
    url: '/v1/inferences',
    headers: { authorization: `Bearer ${keyA}` },
    payload: { model: 'face-liveness', image_url: ['http://127.0.0.2/a.jpg'] },
  });
  assertError(frames, 403, 'url_not_allowed', /for image_url\[0\] but received 'http:\/\/127\.0\.0\.2\/a\.jpg': its address 127\.0\.0\.2, which is loopback/);
  assert.deepEqual(fetching.connected, []);
});

test('media URLs that fail: unresolvable name 502, HTTP error 502, silence 504, oversize 413', async (t) => {
  const base = await localServer(t, (request, response) => {
    if (request.url === '/missing') response.writeHead(404).end();
    else if (request.url === '/huge') response.writeHead(200, { 'content-length': String(60 * 1000 * 1000) }).flushHeaders();
    // '/silent': never answers.
  });
  const fetching = fetchingApp(t, { totalTimeoutMs: 300 });
  const send = (url: string) => fetching.app.inject({ method: 'POST', url: '/v1/inferences', headers: { authorization: `Bearer ${keyA}` }, payload: { model: 'face-liveness', video_url: url } });
  assertError(await send('http://media.invalid/selfie.mp4'), 502, 'url_fetch_failed', 'Expected to fetch http://media.invalid/selfie.mp4 for video_url but its host name could not be resolved');
  assertError(await send(`${base}/missing`), 502, 'url_fetch_failed', `Expected HTTP status 200 from ${base}/missing for video_url but received 404`);
  assertError(await send(`${base}/silent`), 504, 'url_fetch_timeout', `Expected ${base}/silent for video_url to answer within 300 ms in all but it did not`);
  assertError(await send(`${base}/huge`), 413, 'media_too_large', 'Expected at most 50 MB of media for video_url but the server announced 60 MB');
});

test('bodies that are not JSON: invalid JSON, no body, another content type', async () => {
  const headers = { authorization: `Bearer ${keyA}` };
  const invalid = await app.inject({ method: 'POST', url: '/v1/inferences', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"model":' });
  assertError(invalid, 400, 'invalid_argument', 'Expected a JSON object for the request body but received text that is not valid JSON');
  const empty = await app.inject({ method: 'POST', url: '/v1/inferences', headers });
  assertError(empty, 400, 'invalid_argument', 'Expected a JSON object for the request body but received undefined');
  const text = await app.inject({ method: 'POST', url: '/v1/inferences', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
  assertError(text, 415, 'unsupported_content_type', "Expected Content-Type application/json or multipart/form-data but received 'text/plain'");
});

test('a body over the media limit is 413 before it is read, whatever it carries', async () => {
  const small = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer: inProcessAnalyzer(deps), store, analysis: withOverrides({ ingest: { maxBytes: 300_000 } }) });
  try {
    const headers = { authorization: `Bearer ${keyA}` };
    const tooBig = await small.inject({ method: 'POST', url: '/v1/inferences', headers, payload: { model: 'face-liveness', video_url: `data:video/mp4;base64,${'A'.repeat(600_000)}` } });
    assertError(tooBig, 413, 'media_too_large', /^Expected a request body of at most 0\.4 MB \(365,536 bytes\) \(the media limit and 64 KiB for the form; .*\) but received 0\.6 MB \(600,062 bytes\)$/);
    const notJson = await small.inject({ method: 'POST', url: '/v1/inferences', headers: { ...headers, 'content-type': 'application/json' }, payload: Buffer.alloc(400_000, 0x41) });
    assertError(notJson, 413, 'media_too_large', /but received 0\.4 MB \(400,000 bytes\)$/);
  } finally {
    await small.close();
  }
});

test('/healthz answers at once; /readyz and the API say not_ready (503, Retry-After) until the models load', async (t) => {
  let resolveAnalyzer!: (value: Analyzer) => void;
  let fetched = 0;
  const media = await localServer(t, (_request, response) => {
    fetched++;
    response.end('never fetched');
  });
  const config = readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_AUTH: 'off', LIVENESS_URL_ALLOWLIST: '127.0.0.1' });
  const loading = buildApp({ config, analyzer: new Promise<Analyzer>((resolve) => (resolveAnalyzer = resolve)), store });
  try {
    assert.equal((await loading.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const notReady = await loading.inject({ method: 'GET', url: '/readyz' });
    assertError(notReady, 503, 'not_ready', 'Expected the models to be loaded but they are still loading; retry in a few seconds');
    assert.equal(notReady.headers['retry-after'], '4');
    const post = await loading.inject({ method: 'POST', url: '/v1/inferences', payload: { model: 'face-liveness', video_url: 'data:video/mp4;base64,AAAA' } });
    assertError(post, 503, 'not_ready');
    const byUrl = await loading.inject({ method: 'POST', url: '/v1/inferences', payload: { model: 'face-liveness', video_url: `${media}/selfie.mp4` } });
    assertError(byUrl, 503, 'not_ready');
    assert.equal(fetched, 0, 'a server that cannot analyse does not download the media first');
    resolveAnalyzer(inProcessAnalyzer(deps));
    await new Promise((resolve) => setImmediate(resolve));
    const ready = await loading.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', models: deps.versions });
  } finally {
    await loading.close();
  }
});

test('LIVENESS_AUTH=off accepts callers without a key', async () => {
  const open = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_AUTH: 'off' }), analyzer: inProcessAnalyzer(deps), store });
  try {
    const response = await open.inject({ method: 'POST', url: '/v1/inferences', payload: { model: 'face-liveness', video_url: 'data:text/plain;base64,aGVsbG8=' } });
    const body = assertError(response, 415, 'unsupported_media');
    assert.equal(store.inferences.find(body.inference_id!)?.keyId, null);
  } finally {
    await open.close();
  }
});

test('a key over its rate per minute gets 429 with Retry-After', async () => {
  const { secret } = store.keys.create({ name: 'slow', ratePerMinute: 2 });
  const headers = { authorization: `Bearer ${secret}` };
  for (let i = 0; i < 2; i++) assert.equal((await get('inf_x', headers)).statusCode, 404);
  const limited = await get('inf_x', headers);
  assertError(limited, 429, 'rate_limited', /^Expected at most 2 requests per minute for API key key_[a-z0-9]{12} but received more; retry after \d+ s$/);
  const retryAfterS = Number(limited.headers['retry-after']);
  assert.ok(retryAfterS >= 1 && retryAfterS <= 60);
  assert.equal((await get('inf_x')).statusCode, 404, 'other keys are not limited');
});

test('an unknown route is 404 not_found in the same error shape', async () => {
  assertError(await app.inject({ method: 'GET', url: '/v2/things' }), 404, 'not_found', 'Expected one of the routes POST /v1/inferences, GET /v1/inferences/:id, GET /v1/inferences/:id/webhook, POST /v1/sessions, GET /v1/sessions/:id, POST /v1/sessions/:id/challenge, POST /v1/sessions/:id/capture, GET /capture, GET /healthz, GET /readyz, GET /openapi.json, GET /docs or GET /metrics but received GET /v2/things');
});
