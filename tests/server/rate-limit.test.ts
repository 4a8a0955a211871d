import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRateLimiter } from '../../src/server/rate-limit.js';

test('counts per key in one-minute windows and says when the next one starts', () => {
  let now = 120_000 + 15_000;
  const limiter = createRateLimiter(() => now);
  assert.deepEqual(limiter.take('key_a', 2), { allowed: true });
  assert.deepEqual(limiter.take('key_a', 2), { allowed: true });
  assert.deepEqual(limiter.take('key_a', 2), { allowed: false, retryAfterS: 45 });
  assert.deepEqual(limiter.take('key_b', 2), { allowed: true }, 'keys are counted apart');
  now = 180_000;
  assert.deepEqual(limiter.take('key_a', 2), { allowed: true }, 'a new window starts afresh');
});
