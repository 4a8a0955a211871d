/**
 * The JSON log: a request id on every line (and on the reply), and no API key, URL credential or
 * secret-looking query value in any line, whatever the request carried.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { Analyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import { readServerConfig } from '../../src/server/config.js';
import { redactUrls } from '../../src/server/logging.js';
import { openStore } from '../../src/store/index.js';

test('redactUrls masks URL credentials and secret query values, and nothing else', () => {
  assert.equal(redactUrls('fetching https://alice:hunter2@media.example/x.mp4 failed'), 'fetching https://***@media.example/x.mp4 failed');
  assert.equal(redactUrls('/capture?session=ses_1&token=abc123'), '/capture?session=ses_1&token=***');
  assert.equal(redactUrls('/v1/x?api_key=lk_1&page=2&Signature=zz'), '/v1/x?api_key=***&page=2&Signature=***');
  assert.equal(redactUrls('/v1/inferences/inf_abc?include=evidence'), '/v1/inferences/inf_abc?include=evidence');
});

test('log lines carry the request id the reply carries, and never the key or URL secrets', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'liveness-logging-'));
  const store = openStore(dataDir);
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const analyzer: Analyzer = { versions: {}, analyze: async () => { throw new Error('no analysis in this test'); } };
  const app = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer, store, logger: { level: 'info', stream } });
  t.after(async () => {
    await app.close();
    store.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const key = store.keys.create({ name: 'log', ratePerMinute: 100 }).secret;

  const unknown = await app.inject({ method: 'GET', url: '/v1/inferences/inf_000000000000000000000000?token=tok_secret_1', headers: { authorization: `Bearer ${key}` } });
  assert.equal(unknown.statusCode, 404);
  const traced = await app.inject({
    method: 'POST', url: '/v1/inferences', headers: { 'x-api-key': key, 'x-request-id': 'trace-42' },
    payload: { model: 'face-liveness', video_url: 'http://bob:pa55word@10.0.0.1/selfie.mp4' },
  });
  assert.equal(traced.statusCode, 403);
  assert.equal(traced.headers['x-request-id'], 'trace-42', 'an incoming request id is kept');
  const hostile = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'not an id\n{"level":60}' } });
  assert.match(String(hostile.headers['x-request-id']), /^[0-9a-f-]{36}$/, 'a malformed one is replaced by a UUID');

  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.ok(lines.length >= 6, `a line as each request comes and goes (${lines.length})`);
  assert.ok(lines.every((line) => typeof line.reqId === 'string'), 'every request line has its id');
  assert.ok(lines.some((line) => line.reqId === unknown.headers['x-request-id']), 'the reply names the id the log uses');
  assert.ok(lines.some((line) => line.reqId === 'trace-42'));
  for (const secret of [key, 'tok_secret_1', 'pa55word']) assert.ok(!text.includes(secret), `${secret.slice(0, 6)}… is not in the log`);
  assert.ok(text.includes('token=***'), 'the masked query is logged');
});
