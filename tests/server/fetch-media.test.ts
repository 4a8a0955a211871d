/**
 * Fetching http(s) media URLs without server-side request forgery. Every server here listens on
 * 127.0.0.1, allow-listed for the test; every other address is refused before a socket opens, which
 * an injected connector proves by never being called. Nothing leaves this machine.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { LivenessError } from '../../src/errors.js';
import { readServerConfig } from '../../src/server/config.js';
import { DEFAULT_FETCH_OPTIONS, fetchMedia, type ConnectRequest, type FetchMediaOptions } from '../../src/server/fetch-media.js';

const LOCAL = readServerConfig({ LIVENESS_URL_ALLOWLIST: '127.0.0.1/32' }).urlAllowlist;
const MAX_BYTES = 50 * 1000 * 1000;
const servers: Array<{ close(): void; closeAllConnections(): void }> = [];

after(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A real HTTP server on 127.0.0.1; resolves to its base URL. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function options(overrides: Partial<FetchMediaOptions> = {}): FetchMediaOptions {
  return { ...DEFAULT_FETCH_OPTIONS, allowlist: LOCAL, maxBytes: MAX_BYTES, ...overrides };
}

/** A connector that records each call and never opens a socket. */
function recordingConnector() {
  const calls: ConnectRequest[] = [];
  return {
    calls,
    connect: async (request: ConnectRequest): Promise<never> => {
      calls.push(request);
      throw new Error('the test connector opens no sockets');
    },
  };
}

async function assertRefused(work: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof LivenessError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

test('the bytes of an allow-listed local server come back with the declared type and the scheme', async () => {
  const base = await serve((_request, response) => response.writeHead(200, { 'content-type': 'image/jpeg; charset=binary' }).end(Buffer.from('not really a jpeg')));
  const media = await fetchMedia(`${base}/face.jpg`, 'image_url', options());
  assert.equal(media.bytes.toString(), 'not really a jpeg');
  assert.equal(media.scheme, 'http');
  assert.equal(media.mediaType, 'image/jpeg');
});

test('loopback is refused when it is not allow-listed, and no socket is opened', async () => {
  const { calls, connect } = recordingConnector();
  await assertRefused(
    fetchMedia('http://127.0.0.1:9/clip.mp4', 'video_url', options({ allowlist: [], connect })),
    'url_not_allowed',
    /^Expected a URL this server may fetch for video_url but received 'http:\/\/127\.0\.0\.1:9\/clip\.mp4': its address 127\.0\.0\.1, which is loopback; LIVENESS_URL_ALLOWLIST can allow it$/,
  );
  assert.equal(calls.length, 0);
});

test('metadata, private, CGNAT, IPv6 loopback, unique-local and IPv4-mapped addresses are refused without a socket', async () => {
  const { calls, connect } = recordingConnector();
  const cases: Array<[string, RegExp]> = [
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254, which is link-local/],
    ['http://10.0.0.1/clip.mp4', /10\.0\.0\.1, which is private/],
    ['http://172.16.5.4/clip.mp4', /which is private/],
    ['http://192.168.1.1/clip.mp4', /which is private/],
    ['http://100.64.0.1/clip.mp4', /which is shared \(CGNAT\)/],
    ['http://0.0.0.0/clip.mp4', /which is unspecified/],
    ['http://224.0.0.1/clip.mp4', /which is multicast/],
    ['http://255.255.255.255/clip.mp4', /which is reserved or broadcast/],
    ['http://[::1]/clip.mp4', /::1, which is unspecified, loopback/],
    ['http://[::]/clip.mp4', /which is unspecified, loopback/],
    ['http://[fd00::1]/clip.mp4', /which is unique local/],
    ['http://[fe80::1]/clip.mp4', /which is link-local/],
    ['http://[::ffff:127.0.0.2]/clip.mp4', /which is loopback/],
    ['http://[::ffff:169.254.169.254]/clip.mp4', /which is link-local/],
    ['https://[::ffff:a00:1]/clip.mp4', /which is private/],
  ];
  for (const [url, reason] of cases) {
    // Allow-listing 127.0.0.1 must not open ::1 or mapped spellings of other networks.
    await assertRefused(fetchMedia(url, 'video_url', options({ connect })), 'url_not_allowed', reason);
  }
  assert.equal(calls.length, 0);
});

test('a host name that resolves to loopback is refused; the resolver is asked once and no socket is opened', async () => {
  const { calls, connect } = recordingConnector();
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    return [{ address: '93.184.215.14', family: 4 as const }, { address: '127.0.0.1', family: 4 as const }];
  };
  await assertRefused(
    fetchMedia('https://media.example.com/clip.mp4', 'video_url', options({ allowlist: [], resolve, connect })),
    'url_not_allowed',
    /media\.example\.com resolves to 127\.0\.0\.1, which is loopback/,
  );
  assert.deepEqual(asked, ['media.example.com']);
  assert.equal(calls.length, 0);
});

test('the connection goes to the checked address, with the URL host kept for the Host header', async () => {
  let host: string | undefined;
  const base = await serve((request, response) => {
    host = request.headers.host;
    response.end('bytes');
  });
  const port = new URL(base).port;
  const resolve = async () => [{ address: '127.0.0.1', family: 4 as const }];
  const allowlist = readServerConfig({ LIVENESS_URL_ALLOWLIST: 'media.example.com' }).urlAllowlist;
  const media = await fetchMedia(`http://media.example.com:${port}/clip.mp4`, 'video_url', options({ allowlist, resolve }));
  assert.equal(media.bytes.toString(), 'bytes');
  assert.equal(host, `media.example.com:${port}`);
});

test('only http and https are fetched', async () => {
  await assertRefused(fetchMedia('ftp://127.0.0.1/clip.mp4', 'video_url', options()), 'url_not_allowed', /it was a ftp: URL; only http: and https: are fetched$/);
});

test('a redirect to a private address is refused before it is followed', async () => {
  const { calls, connect } = recordingConnector();
  let hops = 0;
  const base = await serve((_request, response) => {
    hops++;
    response.writeHead(302, { location: 'http://10.0.0.1/clip.mp4' }).end();
  });
  // The first hop goes through the real connector; the redirect's target must never reach one.
  const realConnect = DEFAULT_FETCH_OPTIONS.connect;
  const connectFirstOnly = async (request: ConnectRequest) => (request.url.hostname === '127.0.0.1' ? realConnect(request) : connect(request));
  await assertRefused(fetchMedia(`${base}/start`, 'video_url', options({ connect: connectFirstOnly })), 'url_not_allowed', /its address 10\.0\.0\.1, which is private/);
  assert.equal(hops, 1);
  assert.equal(calls.length, 0);
});

test('redirects are followed up to 3 times, and a 4th is refused', async () => {
  const base = await serve((request, response) => {
    const hop = Number(new URL(request.url!, 'http://x').searchParams.get('hop'));
    if (hop < Number(new URL(request.url!, 'http://x').searchParams.get('until'))) response.writeHead(307, { location: `/clip?hop=${hop + 1}&until=${new URL(request.url!, 'http://x').searchParams.get('until')}` }).end();
    else response.end(`arrived after ${hop}`);
  });
  assert.equal((await fetchMedia(`${base}/clip?hop=0&until=3`, 'video_url', options())).bytes.toString(), 'arrived after 3');
  await assertRefused(fetchMedia(`${base}/clip?hop=0&until=4`, 'video_url', options()), 'url_not_allowed', /it redirected more than 3 times$/);
});

test('an HTTP error status and a refused connection are url_fetch_failed', async () => {
  const base = await serve((_request, response) => response.writeHead(404).end('gone'));
  await assertRefused(fetchMedia(`${base}/missing.mp4?sig=secret`, 'video_url', options()), 'url_fetch_failed', /^Expected HTTP status 200 from http:\/\/127\.0\.0\.1:\d+\/missing\.mp4 for video_url but received 404$/);
  const closed = await serve(() => undefined);
  servers.at(-1)!.close();
  await assertRefused(fetchMedia(`${closed}/clip.mp4`, 'video_url', options()), 'url_fetch_failed', /the connection was refused$/);
});

test('a server that stops sending is cut off at the total timeout', async () => {
  const base = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'video/mp4' });
    response.write('the first bytes, and then nothing');
  });
  const startedAt = performance.now();
  await assertRefused(fetchMedia(`${base}/slow.mp4`, 'video_url', options({ totalTimeoutMs: 300 })), 'url_fetch_timeout', /to answer within 300 ms in all but it did not$/);
  assert.ok(performance.now() - startedAt < 2_000);
});

test('a server that never answers is cut off at the total timeout too', async () => {
  const base = await serve(() => undefined);
  await assertRefused(fetchMedia(`${base}/silent.mp4`, 'video_url', options({ totalTimeoutMs: 300 })), 'url_fetch_timeout', /within 300 ms in all/);
});

test('an endless body is cut off at 50 MB with media_too_large', async () => {
  const chunk = Buffer.alloc(1 << 20);
  let sentBytes = 0;
  const base = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'video/mp4' });
    const pump = () => {
      while (!response.destroyed && response.write(chunk)) sentBytes += chunk.byteLength;
      if (!response.destroyed) response.once('drain', pump);
    };
    pump();
  });
  await assertRefused(fetchMedia(`${base}/endless.mp4`, 'video_url', options()), 'media_too_large', /^Expected at most 50 MB of media for video_url but the server sent more$/);
  assert.ok(sentBytes < 2 * MAX_BYTES, `the server sent ${sentBytes} bytes`);
});

test('an announced 60 MB body is refused before any of it is read', async () => {
  const base = await serve((_request, response) => {
    // The head promises 60 MB and no byte of it follows: reading would hang until the timeout.
    response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(60 * 1000 * 1000) });
    response.flushHeaders();
  });
  const startedAt = performance.now();
  await assertRefused(fetchMedia(`${base}/huge.mp4`, 'video_url', options({ totalTimeoutMs: 5_000 })), 'media_too_large', /^Expected at most 50 MB of media for video_url but the server announced 60 MB$/);
  assert.ok(performance.now() - startedAt < 2_000);
});

/** A self-signed certificate for media.test, made with the openssl command when there is one. */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } | null {
  const folder = mkdtempSync(join(tmpdir(), 'liveness-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=media.test', '-addext', 'subjectAltName=DNS:media.test',
      '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) };
  } catch {
    return null;
  }
}

const certificate = selfSignedCertificate();

test('https goes to the checked address with the URL host as TLS server name, and the certificate is checked', { skip: certificate ? false : 'no openssl command to make a certificate' }, async () => {
  const serverNames: string[] = [];
  const server = createTlsServer(
    { ...certificate!, SNICallback: (name, done) => (serverNames.push(name), done(null, createSecureContext(certificate!))) },
    (_request, response) => response.end('bytes'),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const resolve = async () => [{ address: '127.0.0.1', family: 4 as const }];
  const allowlist = readServerConfig({ LIVENESS_URL_ALLOWLIST: 'media.test' }).urlAllowlist;
  // The certificate is self-signed: a client that checks certificates must refuse it.
  await assertRefused(
    fetchMedia(`https://media.test:${port}/clip.mp4`, 'video_url', options({ allowlist, resolve })),
    'url_fetch_failed',
    /^Expected to fetch https:\/\/media\.test:\d+\/clip\.mp4 for video_url but its TLS certificate was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
  );
  assert.deepEqual(serverNames, ['media.test']);
});
