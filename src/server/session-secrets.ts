/**
 * Session ids and tokens, from the CSPRNG. A token is a bearer secret for one capture: shown once,
 * stored only as its SHA-256 (like API keys, 190 bits leave nothing to brute-force).
 */
import { randomInt } from 'node:crypto';
import { randomString } from '../store/secrets.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const LOWER36 = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `ses_` and 24 lowercase letters or digits: public, safe to log and to put in a URL. */
export function newSessionId(): string {
  return `ses_${randomString(LOWER36, 24)}`;
}

/** `st_` and 32 base-62 characters (about 190 bits). */
export function generateSessionToken(): string {
  return `st_${randomString(BASE62, 32)}`;
}

/** A uniform number in [0, 1) from the CSPRNG, for drawing colour sequences nobody can predict. */
export function cryptoRandom(): number {
  return randomInt(2 ** 47) / 2 ** 47;
}
