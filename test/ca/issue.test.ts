import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePem, generatePrivateKey } from '../../src/core/index.ts';
import { issueCertificate, LEAF_VALIDITY_MS } from '../../src/ca/index.ts';
import { parseCertificate } from '../../src/verify/index.ts';
import { EKU_CODE_SIGNING, findExtension, verifyCertificatePath, verifyLeafUsage } from '../../src/verify/certificate.ts';
import { makeTempDir } from '../support/temp.ts';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, Extensions, TBSCertificate } from '@peculiar/asn1-x509';
import { OID_CT_POISON, sctListExtension } from '../../src/ca/sct-list.ts';
import { createTestCa, EMAIL_IDENTITY, GITHUB_IDENTITY } from './support.ts';

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

test('openssl x509 -text shows Fulcio\'s profile on an issued certificate, and openssl verify accepts the chain', async () => {
  const ca = await createTestCa();
  const key = generatePrivateKey('ecdsa-p256');
  const issued = await issueCertificate(ca.issuer, GITHUB_IDENTITY, key.publicKey().toSpkiDer());
  const dir = makeTempDir('sigil-ca-openssl-');
  const leafPath = join(dir, 'leaf.pem');
  writeFileSync(leafPath, encodePem('CERTIFICATE', issued.certificateDer));
  writeFileSync(join(dir, 'intermediate.pem'), encodePem('CERTIFICATE', ca.intermediateDer));
  writeFileSync(join(dir, 'root.pem'), encodePem('CERTIFICATE', ca.rootDer));
  const text = openssl(['x509', '-in', leafPath, '-text', '-noout']);
  const lines = text.split('\n').map((l) => l.trim());
  const after = (heading: string): string => lines[lines.indexOf(heading) + 1] ?? '';
  assert.ok(lines.includes('Version: 3 (0x2)'));
  assert.ok(lines.includes('Signature Algorithm: ecdsa-with-SHA256'));
  assert.ok(lines.includes('Issuer: O = sigil, CN = sigil-intermediate'));
  assert.ok(lines.includes('Subject:'), 'the subject is empty');
  assert.equal(after('X509v3 Key Usage: critical'), 'Digital Signature');
  assert.equal(after('X509v3 Extended Key Usage:'), 'Code Signing');
  assert.ok(lines.includes('X509v3 Subject Key Identifier:'));
  assert.ok(lines.includes('X509v3 Authority Key Identifier:'));
  assert.equal(after('X509v3 Subject Alternative Name: critical'), `URI:${GITHUB_IDENTITY.san.value}`);
  assert.equal(after('1.3.6.1.4.1.57264.1.1:'), GITHUB_IDENTITY.issuer);
  assert.equal(after('1.3.6.1.4.1.57264.1.2:'), 'push');
  assert.equal(after('1.3.6.1.4.1.57264.1.5:'), 'octo/app');
  // .1.8 onwards are UTF8Strings: openssl prints the tag and length bytes before the text
  assert.equal(after('1.3.6.1.4.1.57264.1.8:').slice(2), GITHUB_IDENTITY.issuer);
  assert.equal(after('1.3.6.1.4.1.57264.1.11:').slice(2), 'github-hosted');
  assert.ok(lines.includes('CT Precertificate SCTs:'));
  assert.ok(!text.includes('CT Precertificate Poison'));
  const notBefore = new Date(after('Validity').replace('Not Before: ', ''));
  const notAfter = new Date((lines[lines.indexOf('Validity') + 2] ?? '').replace('Not After : ', ''));
  assert.equal(notAfter.getTime() - notBefore.getTime(), LEAF_VALIDITY_MS);
  // the extensions come in Fulcio's order
  const order = ['Key Usage', 'Extended Key Usage', 'Subject Key Identifier', 'Authority Key Identifier', 'Subject Alternative Name',
    '57264.1.1:', '57264.1.2:', '57264.1.5:', '57264.1.8:', '57264.1.9:', '57264.1.11:', '57264.1.12:', '57264.1.20:', 'CT Precertificate SCTs'];
  const positions = order.map((o) => text.indexOf(o));
  assert.deepEqual([...positions].sort((a, b) => a - b), positions);
  assert.ok(positions.every((p) => p > 0));
  const verified = openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'intermediate.pem'), '-purpose', 'any', leafPath]);
  assert.equal(verified.trim(), `${leafPath}: OK`);
});

test('issuer extensions: .1.1 holds the raw string, .1.8 a DER UTF8String; the leaf chains and may sign code', async () => {
  const ca = await createTestCa();
  const issued = await issueCertificate(ca.issuer, EMAIL_IDENTITY, generatePrivateKey('ecdsa-p384').publicKey().toSpkiDer());
  const leaf = parseCertificate(issued.certificateDer);
  const raw = findExtension(leaf, '1.3.6.1.4.1.57264.1.1');
  const v2 = findExtension(leaf, '1.3.6.1.4.1.57264.1.8');
  assert.equal(Buffer.from(raw?.value ?? []).toString(), EMAIL_IDENTITY.issuer);
  assert.deepEqual([...(v2?.value ?? new Uint8Array()).subarray(0, 2)], [0x0c, EMAIL_IDENTITY.issuer.length]);
  assert.equal(Buffer.from((v2?.value ?? new Uint8Array()).subarray(2)).toString(), EMAIL_IDENTITY.issuer);
  assert.equal(findExtension(leaf, '1.3.6.1.4.1.57264.1.2'), undefined);
  assert.equal(findExtension(leaf, '2.5.29.17')?.critical, true);
  assert.equal(leaf.subjectDer.byteLength, 2);
  verifyCertificatePath(leaf, [parseCertificate(ca.intermediateDer), parseCertificate(ca.rootDer)], leaf.notBefore);
  verifyLeafUsage(leaf, EKU_CODE_SIGNING);
  assert.equal(leaf.notBefore.getTime(), Math.floor(ca.now.getTime() / 1000) * 1000);
});

test('an identity with an empty SAN or an extension outside the Fulcio arc is refused before anything is logged', async () => {
  const ca = await createTestCa();
  const key = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  await assert.rejects(issueCertificate(ca.issuer, { ...EMAIL_IDENTITY, san: { kind: 'email', value: '' } }, key), { code: 'ERR_INPUT_INVALID' });
  await assert.rejects(issueCertificate(ca.issuer, { ...EMAIL_IDENTITY, extensions: [{ oid: '2.5.29.19', value: 'x' }] }, key), { code: 'ERR_INPUT_INVALID' });
  assert.equal((await ca.ct.latestHead()).treeSize, 0);
});

test('a username identity gets Fulcio\'s otherName SAN (type-id .1.7, a UTF8String), which openssl shows', async () => {
  const ca = await createTestCa();
  const identity = { ...EMAIL_IDENTITY, san: { kind: 'other-name' as const, value: 'alice!example.com' }, challenge: 'alice' };
  const issued = await issueCertificate(ca.issuer, identity, generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer());
  const dir = makeTempDir('sigil-ca-othername-');
  writeFileSync(join(dir, 'leaf.pem'), encodePem('CERTIFICATE', issued.certificateDer));
  const text = openssl(['x509', '-in', join(dir, 'leaf.pem'), '-text', '-noout']);
  assert.match(text, /X509v3 Subject Alternative Name: critical\n\s+othername: 1\.3\.6\.1\.4\.1\.57264\.1\.7::alice!example\.com/);
});

test('one serialization: the certificate is the precertificate\'s TBS with the poison swapped for the SCT list, byte for byte as asn1-x509 encodes it', async () => {
  const ca = await createTestCa();
  for (const identity of [EMAIL_IDENTITY, GITHUB_IDENTITY]) {
    let precertDer: Uint8Array = new Uint8Array();
    const issued = await issueCertificate({ ...ca.issuer, logPrecertificate: async (chain) => { precertDer = chain[0] ?? precertDer; return ca.issuer.logPrecertificate(chain); } },
      identity, generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer());
    // the reference: re-encode the precertificate's TBS with asn1-x509, poison out, SCT list in
    const precert = AsnConvert.parse(precertDer, Certificate).tbsCertificate;
    const kept = (precert.extensions ?? []).filter((e) => e.extnID !== OID_CT_POISON);
    assert.equal(kept.length, (precert.extensions ?? []).length - 1, 'the precertificate carries the poison');
    const expected = new TBSCertificate({ ...precert, extensions: new Extensions([...kept, sctListExtension([issued.sct])]) });
    const actual = AsnConvert.parse(issued.certificateDer, Certificate);
    assert.deepEqual(new Uint8Array(AsnConvert.serialize(actual.tbsCertificate)), new Uint8Array(AsnConvert.serialize(expected)));
    assert.deepEqual(Buffer.from(issued.certificateDer).subarray(4, 4 + AsnConvert.serialize(expected).byteLength), Buffer.from(AsnConvert.serialize(expected)));
  }
});
