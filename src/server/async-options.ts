/**
 * The asynchronous mode of `POST /v1/inferences`: `async` (true answers 202 at once) and
 * `webhook_url` (where the outcome is posted, asynchronous requests only). The webhook's host is
 * resolved and checked against the same address policy as media URLs at submission, so a URL the
 * server would refuse to call gets a 400 before anything runs; delivery checks it again.
 */
import { invalidArgument, LivenessError } from '../errors.js';
import { createAddressPolicy } from './address-policy.js';
import type { AllowlistEntry } from './config.js';
import { checkUrlAddress, describeNetworkError, type Resolver } from './fetch-media.js';

export const ASYNC_FIELDS = ['async', 'webhook_url'] as const;
/** Browsers and most servers handle URLs up to about 2,000 characters; a webhook needs far fewer. */
const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface AsyncOptions {
  readonly async: boolean;
  readonly webhookUrl: URL | null;
}

/** `async` is a boolean in JSON and `'true'` / `'false'` in a form; `webhook_url` an http(s) URL without credentials. */
export function parseAsyncOptions(fields: Readonly<Record<string, unknown>>, { fromForm = false } = {}): AsyncOptions {
  const raw = fields.async;
  const isAsync = fromForm && typeof raw === 'string' ? ({ true: true, false: false } as Record<string, boolean>)[raw] : raw ?? false;
  if (typeof isAsync !== 'boolean') throw invalidArgument(fromForm ? "'true' or 'false'" : 'a boolean', 'async', raw);
  if (fields.webhook_url === undefined) return { async: isAsync, webhookUrl: null };
  if (!isAsync) throw new LivenessError('invalid_argument', 'Expected webhook_url only with async: true (a synchronous request answers with the result itself) but received it without');
  return { async: true, webhookUrl: parseWebhookUrl(fields.webhook_url) };
}

function parseWebhookUrl(value: unknown): URL {
  const expected = 'an http(s) URL for the webhook';
  if (typeof value !== 'string' || value.length > MAX_WEBHOOK_URL_LENGTH) {
    throw invalidArgument(`${expected} of at most ${MAX_WEBHOOK_URL_LENGTH} characters`, 'webhook_url', value);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(expected, 'webhook_url', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidArgument(expected, 'webhook_url', value);
  // Credentials in a stored URL would show wherever the URL is shown; deliveries are signed instead.
  if (url.username !== '' || url.password !== '') {
    throw new LivenessError('invalid_argument', 'Expected a webhook_url without user:password@ (deliveries are signed; see Liveness-Signature) but received one with credentials');
  }
  url.hash = '';
  return url;
}

/**
 * Refuses (400) a webhook URL whose host does not resolve or resolves to an address the policy
 * refuses (loopback, private, link-local, CGNAT…, unless LIVENESS_URL_ALLOWLIST allows it).
 */
export async function checkWebhookDestination(url: URL, { allowlist, resolve }: { readonly allowlist: readonly AllowlistEntry[]; readonly resolve: Resolver }): Promise<void> {
  let reason: string | null;
  try {
    const checked = await checkUrlAddress(url, resolve, createAddressPolicy(allowlist));
    reason = checked.ok ? null : checked.reason;
  } catch (error) {
    reason = describeNetworkError(error);
  }
  if (reason !== null) {
    throw new LivenessError('invalid_argument', `Expected a webhook_url this server may deliver to but received '${url.href.slice(0, 100)}': ${reason}`);
  }
}
