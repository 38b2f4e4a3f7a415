// The signature image config's `created`: Go's zero time by default, else the time as Go's
// RFC 3339 with nanoseconds writes it (cosign --record-creation-timestamp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSignatureConfig, formatGoTime } from '../../src/oci/signature-image.ts';

const cases: [string, string][] = [
  ['2026-11-24T01:20:33.242Z', '2026-11-24T01:20:33.242Z'],
  ['2026-11-24T01:20:33.240Z', '2026-11-24T01:20:33.24Z'],
  ['2026-11-24T01:20:33.000Z', '2026-11-24T01:20:33Z'],
];
for (const [iso, go] of cases) test(`${iso} is written ${go}`, () => assert.equal(formatGoTime(new Date(iso)), go));

test('created is the zero time unless given; history entries stay zero', () => {
  const plain = JSON.parse(Buffer.from(createSignatureConfig(['sha256:' + 'a'.repeat(64)])).toString('utf8'));
  assert.equal(plain.created, '0001-01-01T00:00:00Z');
  const dated = JSON.parse(Buffer.from(createSignatureConfig(['sha256:' + 'a'.repeat(64)], new Date('2026-01-02T03:04:05.5Z'))).toString('utf8'));
  assert.equal(dated.created, '2026-01-02T03:04:05.5Z');
  assert.equal(dated.history[0].created, '0001-01-01T00:00:00Z');
});
