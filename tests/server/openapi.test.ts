/**
 * The OpenAPI 3.1 document at /openapi.json and Swagger UI at /docs, from a built app (no models
 * needed): every route and every error code documented, and the UI's files served locally.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ERROR_TABLE } from '../../src/errors.js';
import type { Analyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import { readServerConfig } from '../../src/server/config.js';
import { openStore, type Store } from '../../src/store/index.js';

interface OpenApiDocument {
  openapi: string;
  info: { description: string };
  paths: Record<string, Record<string, { responses: Record<string, { description: string }>; security?: unknown[] }>>;
  components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } } };
}

let dataDir: string;
let store: Store;
let app: FastifyInstance;
let document: OpenApiDocument;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-openapi-'));
  store = openStore(dataDir);
  // The document does not need the models: an analyzer that never loads keeps this test fast.
  app = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer: new Promise<Analyzer>(() => undefined), store });
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(response.statusCode, 200, 'no API key is needed for the document');
  document = response.json();
});

after(async () => {
  await app.close();
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

test('/openapi.json is OpenAPI 3.1 with every route, and /v1 routes ask for a key', () => {
  assert.equal(document.openapi, '3.1.0');
  assert.deepEqual(Object.keys(document.paths).sort(), ['/healthz', '/readyz', '/v1/inferences', '/v1/inferences/{id}', '/v1/inferences/{id}/webhook', '/v1/sessions', '/v1/sessions/{id}', '/v1/sessions/{id}/capture', '/v1/sessions/{id}/challenge']);
  assert.ok(document.paths['/v1/inferences']!.post!.responses['200']);
  assert.ok(document.paths['/v1/inferences/{id}']!.get!.responses['202']);
  assert.deepEqual(document.paths['/v1/inferences']!.post!.security, [{ bearer: [] }, { apiKey: [] }]);
});

test('the asynchronous mode is documented: 202 queued, the webhook headers and signature, the webhook route', () => {
  const post = document.paths['/v1/inferences']!.post! as unknown as { responses: Record<string, { description: string }>; requestBody: { content: Record<string, { schema: { properties: Record<string, { description: string }> } }> } };
  assert.match(post.responses['202']!.description, /queued/);
  const fields = post.requestBody.content['application/json']!.schema.properties;
  assert.match(fields.async!.description, /202/);
  for (const words of ['Liveness-Timestamp', 'Liveness-Signature', 'v1=<hex HMAC-SHA256', 'liveness keys webhook-secret', 'LIVENESS_WEBHOOK_MAX_ATTEMPTS']) assert.ok(fields.webhook_url!.description.includes(words), words);
  assert.ok(document.paths['/v1/inferences/{id}/webhook']!.get!.responses['200']);
  assert.ok(document.paths['/v1/inferences/{id}']!.get!.responses['503']!.description.includes('`analysis_interrupted`'));
});

test('every error code of the table is documented with its status and meaning', () => {
  const codes = Object.keys(ERROR_TABLE);
  assert.deepEqual(document.components.schemas.Error.properties.error.properties.code.enum, codes);
  for (const [code, { httpStatus, description }] of Object.entries(ERROR_TABLE)) {
    assert.ok(document.info.description.includes(`| \`${code}\` | ${httpStatus} | ${description} |`), code);
  }
  // Each code a POST can answer with sits under its own status there.
  const post = document.paths['/v1/inferences']!.post!.responses;
  for (const code of ['invalid_argument', 'url_not_allowed', 'media_too_large', 'url_fetch_failed', 'url_fetch_timeout', 'server_busy', 'rate_limited']) {
    const status = String(ERROR_TABLE[code as keyof typeof ERROR_TABLE].httpStatus);
    assert.ok(post[status]?.description.includes(`\`${code}\``), `${code} under ${status}`);
  }
});

test('/docs is Swagger UI from local files: no script or style from another host', async () => {
  const page = await app.inject({ method: 'GET', url: '/docs' });
  assert.equal(page.statusCode, 200);
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  assert.ok(assets.length >= 3);
  for (const asset of assets) {
    assert.match(asset, /^\/docs\/static\//, asset);
    const file = await app.inject({ method: 'GET', url: asset });
    assert.equal(file.statusCode, 200, asset);
  }
  const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
  assert.doesNotMatch(initializer.body, /url: "https?:/);
});
