// The keyless signer: which claim the proof of possession signs, the certificate-key check, the
// CSR it sends, and the signing-config choice, against an in-process CA that issues real certificates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { createKeylessSigner, parseIdentityToken, parseSigningConfig, type CertificateAuthority, type CertificateRequest } from '../../src/sign/index.ts';
import { decodePem, encodePem, encodeUtf8, generatePrivateKey } from '../../src/core/index.ts';
import { createTestCa } from '../support/test-ca.ts';
import { mintIdToken } from '../support/id-tokens.ts';

const testCa = createTestCa();

function recordingCa(issueFor?: Uint8Array): { ca: CertificateAuthority; requests: CertificateRequest[] } {
  const requests: CertificateRequest[] = [];
  const ca: CertificateAuthority = {
    baseUrl: 'http://ca.test',
    async requestCertificate(_token, request) {
      requests.push(request);
      const spki = issueFor ?? (request.kind === 'public-key'
        ? new Uint8Array(createPublicKey(request.publicKeyPem).export({ format: 'der', type: 'spki' }))
        : new Uint8Array(AsnConvert.serialize(AsnConvert.parse(decodePem(request.csrPem)[0]?.der ?? new Uint8Array(), CertificationRequest).certificationRequestInfo.subjectPKInfo)));
      return { chainPem: [encodePem('CERTIFICATE', testCa.issue(spki, { kind: 'email', value: 'x@y.z' }, 'https://iss')), testCa.rootPem], sctEmbedded: true };
    },
    getTrustBundle: async () => [[testCa.rootPem]],
  };
  return { ca, requests };
}

const subjects = [
  { name: 'an email token: the proof signs the email', claims: { iss: 'https://iss', sub: '1234', email: 'me@example.com' }, subject: 'me@example.com' },
  { name: 'a CI token without email: the proof signs sub', claims: { iss: 'https://iss', sub: 'repo:org/app:ref:refs/heads/main' }, subject: 'repo:org/app:ref:refs/heads/main' },
];
for (const c of subjects) {
  test(c.name, async () => {
    const { ca, requests } = recordingCa();
    const signer = await createKeylessSigner(await mintIdToken(c.claims), { ca, key: generatePrivateKey('ecdsa-p256') });
    const request = requests[0];
    assert.ok(request?.kind === 'public-key');
    assert.ok(verify('sha256', encodeUtf8(c.subject), createPublicKey(request.publicKeyPem), request.proofOfPossession));
    assert.equal(signer.identity.subject, c.subject);
    assert.equal(signer.chainPem, testCa.rootPem);
    assert.ok(verify('sha256', encodeUtf8('data'), createPublicKey(signer.certificatePem), signer.sign(encodeUtf8('data'))));
  });
}

test('a CSR carries the key and verifies under it', async () => {
  const { ca, requests } = recordingCa();
  await createKeylessSigner(await mintIdToken({ iss: 'https://iss', sub: 's' }), { ca, key: generatePrivateKey('ecdsa-p256'), useCsr: true });
  const request = requests[0];
  assert.ok(request?.kind === 'csr');
  const csr = AsnConvert.parse(decodePem(request.csrPem)[0]?.der ?? new Uint8Array(), CertificationRequest);
  const key = createPublicKey({ key: Buffer.from(AsnConvert.serialize(csr.certificationRequestInfo.subjectPKInfo)), format: 'der', type: 'spki' });
  assert.ok(verify('sha256', Buffer.from(AsnConvert.serialize(csr.certificationRequestInfo)), key, Buffer.from(csr.signature)));
});

test('a certificate for another key is refused', async () => {
  const other = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  const { ca } = recordingCa(other);
  await assert.rejects(createKeylessSigner(await mintIdToken({ iss: 'https://iss', sub: 's' }), { ca, key: generatePrivateKey('ecdsa-p256') }), { code: 'ERR_KEYLESS_CERTIFICATE_MISMATCH' });
});

test('a leaf that is not DER X.509 is an invalid answer; one for a key of another type is a mismatch', async () => {
  const token = await mintIdToken({ iss: 'https://iss', sub: 's' });
  const answering = (leafDer: Uint8Array): CertificateAuthority => ({
    baseUrl: 'http://ca.test',
    requestCertificate: async () => ({ chainPem: [encodePem('CERTIFICATE', leafDer), testCa.rootPem], sctEmbedded: true }),
    getTrustBundle: async () => [[testCa.rootPem]],
  });
  const leaf = testCa.issue(generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer(), { kind: 'email', value: 'x@y.z' }, 'https://iss');
  for (const garbage of [new Uint8Array([0x30, 0x03, 1, 2, 3]), Uint8Array.from([...leaf, 0]), leaf.subarray(0, 120)]) {
    await assert.rejects(createKeylessSigner(token, { ca: answering(garbage), key: generatePrivateKey('ecdsa-p256') }), { code: 'ERR_HTTP_RESPONSE_INVALID' });
  }
  const ed = testCa.issue(generatePrivateKey('ed25519').publicKey().toSpkiDer(), { kind: 'email', value: 'x@y.z' }, 'https://iss');
  await assert.rejects(createKeylessSigner(token, { ca: answering(ed), key: generatePrivateKey('ecdsa-p256') }), { code: 'ERR_KEYLESS_CERTIFICATE_MISMATCH' });
});

const badTokens = [
  { name: 'not a jwt', token: 'abc' },
  { name: 'no iss', token: `e30.${Buffer.from(JSON.stringify({ sub: 'x' })).toString('base64url')}.sig` },
  { name: 'neither email nor sub', token: `e30.${Buffer.from(JSON.stringify({ iss: 'https://i' })).toString('base64url')}.sig` },
];
for (const c of badTokens) {
  test(`token ${c.name}: ERR_KEYLESS_TOKEN_MALFORMED before the CA is asked`, async () => {
    const { ca, requests } = recordingCa();
    assert.throws(() => parseIdentityToken(c.token), { code: 'ERR_KEYLESS_TOKEN_MALFORMED' });
    await assert.rejects(createKeylessSigner(c.token, { ca, key: generatePrivateKey('ecdsa-p256') }), { code: 'ERR_KEYLESS_TOKEN_MALFORMED' });
    assert.equal(requests.length, 0);
  });
}

test('signing config: the v1 services valid now, newest start first', () => {
  const config = {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [
      { url: 'https://old-ca', majorApiVersion: 1, validFor: { start: '2020-01-01T00:00:00Z' } },
      { url: 'https://new-ca/', majorApiVersion: 1, validFor: { start: '2024-01-01T00:00:00Z' } },
      { url: 'https://future-ca', majorApiVersion: 1, validFor: { start: '2099-01-01T00:00:00Z' } },
    ],
    rekorTlogUrls: [
      { url: 'https://rekor-v2', majorApiVersion: 2, validFor: { start: '2025-01-01T00:00:00Z' } },
      { url: 'https://rekor', majorApiVersion: 1, validFor: { start: '2021-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' } },
    ],
  };
  assert.deepEqual(parseSigningConfig(encodeUtf8(JSON.stringify(config)), new Date('2026-01-01T00:00:00Z')), { caUrl: 'https://new-ca', rekorUrl: 'https://rekor' });
  assert.throws(() => parseSigningConfig(encodeUtf8('{"mediaType":"x"}'), new Date()), { code: 'ERR_CONFIG_INVALID' });
  assert.throws(() => parseSigningConfig(encodeUtf8('nope'), new Date()), { code: 'ERR_CONFIG_INVALID' });
});
