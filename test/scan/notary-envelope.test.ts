// Notary JWS and COSE envelopes: parsing, and verification of integrity, target, expiry, critical
// headers and chain, each mutation rejected with its own code. Envelopes are made per the Notary
// Project specification over an openssl PKI (test/support/notary.ts).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encode as encodeCbor, Tag } from 'cbor2';
import { makeTempDir } from '../support/temp.ts';
import { makeNotaryPki, signNotaryCose, signNotaryJws, thumbprintsOf, type NotaryPki } from '../support/notary.ts';
import { parseCertificatesPem } from '../../src/scan/index.ts';
import { parseCoseEnvelope, parseJwsEnvelope, parseNotaryEnvelope } from '../../src/scan/notary-envelope.ts';
import { describeNotary, parseThumbprints, verifyNotary } from '../../src/scan/repo-notary.ts';
import type { ImageManifest } from '../../src/oci/index.ts';
import type { RepoTrust } from '../../src/scan/repo-trust.ts';

let pki: NotaryPki;
let trust: RepoTrust;
const target = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'ab'.repeat(32)}`, size: 321 };
const subject = { digest: target.digest, mediaType: target.mediaType, sizeBytes: target.size };
const time = new Date('2026-03-04T05:06:07Z');

before(async () => {
  pki = await makeNotaryPki(makeTempDir('notary-pki'));
  trust = { keys: [], trustedRoot: null, notaryAnchors: parseCertificatesPem(readFileSync(pki.rootPem, 'utf8'), 'root'), now: new Date() };
});

function manifestFor(thumbprints: string, layerType: string): ImageManifest {
  return {
    kind: 'image', mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.cncf.notary.signature',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: `sha256:${'44'.repeat(32)}`, size: 2 },
    layers: [{ mediaType: layerType, digest: `sha256:${'cd'.repeat(32)}`, size: 1 }],
    annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': thumbprints },
  };
}

function check(bytes: Uint8Array, layerType: string, thumbprints: string, against = subject, at = trust) {
  const envelope = parseNotaryEnvelope(layerType, bytes);
  return verifyNotary(describeNotary(manifestFor(thumbprints, layerType), envelope, 'referrers-api', `sha256:${'ef'.repeat(32)}`), envelope, against, at);
}

test('a JWS (PS256) and a COSE (ES256) envelope parse and verify against the trust store', () => {
  const jws = parseJwsEnvelope(signNotaryJws(pki, target, time));
  assert.equal(jws.alg, 'PS256');
  assert.equal(jws.signingScheme, 'notary.x509');
  assert.equal(jws.signingTime?.toISOString(), time.toISOString());
  assert.deepEqual(jws.target, target);
  assert.equal(jws.certificatesDer.length, 2);
  const cose = parseCoseEnvelope(signNotaryCose(pki, target, time));
  assert.equal(cose.alg, 'ES256');
  assert.equal(cose.signingTime?.toISOString(), time.toISOString());
  const jwsSig = check(signNotaryJws(pki, target, time), 'application/jose+json', thumbprintsOf(pki.rsa.chainDer));
  assert.equal(jwsSig.status, 'verified', JSON.stringify(jwsSig.problems));
  const coseSig = check(signNotaryCose(pki, target, time), 'application/cose', thumbprintsOf(pki.ec.chainDer));
  assert.equal(coseSig.status, 'verified', JSON.stringify(coseSig.problems));
});

const codes = (sig: { problems: readonly { code: string }[] }): string[] => sig.problems.map((p) => p.code);

test('a flipped signature byte fails integrity (JWS and COSE)', () => {
  const jws = JSON.parse(signNotaryJws(pki, target, time).toString()) as { signature: string };
  const sig = Buffer.from(jws.signature, 'base64url');
  sig[10] = (sig[10] ?? 0) ^ 1;
  const bad = Buffer.from(JSON.stringify({ ...jws, signature: sig.toString('base64url') }));
  assert.deepEqual(codes(check(bad, 'application/jose+json', thumbprintsOf(pki.rsa.chainDer))), ['ERR_SCAN_SIGNATURE_INVALID']);
  const cose = signNotaryCose(pki, target, time);
  cose[cose.length - 5] = (cose[cose.length - 5] ?? 0) ^ 1;
  assert.deepEqual(codes(check(cose, 'application/cose', thumbprintsOf(pki.ec.chainDer))), ['ERR_SCAN_SIGNATURE_INVALID']);
});

test('a signature over another manifest is refused (copied onto a different image)', () => {
  const other = { ...subject, digest: `sha256:${'99'.repeat(32)}` };
  assert.deepEqual(codes(check(signNotaryJws(pki, target, time), 'application/jose+json', thumbprintsOf(pki.rsa.chainDer), other)), ['ERR_VERIFY_CLAIM_DIGEST']);
});

test('an expired signature, an unknown critical header and an untrusted chain are refused', () => {
  const expired = signNotaryJws(pki, target, time, { 'io.cncf.notary.expiry': '2026-03-05T00:00:00Z' });
  assert.deepEqual(codes(check(expired, 'application/jose+json', thumbprintsOf(pki.rsa.chainDer))), ['ERR_SCAN_CHAIN_UNTRUSTED']);
  const plugin = signNotaryJws(pki, target, time, { 'io.cncf.notary.verificationPlugin': 'com.example.plugin' });
  assert.deepEqual(codes(check(plugin, 'application/jose+json', thumbprintsOf(pki.rsa.chainDer))), ['ERR_SCAN_UNVERIFIABLE']);
  const elsewhere = { ...trust, notaryAnchors: [] };
  assert.deepEqual(codes(check(signNotaryJws(pki, target, time), 'application/jose+json', thumbprintsOf(pki.rsa.chainDer), subject, elsewhere)), ['ERR_SCAN_UNVERIFIABLE']);
});

test('a thumbprint annotation that does not match the envelope chain is reported', () => {
  const sig = check(signNotaryJws(pki, target, time), 'application/jose+json', thumbprintsOf(pki.ec.chainDer));
  assert.equal(sig.status, 'failed');
  assert.deepEqual(codes(sig), ['ERR_SCAN_ENVELOPE_MALFORMED']);
});

const malformed: readonly [string, string, Uint8Array][] = [
  ['jws: not json', 'application/jose+json', Buffer.from('{nope')],
  ['jws: general serialization', 'application/jose+json', Buffer.from(JSON.stringify({ payload: 'e30', signatures: [] }))],
  ['jws: no x5c', 'application/jose+json', Buffer.from(JSON.stringify({ payload: 'e30', protected: 'e30', header: {}, signature: '' }))],
  ['cose: not cbor', 'application/cose', Buffer.from([0xff, 0xff])],
  ['cose: untagged', 'application/cose', encodeCbor([new Uint8Array(0), new Map(), new Uint8Array(0), new Uint8Array(0)])],
  ['cose: hmac algorithm', 'application/cose', encodeCbor(new Tag(18, [encodeCbor(new Map([[1, 5]])), new Map(), new Uint8Array(0), new Uint8Array(0)]))],
  ['unknown envelope type', 'application/pgp-signature', Buffer.from('x')],
];
for (const [name, type, bytes] of malformed) {
  test(`malformed envelope: ${name}`, () => {
    assert.throws(() => parseNotaryEnvelope(type, bytes), { code: 'ERR_SCAN_ENVELOPE_MALFORMED' });
  });
}

test('thumbprint annotations: a JSON array of hex, lowercased; anything else is malformed', () => {
  assert.deepEqual(parseThumbprints(JSON.stringify(['AB'.repeat(32)])), ['ab'.repeat(32)]);
  assert.deepEqual(parseThumbprints(undefined), []);
  for (const bad of ['"ab"', '[1]', '["xyz"]', 'not json']) assert.throws(() => parseThumbprints(bad), { code: 'ERR_SCAN_ENVELOPE_MALFORMED' });
});
