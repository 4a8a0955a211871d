/**
 * API key material. A key is shown once when created; only its SHA-256 is stored. Keys carry 190
 * bits from the CSPRNG, so a fast unsalted hash is enough: there is nothing to guess by brute force
 * (unlike passwords, which need a slow, salted hash).
 */
import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const LOWER36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** The prefix lets secret scanners and people recognise a liveness key. */
export const API_KEY_PREFIX = 'lk_';

/** `lk_` and 32 base-62 characters (about 190 bits) from the CSPRNG. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomString(BASE62, 32);
}

/** `key_` and 12 lowercase letters or digits: a key's public id, safe to log and to show. */
export function newKeyId(): string {
  return `key_${randomString(LOWER36, 12)}`;
}

/** The 32-byte SHA-256 of a key, as stored and looked up. */
export function hashApiKey(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** `length` characters drawn uniformly from `alphabet` (at most 256 characters). */
export function randomString(alphabet: string, length: number): string {
  // Bytes at or above the largest multiple of the alphabet's size are rejected so that every
  // character is equally likely (a plain modulo favours the first 256 % size characters).
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
