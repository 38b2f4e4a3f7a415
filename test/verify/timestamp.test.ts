import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyTimestamp } from '../../src/verify/timestamp.ts';
import type { CertificateAuthority } from '../../src/verify/trust-root.ts';
import { flipByte, loadCase } from './corpus.ts';

const c = loadCase('rekor2-happy-path');
const token = c.bundle.verificationMaterial.rfc3161Timestamps[0];
const signature = c.bundle.content.kind === 'message' ? c.bundle.content.signature : new Uint8Array(0);
const tsas = c.root.timestampAuthorities;
const GEN_TIME = '2025-06-12T12:02:20.000Z';

test('a staging TSA token over the bundle signature verifies and yields its genTime', () => {
  assert.ok(token);
  assert.equal(verifyTimestamp(token, signature, tsas).toISOString(), GEN_TIME);
});

test('a token over other bytes is an imprint mismatch', () => {
  assert.ok(token);
  assert.throws(() => verifyTimestamp(token, flipByte(signature, 0), tsas), { code: 'ERR_TSA_IMPRINT_MISMATCH' });
});

test('a token needs a trusted authority, valid at genTime (end inclusive)', () => {
  assert.ok(token);
  assert.throws(() => verifyTimestamp(token, signature, []), { code: 'ERR_TSA_UNTRUSTED' });
  const endingAt = (end: Date): CertificateAuthority[] => tsas.map((t) => ({ ...t, validFor: { start: new Date(0), end } }));
  assert.equal(verifyTimestamp(token, signature, endingAt(new Date(GEN_TIME))).toISOString(), GEN_TIME);
  assert.throws(() => verifyTimestamp(token, signature, endingAt(new Date(Date.parse(GEN_TIME) - 1))), { code: 'ERR_TSA_UNTRUSTED' });
});

test('a token signed by another authority is untrusted', () => {
  assert.ok(token);
  const production = loadCase('happy-path-v0.3').root.timestampAuthorities;
  assert.throws(() => verifyTimestamp(token, signature, production), { code: 'ERR_TSA_UNTRUSTED' });
});

test('a corrupted or non-token response is malformed', () => {
  assert.ok(token);
  assert.throws(() => verifyTimestamp(new Uint8Array([0x30, 0x00]), signature, tsas), { code: 'ERR_TSA_INVALID' });
  assert.throws(() => verifyTimestamp(token.slice(0, 200), signature, tsas), { code: 'ERR_TSA_INVALID' });
});

test('a token whose TSTInfo was altered fails the message digest attribute', () => {
  assert.ok(token);
  const at = Buffer.from(token).indexOf('20250612120220');
  assert.ok(at > 0);
  // 2025-06-12 becomes 2025-06-13: a later time the TSA never signed
  const altered = token.slice();
  altered[at + 7] = 0x33;
  assert.throws(() => verifyTimestamp(altered, signature, tsas), { code: 'ERR_TSA_INVALID' });
});
