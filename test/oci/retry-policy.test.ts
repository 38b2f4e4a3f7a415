import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs } from '../../src/oci/retry-policy.ts';

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 5000 };

const delays = [
  { name: 'first failure, no jitter', failures: 1, retryAfter: undefined, jitter: 0, want: 50 },
  { name: 'first failure, full jitter', failures: 1, retryAfter: undefined, jitter: 0.999999, want: 100 },
  { name: 'second failure doubles', failures: 2, retryAfter: undefined, jitter: 0, want: 100 },
  { name: 'capped at maxDelayMs', failures: 3, retryAfter: undefined, jitter: 1, want: 300 },
  { name: 'attempts exhausted', failures: 4, retryAfter: undefined, jitter: 0, want: undefined },
  { name: 'retry-after wins', failures: 1, retryAfter: 2000, jitter: 0.5, want: 2000 },
  { name: 'retry-after zero', failures: 1, retryAfter: 0, jitter: 0.5, want: 0 },
  { name: 'retry-after too long stops', failures: 1, retryAfter: 6000, jitter: 0, want: undefined },
  { name: 'retry-after does not extend attempts', failures: 4, retryAfter: 10, jitter: 0, want: undefined },
];
for (const c of delays) {
  test(`retry delay: ${c.name}`, () => assert.equal(retryDelayMs(policy, c.failures, c.retryAfter, c.jitter), c.want));
}

test('retry-after parses seconds and http dates', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('-1', now), undefined);
  assert.equal(parseRetryAfter('1.5', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('retryable statuses', () => {
  for (const s of [408, 429, 500, 502, 503, 504]) assert.ok(isRetryableStatus(s), String(s));
  for (const s of [200, 400, 401, 403, 404, 501]) assert.ok(!isRetryableStatus(s), String(s));
  assert.ok(Object.isFrozen(DEFAULT_RETRY_POLICY));
});
