/**
 * One webhook delivery attempt: a POST of the JSON body to the URL, under the same SSRF rules as
 * media URLs (resolve once, check every address, connect to the checked one) and never following
 * a redirect (a 3xx is a failed attempt: the receiver, not a redirect target, must answer). It
 * never throws: the outcome is a status or a reason, recorded as one attempt.
 */
import { createAddressPolicy } from './address-policy.js';
import type { AllowlistEntry } from './config.js';
import { CONNECT_TIMEOUT, checkUrlAddress, describeNetworkError, untilAborted, type Connector, type Resolver } from './fetch-media.js';

export interface WebhookSendOptions {
  readonly allowlist: readonly AllowlistEntry[];
  readonly resolve: Resolver;
  readonly connect: Connector;
  readonly connectTimeoutMs: number;
  /** For the whole attempt: lookup, connection, request and the response's head. */
  readonly totalTimeoutMs: number;
}

/** A receiver that has not answered in 10 s is treated as down (Stripe and GitHub wait 10–20 s). */
export const DEFAULT_WEBHOOK_TIMEOUTS = Object.freeze({ connectTimeoutMs: 5_000, totalTimeoutMs: 10_000 });

export interface SendOutcome {
  /** The response's status; null when none came. */
  readonly httpStatus: number | null;
  /** Why the attempt failed; null for a 2xx. */
  readonly error: string | null;
}

export async function sendWebhook(url: URL, body: string, headers: Readonly<Record<string, string>>, options: WebhookSendOptions): Promise<SendOutcome> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.totalTimeoutMs);
  try {
    const checked = await untilAborted(checkUrlAddress(url, options.resolve, createAddressPolicy(options.allowlist)), deadline.signal);
    if (!checked.ok) return { httpStatus: null, error: `not delivered: ${checked.reason}` };
    const bytes = Buffer.from(body, 'utf8');
    const response = await options.connect({
      url,
      address: checked.address,
      connectTimeoutMs: options.connectTimeoutMs,
      signal: deadline.signal,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(bytes.byteLength), 'user-agent': 'face-liveness-webhook' },
      body: bytes,
    });
    // The answer's body is not needed; closing the connection frees it at once (agent: false).
    response.destroy();
    const status = response.statusCode ?? 0;
    if (status >= 200 && status <= 299) return { httpStatus: status, error: null };
    const why = status >= 300 && status <= 399 ? 'a redirect, which webhooks do not follow' : 'not a 2xx status';
    return { httpStatus: status, error: `the receiver answered ${status}: ${why}` };
  } catch (error) {
    if (deadline.signal.aborted) return { httpStatus: null, error: `the receiver did not answer within ${options.totalTimeoutMs} ms` };
    if ((error as NodeJS.ErrnoException).code === CONNECT_TIMEOUT) return { httpStatus: null, error: `the receiver did not accept a connection within ${options.connectTimeoutMs} ms` };
    return { httpStatus: null, error: describeNetworkError(error) };
  } finally {
    clearTimeout(timer);
  }
}
