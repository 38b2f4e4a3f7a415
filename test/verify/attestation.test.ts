// Attestation layers verified offline with a key: the DSSE signature over the PAE, the statement
// subject, and the Rekor bundle for each entry kind cosign may have logged (dsse 0.0.1, intoto
// 0.0.1 and 0.0.2), with one mutation per case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJsonBytes, encodeBase64, encodeUtf8, hashHex, signData } from '../../src/core/index.ts';
import { encodeDssePae, encodeDsseEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../../src/bundle/index.ts';
import { ANNOTATION_BUNDLE, ANNOTATION_SIGNATURE, DSSE_ENVELOPE_MEDIA_TYPE, buildSignatureImage, createAttestationStatement, parseSignatureManifest } from '../../src/oci/index.ts';
import { verifyAttestationCandidate, type AttestationPolicy } from '../../src/verify/attestation.ts';
import type { CandidateSignature } from '../../src/verify/cosign-signatures.ts';
import { ALG, IMAGE_DIGEST as image, encodeBundleAnnotation, keyPair, pemB64 } from './cosign-fixtures.ts';

const signer = keyPair();
const log = keyPair();

function envelopeFor(digest = image, key = signer.pkcs8): { envelope: string; statement: Uint8Array; sig: string } {
  const { statement } = createAttestationStatement({ type: 'custom', predicate: encodeUtf8('hello'), repository: 'r.example/app', digestHex: digest.slice(7), now: new Date(0) });
  const signature = signData(ALG, key, encodeDssePae(IN_TOTO_PAYLOAD_TYPE, statement));
  return { envelope: encodeDsseEnvelope(IN_TOTO_PAYLOAD_TYPE, statement, signature), statement, sig: encodeBase64(signature) };
}

type Body = (e: { envelope: string; statement: Uint8Array; sig: string }) => unknown;
const BODIES: Record<string, Body> = {
  'dsse 0.0.1': (e) => ({ apiVersion: '0.0.1', kind: 'dsse', spec: {
    envelopeHash: { algorithm: 'sha256', value: hashHex('sha256', encodeUtf8(e.envelope)) }, payloadHash: { algorithm: 'sha256', value: hashHex('sha256', e.statement) },
    signatures: [{ signature: e.sig, verifier: pemB64(signer.spki) }] } }),
  'intoto 0.0.1': (e) => ({ apiVersion: '0.0.1', kind: 'intoto', spec: {
    content: { hash: { algorithm: 'sha256', value: hashHex('sha256', encodeUtf8(e.envelope)) }, payloadHash: { algorithm: 'sha256', value: hashHex('sha256', e.statement) } }, publicKey: pemB64(signer.spki) } }),
  'intoto 0.0.2': (e) => ({ apiVersion: '0.0.2', kind: 'intoto', spec: { content: {
    envelope: { payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ publicKey: pemB64(signer.spki), sig: encodeBase64(encodeUtf8(e.sig)) }] },
    hash: { algorithm: 'sha256', value: hashHex('sha256', encodeUtf8(e.envelope)) }, payloadHash: { algorithm: 'sha256', value: hashHex('sha256', e.statement) } } } }),
};

function bundleAnnotation(body: unknown, logKey = log): string {
  return encodeBundleAnnotation(canonicalJsonBytes(body), logKey, 3);
}

function candidate(payload: Uint8Array, annotations: Record<string, string> = {}): CandidateSignature {
  const layer = { mediaType: DSSE_ENVELOPE_MEDIA_TYPE, payload, annotations: { [ANNOTATION_SIGNATURE]: '', ...annotations } };
  const ref = parseSignatureManifest(buildSignatureImage([layer]).manifest)[0]!;
  return { source: 'tag layer 0', layer: ref, payload };
}
const policy = (over: Partial<AttestationPolicy> = {}): AttestationPolicy => ({
  imageDigest: image, key: { spkiDer: signer.spki, algorithm: ALG }, logKeys: [{ spkiDer: log.spki, algorithm: ALG }], requireTlog: false, ...over,
});

test('a good attestation verifies, with its statement and predicate type', () => {
  const e = envelopeFor();
  const v = verifyAttestationCandidate(candidate(encodeUtf8(e.envelope)), policy());
  assert.equal(v.predicateType, 'https://cosign.sigstore.dev/attestation/v1');
  assert.equal((v.statement as { _type: string })._type, 'https://in-toto.io/Statement/v0.1');
});

for (const [kind, body] of Object.entries(BODIES)) {
  test(`${kind}: a logged attestation verifies; another envelope, statement, signature, key or log is refused`, () => {
    const e = envelopeFor();
    const ok = verifyAttestationCandidate(candidate(encodeUtf8(e.envelope), { [ANNOTATION_BUNDLE]: bundleAnnotation(body(e)) }), policy({ requireTlog: true }));
    assert.equal(ok.integratedTime, 1_700_000_000);
    const other = envelopeFor();
    const cases: [string, string, string][] = [
      ['another envelope (same key, another signature)', bundleAnnotation(body({ ...other, statement: e.statement })), 'ERR_VERIFY_BUNDLE_MISMATCH'],
      ['another key', bundleAnnotation(JSON.parse(JSON.stringify(body(e)).replaceAll(pemB64(signer.spki), pemB64(log.spki)))), 'ERR_VERIFY_BUNDLE_MISMATCH'],
      ['an untrusted log', bundleAnnotation(body(e), keyPair()), 'ERR_TLOG_LOG_ID_MISMATCH'],
      ['not json', '{', 'ERR_VERIFY_BUNDLE_INVALID'],
    ];
    if (kind !== 'intoto 0.0.1') cases.push(['another signature', bundleAnnotation(body({ ...e, sig: other.sig })), 'ERR_VERIFY_BUNDLE_MISMATCH']);
    for (const [name, annotation, code] of cases) {
      assert.throws(() => verifyAttestationCandidate(candidate(encodeUtf8(e.envelope), { [ANNOTATION_BUNDLE]: annotation }), policy({ requireTlog: true })), { code }, name);
    }
  });
}

test('a hashedrekord entry cannot vouch for an attestation', () => {
  const e = envelopeFor();
  const body = { apiVersion: '0.0.1', kind: 'hashedrekord', spec: {} };
  assert.throws(() => verifyAttestationCandidate(candidate(encodeUtf8(e.envelope), { [ANNOTATION_BUNDLE]: bundleAnnotation(body) }), policy({ requireTlog: true })), { code: 'ERR_VERIFY_BUNDLE_INVALID' });
});

test('each broken layer is refused with its own code', () => {
  const e = envelopeFor();
  const env = JSON.parse(e.envelope) as { payloadType: string; payload: string; signatures: unknown[] };
  const cases: [string, CandidateSignature, Partial<AttestationPolicy>, string][] = [
    ['no log bundle while the log is required', candidate(encodeUtf8(e.envelope)), { requireTlog: true }, 'ERR_VERIFY_TLOG_MISSING'],
    ['another key', candidate(encodeUtf8(envelopeFor(image, keyPair().pkcs8).envelope)), {}, 'ERR_CRYPTO_SIGNATURE_INVALID'],
    ['a statement about another image', candidate(encodeUtf8(envelopeFor(`sha256:${'2'.repeat(64)}`).envelope)), {}, 'ERR_VERIFY_ATTESTATION_SUBJECT'],
    ['not json', candidate(encodeUtf8('garbage')), {}, 'ERR_VERIFY_ATTESTATION_INVALID'],
    ['no signatures', candidate(encodeUtf8(JSON.stringify({ ...env, signatures: [] }))), {}, 'ERR_VERIFY_ATTESTATION_INVALID'],
    ['another payload type', candidate(encodeUtf8(JSON.stringify({ ...env, payloadType: 'text/plain' }))), {}, 'ERR_CRYPTO_SIGNATURE_INVALID'],
    ['a payload that does not match its digest', { ...candidate(encodeUtf8(e.envelope)), payload: encodeUtf8(`${e.envelope} `) }, {}, 'ERR_VERIFY_PAYLOAD_DIGEST'],
  ];
  for (const [name, c, over, code] of cases) assert.throws(() => verifyAttestationCandidate(c, policy(over)), { code }, name);
});
