/**
 * Fetches the media an http(s) URL in a request points to, without letting the URL reach what it
 * should not (OWASP API7:2023, server-side request forgery). Each hop: http(s) only → resolve the
 * name once → check every address against the policy → connect to the checked address itself (no
 * second lookup, so a name cannot resolve to a public address for the check and a private one for
 * the connection) → follow at most `maxRedirects` redirects, each checked the same way → refuse an
 * announced body over the limit before reading it, and stop reading at the limit. The bytes are
 * handed to the core as they are: it recognises media by its bytes, not by the URL or Content-Type.
 */
import { lookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { LivenessError } from '../errors.js';
import { formatBytes } from '../util/format.js';
import { canonicalAddress, createAddressPolicy, type AddressPolicy } from './address-policy.js';
import type { AllowlistEntry } from './config.js';
import type { ReceivedMedia } from './inference-request.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Turns a host name into its addresses; the default asks the system resolver, as a connection would. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface ConnectRequest {
  readonly url: URL;
  /** The checked address: the connection must go there and nowhere else. */
  readonly address: ResolvedAddress;
  readonly connectTimeoutMs: number;
  /** Aborted when the whole fetch runs out of time. */
  readonly signal: AbortSignal;
  /** GET (media, the default) or POST (webhooks, with `headers` and `body`). */
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

/** Sends the request for `url` to `address` and settles with the response head; the body is read as a stream. */
export type Connector = (request: ConnectRequest) => Promise<IncomingMessage>;

export interface FetchMediaOptions {
  readonly allowlist: readonly AllowlistEntry[];
  /** Refused beyond this many bytes (the media limit, less what earlier frames used). */
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly connectTimeoutMs: number;
  /** For the whole fetch: every lookup, connection, redirect and the body. */
  readonly totalTimeoutMs: number;
  readonly resolve: Resolver;
  readonly connect: Connector;
}

export const DEFAULT_FETCH_OPTIONS: Omit<FetchMediaOptions, 'allowlist' | 'maxBytes'> = Object.freeze({
  // Browsers and curl follow many more; a media link needs one or two (a CDN hop, a signed URL).
  maxRedirects: 3,
  connectTimeoutMs: 5_000,
  // 50 MB at 20 Mbit/s takes 20 s; a slower source ties up a request slot for too long.
  totalTimeoutMs: 30_000,
  resolve: resolveSystem,
  connect: connectPinned,
});

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * @example
 * const media = await fetchMedia('https://cdn.example.com/selfie.mp4', 'video_url', { ...DEFAULT_FETCH_OPTIONS, allowlist: [], maxBytes: 50e6 });
 */
export async function fetchMedia(url: string, field: string, options: FetchMediaOptions): Promise<ReceivedMedia> {
  const policy = createAddressPolicy(options.allowlist);
  let current = parseHttpUrl(url, field);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.totalTimeoutMs);
  try {
    for (let redirects = 0; ; redirects++) {
      const address = await untilAborted(resolveChecked(current, field, options.resolve, policy), deadline.signal);
      const response = await options.connect({ url: current, address, connectTimeoutMs: options.connectTimeoutMs, signal: deadline.signal });
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location !== undefined) {
        response.destroy();
        if (redirects >= options.maxRedirects) {
          throw notAllowed(field, url, `it redirected more than ${options.maxRedirects} times`);
        }
        current = parseHttpUrl(new URL(location, current).href, field, 'redirected to ');
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        throw new LivenessError('url_fetch_failed', `Expected HTTP status 200 from ${describeUrl(current)} for ${field} but received ${status}`);
      }
      const bytes = await readBody(response, field, options.maxBytes);
      const scheme = current.protocol === 'https:' ? 'https' : 'http';
      const mediaType = response.headers['content-type']?.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';
      return { bytes, scheme, mediaType };
    }
  } catch (error) {
    if (error instanceof LivenessError) throw error;
    if (deadline.signal.aborted || (error as NodeJS.ErrnoException).code === CONNECT_TIMEOUT) {
      const limit = deadline.signal.aborted ? `${options.totalTimeoutMs} ms in all` : `${options.connectTimeoutMs} ms to connect`;
      throw new LivenessError('url_fetch_timeout', `Expected ${describeUrl(current)} for ${field} to answer within ${limit} but it did not`, { cause: error });
    }
    throw new LivenessError('url_fetch_failed', `Expected to fetch ${describeUrl(current)} for ${field} but ${describeNetworkError(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** `text` as an http(s) URL: `invalid_argument` when it is not a URL, `url_not_allowed` for another scheme. */
export function parseHttpUrl(text: string, field: string, via = ''): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LivenessError('invalid_argument', `Expected an http(s) URL for ${field} but received '${text.slice(0, 60)}', which is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw notAllowed(field, text, `it was ${via}a ${url.protocol} URL; only http: and https: are fetched`);
  }
  return url;
}

/** An address a URL may be reached at, or why not: a refused address, or a host with no address. */
export type AddressCheck =
  | { readonly ok: true; readonly address: ResolvedAddress }
  | { readonly ok: false; readonly unresolved: boolean; readonly reason: string };

/**
 * Resolves the URL's host once (an IP literal is not looked up) and checks every address: one
 * refused address refuses the URL. A failed lookup throws the resolver's error.
 */
export async function checkUrlAddress(url: URL, resolveHost: Resolver, policy: AddressPolicy): Promise<AddressCheck> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = canonicalAddress(hostname);
  const addresses: readonly ResolvedAddress[] = literal !== null ? [{ address: hostname, family: isIP(hostname) === 6 ? 6 : 4 }] : await resolveHost(hostname);
  if (addresses.length === 0) return { ok: false, unresolved: true, reason: 'its host has no address' };
  for (const { address } of addresses) {
    const refusal = policy.refusal(hostname, address);
    if (refusal !== null) {
      const where = literal !== null ? `its address ${address}` : `${hostname} resolves to ${address}`;
      return { ok: false, unresolved: false, reason: `${where}, which is ${refusal}; LIVENESS_URL_ALLOWLIST can allow it` };
    }
  }
  return { ok: true, address: addresses[0]! };
}

async function resolveChecked(url: URL, field: string, resolveHost: Resolver, policy: AddressPolicy): Promise<ResolvedAddress> {
  const checked = await checkUrlAddress(url, resolveHost, policy);
  if (checked.ok) return checked.address;
  if (checked.unresolved) throw new LivenessError('url_fetch_failed', `Expected ${describeUrl(url)} for ${field} to resolve but ${checked.reason}`);
  throw notAllowed(field, url.href, checked.reason);
}

async function readBody(response: IncomingMessage, field: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new LivenessError('media_too_large', `Expected at most ${formatBytes(maxBytes)} of media for ${field} but the server announced ${formatBytes(declared)}`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      response.destroy();
      throw new LivenessError('media_too_large', `Expected at most ${formatBytes(maxBytes)} of media for ${field} but the server sent more`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

async function resolveSystem(hostname: string): Promise<readonly ResolvedAddress[]> {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

export const CONNECT_TIMEOUT = 'LIVENESS_CONNECT_TIMEOUT';
// Identity: the bytes are the media, so no decoder stands between the socket and the limit.
const MEDIA_HEADERS = { accept: 'video/*, image/*, */*;q=0.5', 'accept-encoding': 'identity', 'user-agent': 'face-liveness' };

/**
 * GETs `url` from exactly `address`: the lookup hook hands the socket the checked address, while
 * the Host header and the TLS server name (SNI, certificate check) still carry the URL's host.
 */
function connectPinned({ url, address, connectTimeoutMs, signal, method = 'GET', headers = MEDIA_HEADERS, body }: ConnectRequest): Promise<IncomingMessage> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? https.request : http.request;
    const request = send(url, { method, agent: false, lookup: pinned, signal, headers });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('connect timeout'), { code: CONNECT_TIMEOUT })), connectTimeoutMs);
    request.once('socket', (socket) => {
      if (!socket.connecting) clearTimeout(timer);
      else socket.once('connect', () => clearTimeout(timer));
    });
    request.once('close', () => clearTimeout(timer));
    request.once('response', resolve);
    request.once('error', reject);
    request.end(body);
  });
}

export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function notAllowed(field: string, url: string, reason: string): LivenessError {
  return new LivenessError('url_not_allowed', `Expected a URL this server may fetch for ${field} but received '${url.slice(0, 100)}': ${reason}`);
}

/** The URL without its query, which often carries a signature that should not land in logs. */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.slice(0, 80)}`;
}

export function describeNetworkError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its host name could not be resolved';
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host could not be reached';
    default:
      // OpenSSL's verification codes (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED…) and Node's ERR_TLS_CERT_*.
      if (code !== undefined && /CERT|SELF_SIGNED/.test(code)) return `its TLS certificate was not accepted (${code})`;
      return `the request failed (${code ?? message ?? 'unknown error'})`;
  }
}
