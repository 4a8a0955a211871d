/** The capture page as the server sends it: its own files only, a strict CSP, marked with the session's challenge and status. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Analyzer } from '../../src/server/analyzer.js';
import { buildApp } from '../../src/server/app.js';
import { readServerConfig } from '../../src/server/config.js';
import { openStore, type Store } from '../../src/store/index.js';

let dataDir: string;
let store: Store;
let app: FastifyInstance;
let key: string;
let clockMs = Date.parse('2026-11-25T12:00:00.000Z');

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-capture-page-'));
  store = openStore(dataDir);
  key = store.keys.create({ name: 'page', ratePerMinute: 1000 }).secret;
  // The page needs no models: an analyzer that never loads keeps this test fast.
  const checker = { check: async () => { throw new Error('not used'); } };
  app = buildApp({ config: readServerConfig({ LIVENESS_DATA_DIR: dataDir }), analyzer: new Promise<Analyzer>(() => undefined), challengeChecker: checker, store, now: () => new Date(clockMs) });
});

after(async () => {
  await app.close();
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function createSession(challenge: string): Promise<{ session_id: string; capture_url: string }> {
  const response = await app.inject({ method: 'POST', url: '/v1/sessions', headers: { authorization: `Bearer ${key}` }, payload: { challenge, expires_in_s: 60 } });
  return response.json();
}

test('GET /capture is the page, with no key, marked with the challenge and a CSP that keeps everything on this origin', async () => {
  const session = await createSession('colour');
  const page = await app.inject({ method: 'GET', url: session.capture_url });
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['content-type'] as string, /^text\/html/);
  assert.match(page.body, /<html lang="en" data-challenge="colour" data-session-status="pending">/);
  const csp = page.headers['content-security-policy'] as string;
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.equal(page.headers['cache-control'], 'no-store');
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  assert.deepEqual(assets.sort(), ['/capture/capture.css', '/capture/capture.js']);
  for (const asset of assets) {
    const file = await app.inject({ method: 'GET', url: asset });
    assert.equal(file.statusCode, 200, asset);
    assert.doesNotMatch(file.body, /https?:\/\//, `${asset} loads nothing from another host`);
  }
});

test('the page knows an unknown or expired session before it asks for the camera', async () => {
  const unknown = await app.inject({ method: 'GET', url: '/capture?session=ses_000000000000000000000000' });
  assert.match(unknown.body, /data-session-status="unknown"/);
  const session = await createSession('none');
  clockMs += 61_000;
  try {
    const expired = await app.inject({ method: 'GET', url: session.capture_url });
    assert.match(expired.body, /data-challenge="none" data-session-status="expired"/);
  } finally {
    clockMs -= 61_000;
  }
});

test('only the page\'s own files are served', async () => {
  const response = await app.inject({ method: 'GET', url: '/capture/..%2F..%2Fpackage.json' });
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error.code, 'not_found');
});

test('the embeddable element is served to other origins, and only listed origins may frame the page', async () => {
  const element = await app.inject({ method: 'GET', url: '/capture/liveness-capture.js' });
  assert.equal(element.statusCode, 200);
  assert.equal(element.headers['access-control-allow-origin'], '*');
  assert.match(element.body, /customElements\.define\('liveness-capture'/);
  const embedding = buildApp({
    config: readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_FRAME_ANCESTORS: 'https://app.example.com, http://127.0.0.1:8081' }),
    analyzer: new Promise<Analyzer>(() => undefined),
    store,
  });
  try {
    const page = await embedding.inject({ method: 'GET', url: '/capture?session=ses_unknown' });
    assert.match(page.headers['content-security-policy'] as string, /frame-ancestors 'self' https:\/\/app\.example\.com http:\/\/127\.0\.0\.1:8081(;|$)/);
  } finally {
    await embedding.close();
  }
  const page = await app.inject({ method: 'GET', url: '/capture?session=ses_unknown' });
  assert.match(page.headers['content-security-policy'] as string, /frame-ancestors 'self'(;|$)/);
});
