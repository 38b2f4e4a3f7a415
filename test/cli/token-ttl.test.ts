// `sigil token --ttl`: whole seconds, or a Go duration as cosign's duration flags take, 1 s to 24 h.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTtlSeconds } from '../../src/cli/commands/token-run.ts';

test('--ttl takes whole seconds and Go durations up to 24h', () => {
  assert.equal(parseTtlSeconds('90'), 90);
  assert.equal(parseTtlSeconds('90s'), 90);
  assert.equal(parseTtlSeconds('10m'), 600);
  assert.equal(parseTtlSeconds('1h30m'), 5400);
  assert.equal(parseTtlSeconds('24h'), 86_400);
});

test('--ttl refuses what is not a duration, zero, and more than 24h', () => {
  for (const bad of ['2d', '0', '0s', '500ms', '25h', '-1m', 'ten', '']) {
    assert.throws(() => parseTtlSeconds(bad), (e: unknown) => (e as { code?: string }).code === 'ERR_USAGE', bad);
  }
});
