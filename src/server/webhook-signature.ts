/**
 * Webhook signatures, as Stripe signs its webhooks: the receiver gets the Unix time in
 * `Liveness-Timestamp` and `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` in
 * `Liveness-Signature`, so it can tell the body came from this server, unchanged, recently (a
 * replayed old delivery fails the time check). Each API key has its own signing secret, derived
 * from one server secret and the key id (HMAC as a PRF, RFC 2104 / NIST SP 800-108), so one tenant
 * cannot forge another's deliveries, and nothing more needs storing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'Liveness-Timestamp';
export const SIGNATURE_HEADER = 'Liveness-Signature';
/** The name of the server secret the signing secrets derive from (src/store/server-secrets.ts). */
export const WEBHOOK_SERVER_SECRET = 'webhook-signing';
const SECRET_PREFIX = 'whsec_';
/** Stripe's default tolerance: a delivery signed more than 5 minutes ago is refused. */
export const DEFAULT_TOLERANCE_S = 300;

/**
 * The signing secret of the API key `keyId`, or of the whole deployment (`null`, for records made
 * with LIVENESS_AUTH=off). `liveness keys webhook-secret [<key-id>]` prints the same value.
 *
 * @example
 * deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), 'key_0a1b2c3d4e5f'); // 'whsec_…'
 */
export function deriveWebhookSecret(serverSecret: Buffer, keyId: string | null): string {
  const purpose = keyId === null ? 'liveness webhook signing, deployment' : `liveness webhook signing, key ${keyId}`;
  return SECRET_PREFIX + createHmac('sha256', serverSecret).update(purpose, 'utf8').digest('base64url');
}

/** The signature header's value for `body` sent at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${hmacHex(secret, timestamp, body)}`;
}

/**
 * Whether a delivery is genuine: one of the `v1=` signatures in `signature` matches the body and
 * timestamp (compared in constant time), and the timestamp is within `toleranceS` of `nowS`.
 *
 * @example
 * const ok = verifyWebhookSignature({ secret, body: rawBody, timestamp: req.headers['liveness-timestamp'], signature: req.headers['liveness-signature'] });
 */
export function verifyWebhookSignature({
  secret,
  body,
  timestamp,
  signature,
  toleranceS = DEFAULT_TOLERANCE_S,
  nowS = Math.floor(Date.now() / 1000),
}: {
  readonly secret: string;
  /** The raw body as received, before any JSON parsing. */
  readonly body: string | Buffer;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly toleranceS?: number;
  readonly nowS?: number;
}): boolean {
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowS - Number(timestamp)) > toleranceS) return false;
  const expected = Buffer.from(hmacHex(secret, Number(timestamp), body.toString()), 'utf8');
  return signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'utf8');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}
