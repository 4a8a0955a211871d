/**
 * The bodies of the session routes, checked field by field: `POST /v1/sessions` (what the
 * integrator asks for) and a capture's `flash_start_ms` or `prompt_start_ms`.
 */
import { invalidArgument, LivenessError } from '../errors.js';
import type { SessionChallenge, SessionReturn } from '../store/index.js';

const FIELDS = ['challenge', 'return', 'expires_in_s'] as const;
const CHALLENGES: readonly SessionChallenge[] = ['none', 'colour', 'mouth'];
const RETURNS: readonly SessionReturn[] = ['verdict', 'evidence'];

/** Long enough to read the instructions and allow the camera, short enough that a leaked link dies soon. */
export const SESSION_EXPIRY_S = { min: 60, max: 3600, default: 600 } as const;
/** The page starts flashing or prompting 500 ms into the recording; a start later than this was not made by our page. */
export const MAX_CHALLENGE_START_MS = 10_000;

/** The capture field that says when the page began showing each challenge, from the start of its recording. */
export const CHALLENGE_START_FIELDS = { colour: 'flash_start_ms', mouth: 'prompt_start_ms' } as const;
export type ChallengeStartField = (typeof CHALLENGE_START_FIELDS)[keyof typeof CHALLENGE_START_FIELDS];

export interface SessionRequest {
  readonly challenge: SessionChallenge;
  readonly returnMode: SessionReturn;
  readonly expiresInS: number;
}

/**
 * @example
 * parseSessionRequest({ challenge: 'colour', return: 'verdict', expires_in_s: 300 });
 */
export function parseSessionRequest(body: unknown): SessionRequest {
  // An empty body asks for the defaults.
  if (body === undefined || body === null) return { challenge: 'none', returnMode: 'verdict', expiresInS: SESSION_EXPIRY_S.default };
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('a JSON object', 'the request body', body);
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    throw new LivenessError('invalid_argument', `Expected only the fields ${FIELDS.join(', ')} in the request body but received the field '${unknown}'`);
  }
  const challenge = fields.challenge ?? 'none';
  if (!(CHALLENGES as readonly unknown[]).includes(challenge)) throw invalidArgument("'none', 'colour' or 'mouth'", 'challenge', challenge);
  const returnMode = fields.return ?? 'verdict';
  if (!(RETURNS as readonly unknown[]).includes(returnMode)) throw invalidArgument("'verdict' or 'evidence'", 'return', returnMode);
  const expiresInS = fields.expires_in_s ?? SESSION_EXPIRY_S.default;
  if (typeof expiresInS !== 'number' || !Number.isInteger(expiresInS) || expiresInS < SESSION_EXPIRY_S.min || expiresInS > SESSION_EXPIRY_S.max) {
    throw invalidArgument(`an integer from ${SESSION_EXPIRY_S.min} to ${SESSION_EXPIRY_S.max}`, 'expires_in_s', expiresInS);
  }
  return { challenge: challenge as SessionChallenge, returnMode: returnMode as SessionReturn, expiresInS };
}

/**
 * `flash_start_ms` or `prompt_start_ms`: a number in JSON, a decimal string in a form; when the page
 * began flashing or prompting, from the start of its recording.
 */
export function parseChallengeStartMs(field: ChallengeStartField, value: unknown): number {
  const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > MAX_CHALLENGE_START_MS) {
    throw invalidArgument(`a number of milliseconds from 0 to ${MAX_CHALLENGE_START_MS}`, field, value);
  }
  return Math.round(number);
}
