/**
 * /metrics in the Prometheus text format after real requests: counts by route and status, the
 * analysis' stage timings, its verdict, the queue and a refused media URL (no socket is opened).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadDeps } from '../../src/deps.js';
import { inProcessAnalyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import { readServerConfig } from '../../src/server/config.js';
import type { ConnectRequest } from '../../src/server/fetch-media.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FRANCK_STILL, noFranck } from '../helpers/media.js';

let dataDir: string;
let store: Store;
let app: FastifyInstance;
const connected: ConnectRequest[] = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-metrics-'));
  store = openStore(dataDir);
  const connect = async (request: ConnectRequest): Promise<never> => {
    connected.push(request);
    throw new Error('this test opens no sockets');
  };
  const config = readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_AUTH: 'off' });
  app = buildApp({ config, analyzer: inProcessAnalyzer(await loadDeps()), store, urlFetch: { connect } });
});

after(async () => {
  await app.close();
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function scrape(): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(response.statusCode, 200);
  assert.match(response.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
  return response.body;
}

test('an analysis is counted by route and status, timed by stage, and its verdict counted', { skip: noFranck }, async () => {
  const still = (await readFile(FRANCK_STILL)).toString('base64');
  const response = await app.inject({ method: 'POST', url: '/v1/inferences', payload: { model: 'face-liveness', image_url: `data:image/jpeg;base64,${still}` } });
  assert.equal(response.statusCode, 200, response.body);
  const attackType = response.json().result.attack_type_name as string;
  const text = await scrape();
  assert.match(text, /^liveness_http_requests_total\{method="POST",route="\/v1\/inferences",status="200"\} 1$/m);
  assert.match(text, /^liveness_stage_duration_seconds_count\{stage="total"\} 1$/m);
  assert.match(text, /^liveness_stage_duration_seconds_count\{stage="ingest"\} 1$/m);
  assert.match(text, new RegExp(`^liveness_verdicts_total\\{attack_type="${attackType}",inconclusive="(true|false)"\\} 1$`, 'm'));
  assert.match(text, /^liveness_analysis_queue_depth\{state="running"\} 0$/m);
  assert.match(text, /^liveness_analysis_queue_depth\{state="waiting"\} 0$/m);
});

test('a refused media URL is counted by its reason, and unknown routes do not add a label per URL', async () => {
  const refused = await app.inject({ method: 'POST', url: '/v1/inferences', payload: { model: 'face-liveness', video_url: 'http://169.254.169.254/latest/meta-data/' } });
  assert.equal(refused.statusCode, 403, refused.body);
  await app.inject({ method: 'GET', url: '/no/such/route/1' });
  await app.inject({ method: 'GET', url: '/no/such/route/2' });
  const text = await scrape();
  assert.match(text, /^liveness_url_fetch_failures_total\{reason="url_not_allowed"\} 1$/m);
  assert.match(text, /^liveness_http_requests_total\{method="POST",route="\/v1\/inferences",status="403"\} 1$/m);
  assert.match(text, /^liveness_http_requests_total\{method="GET",route="unmatched",status="404"\} 2$/m);
  assert.doesNotMatch(text, /no\/such\/route/);
  assert.equal(connected.length, 0);
});
