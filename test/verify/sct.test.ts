import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OID_SCT_LIST, parseEmbeddedScts, verifyEmbeddedScts } from '../../src/verify/sct.ts';
import type { X509Certificate } from '../../src/verify/certificate.ts';
import { builtinTrustedRoot } from '../../src/verify/index.ts';
import { flipByte, loadCase } from './corpus.ts';

const production = builtinTrustedRoot('production');
const { leaf } = loadCase('happy-path-v0.3');
const issuer = production.certificateAuthorities[1]?.certChain[0];

function withSctList(cert: X509Certificate, change: (value: Uint8Array) => Uint8Array): X509Certificate {
  return { ...cert, extensions: cert.extensions.map((e) => (e.oid === OID_SCT_LIST ? { ...e, value: change(e.value) } : e)) };
}

test('the embedded SCT of a production leaf verifies over the rebuilt precertificate', () => {
  assert.ok(leaf && issuer);
  const sct = verifyEmbeddedScts(leaf, issuer, production.ctlogs);
  assert.equal(sct.extensions.byteLength, 0);
});

test('a tampered SCT signature does not verify', () => {
  assert.ok(leaf && issuer);
  const tampered = withSctList(leaf, (v) => flipByte(v, v.byteLength - 3));
  assert.throws(() => verifyEmbeddedScts(tampered, issuer, production.ctlogs), { code: 'ERR_SCT_INVALID' });
});

test('an SCT from a CT log the root does not trust, or outside the log validity, does not count', () => {
  assert.ok(leaf && issuer);
  assert.throws(() => verifyEmbeddedScts(leaf, issuer, builtinTrustedRoot('staging').ctlogs), { code: 'ERR_SCT_INVALID' });
  const expired = production.ctlogs.map((l) => ({ ...l, validFor: { start: new Date(0), end: new Date(1000) } }));
  assert.throws(() => verifyEmbeddedScts(leaf, issuer, expired), { code: 'ERR_SCT_INVALID' });
});

test('the issuer key hash is part of the signed data', () => {
  assert.ok(leaf && issuer);
  const otherIssuer = production.certificateAuthorities[0]?.certChain[0];
  assert.ok(otherIssuer);
  assert.throws(() => verifyEmbeddedScts(leaf, otherIssuer, production.ctlogs), { code: 'ERR_SCT_INVALID' });
});

test('a certificate without the SCT extension has no SCT', () => {
  assert.ok(leaf && issuer);
  const bare = { ...leaf, extensions: leaf.extensions.filter((e) => e.oid !== OID_SCT_LIST) };
  assert.throws(() => verifyEmbeddedScts(bare, issuer, production.ctlogs), { code: 'ERR_SCT_MISSING' });
});

test('SCT extensions (Static CT leaf index) are signed: verified as they are, rejected when changed', () => {
  const c = loadCase('bundle-with-sct-with-extensions');
  const ca = c.root.certificateAuthorities[0]?.certChain[0];
  assert.ok(c.leaf && ca);
  const [sct] = parseEmbeddedScts(c.leaf);
  assert.ok(sct && sct.extensions.byteLength > 0);
  verifyEmbeddedScts(c.leaf, ca, c.root.ctlogs);
  // the extensions sit right after the 1+32+8+2 byte header of the first SCT (after the 2+2 byte list and entry lengths)
  const changed = withSctList(c.leaf, (v) => flipByte(v, 2 + 2 + 2 + 1 + 32 + 8 + 2));
  assert.throws(() => verifyEmbeddedScts(changed, ca, c.root.ctlogs), { code: 'ERR_SCT_INVALID' });
});

test('a truncated SCT list is malformed', () => {
  assert.ok(leaf && issuer);
  const truncated = withSctList(leaf, (v) => { const out = v.slice(0, 40); out[1] = 38; return out; });
  assert.throws(() => verifyEmbeddedScts(truncated, issuer, production.ctlogs), { code: 'ERR_SCT_INVALID' });
});
