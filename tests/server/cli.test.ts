/** The `liveness keys` and `liveness serve` commands, run as a user would run them. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deriveWebhookSecret, verifyWebhookSignature, WEBHOOK_SERVER_SECRET } from '../../src/server/webhook-signature.js';
import { openStore } from '../../src/store/index.js';
import { BIN, runCli } from '../helpers/cli.js';
import { franckClip, noFranck } from '../helpers/media.js';

let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'liveness-cli-server-'));
});
after(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { LIVENESS_DATA_DIR: dataDir, ...env });

test('keys create prints the key once, on its last line; list shows ids, never keys; revoke marks it', async () => {
  const created = await run(['keys', 'create', '--name', 'ci bot', '--rate', '30/min']);
  assert.equal(created.code, 0, created.stderr);
  const lines = created.stdout.trim().split('\n');
  const secret = lines.at(-1)!;
  assert.match(secret, /^lk_[0-9A-Za-z]{32}$/);
  const id = /Created API key (key_[a-z0-9]{12}) \('ci bot', 30 requests per minute\)/.exec(created.stdout)?.[1];
  assert.ok(id, created.stdout);

  const listed = await run(['keys', 'list']);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /^id\s+name\s+rate\/min\s+created\s+status\n/);
  assert.match(listed.stdout, new RegExp(`${id}\\s+ci bot\\s+30\\s+\\S+\\s+active`));
  assert.ok(!listed.stdout.includes(secret));

  const revoked = await run(['keys', 'revoke', id]);
  assert.equal(revoked.code, 0);
  assert.match((await run(['keys', 'list'])).stdout, new RegExp(`${id}\\s+ci bot\\s+30\\s+\\S+\\s+revoked \\d{4}-`));

  const unknown = await run(['keys', 'revoke', 'key_nope']);
  assert.equal(unknown.code, 3);
  assert.equal(unknown.stderr, "liveness: not_found: Expected the id of an API key (see `liveness keys list`) but received 'key_nope'\n");
  const badRate = await run(['keys', 'create', '--rate', 'fast']);
  assert.equal(badRate.code, 3);
  assert.match(badRate.stderr, /invalid_argument: Expected requests per minute as N or N\/min, from 1 to 1000000 for --rate but received 'fast'/);
});

test('keys create prints the webhook signing secret before the key; keys webhook-secret prints it again, as the server derives it', async () => {
  const created = await run(['keys', 'create', '--name', 'hooks']);
  assert.equal(created.code, 0, created.stderr);
  const id = /Created API key (key_[a-z0-9]{12})/.exec(created.stdout)![1]!;
  const secret = /^Webhook signing secret .*: (whsec_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
  assert.ok(secret, created.stdout);
  assert.match(created.stdout.trim().split('\n').at(-1)!, /^lk_[0-9A-Za-z]{32}$/, 'the key stays on the last line');

  const again = await run(['keys', 'webhook-secret', id]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, `${secret}\n`);
  const store = openStore(dataDir);
  try {
    assert.equal(deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), id), secret);
    const deployment = await run(['keys', 'webhook-secret']);
    assert.equal(deployment.stdout, `${deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), null)}\n`);
    assert.notEqual(deployment.stdout, again.stdout);
  } finally {
    store.close();
  }
  const unknown = await run(['keys', 'webhook-secret', 'key_nope']);
  assert.equal(unknown.code, 3);
  assert.equal(unknown.stderr, "liveness: not_found: Expected the id of an API key (see `liveness keys list`) but received 'key_nope'\n");
});

test('a bad setting stops serve before it starts, naming the variable', async () => {
  const { code, stderr } = await run(['serve'], { LIVENESS_PORT: 'eighty' });
  assert.equal(code, 3);
  assert.equal(stderr, "liveness: invalid_config: Expected an integer from 0 to 65535 for LIVENESS_PORT but received 'eighty' of type string\n");
});

/** `liveness serve` in a child process on a free port, once it answers /readyz with 200. */
async function startServe(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LIVENESS_DATA_DIR: dataDir, LIVENESS_PORT: '0', ...env } });
  const exited = new Promise<number | null>((done) => child.on('close', done));
  try {
    let log = '';
    const url = await new Promise<string>((found, fail) => {
      child.stdout!.on('data', (d) => {
        log += d;
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
        if (match) found(match[1]!);
      });
      child.on('close', () => fail(new Error(`serve exited early: ${log}`)));
    });
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    let ready = await fetch(`${url}/readyz`);
    for (let i = 0; i < 100 && ready.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ready = await fetch(`${url}/readyz`);
    }
    assert.equal(ready.status, 200);
    return { url, child, exited };
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
}

test('serve listens, becomes ready, answers with a key, and exits 0 on SIGTERM', async () => {
  const secret = (await run(['keys', 'create'])).stdout.trim().split('\n').at(-1)!;
  const { url, child, exited } = await startServe();
  try {
    const response = await fetch(`${url}/v1/inferences`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'face-liveness', video_url: `data:video/mp4;base64,${Buffer.from('not a video').toString('base64')}` }),
    });
    assert.equal(response.status, 415);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unsupported_media');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});

test('SIGTERM right after an async request is accepted: serve finishes the analysis and delivers its webhook, then exits 0', { skip: noFranck }, async (t) => {
  const lines = (await run(['keys', 'create'])).stdout.trim().split('\n');
  const secret = lines.at(-1)!;
  const webhookSecret = /(whsec_\S+)$/m.exec(lines.join('\n'))![1]!;
  const deliveries: Array<{ body: string; timestamp: string; signature: string }> = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      deliveries.push({ body, timestamp: request.headers['liveness-timestamp'] as string, signature: request.headers['liveness-signature'] as string });
      response.writeHead(204).end();
    });
  });
  t.after(() => receiver.close());
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const { url, child, exited } = await startServe({ LIVENESS_URL_ALLOWLIST: '127.0.0.1' });
  let id: string;
  try {
    const video = (await readFile(await franckClip('live-5s.mp4', 5))).toString('base64');
    const response = await fetch(`${url}/v1/inferences`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'face-liveness', video_url: `data:video/mp4;base64,${video}`, async: true, webhook_url: webhookUrl }),
    });
    assert.equal(response.status, 202);
    id = ((await response.json()) as { inference_id: string }).inference_id;
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
  assert.equal(deliveries.length, 1);
  const body = JSON.parse(deliveries[0]!.body) as { inference_id: string; status: string };
  assert.deepEqual([body.inference_id, body.status], [id, 'completed']);
  assert.ok(verifyWebhookSignature({ secret: webhookSecret, body: deliveries[0]!.body, timestamp: deliveries[0]!.timestamp, signature: deliveries[0]!.signature }));
});
