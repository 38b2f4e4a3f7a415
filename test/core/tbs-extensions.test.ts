import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, Extensions, TBSCertificate } from '@peculiar/asn1-x509';
import { generatePrivateKey } from '../../src/core/index.ts';
import { tbsExtensions, tbsOfCertificate, withTbsExtensions } from '../../src/core/tbs-extensions.ts';
import { issueCertificate } from '../../src/ca/index.ts';
import { createTestCa, GITHUB_IDENTITY } from '../ca/support.ts';

const ca = await createTestCa();
const issued = await issueCertificate(ca.issuer, GITHUB_IDENTITY, generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer());
const reference = AsnConvert.parse(issued.certificateDer, Certificate).tbsCertificate;
const encode = (tbs: TBSCertificate): Uint8Array => new Uint8Array(AsnConvert.serialize(tbs));

test('the TBS and its extensions are read from the exact bytes, as asn1-x509 reads them', () => {
  const tbsDer = tbsOfCertificate(issued.certificateDer);
  assert.deepEqual(tbsDer, encode(reference));
  const read = tbsExtensions(tbsDer);
  assert.deepEqual(read.map((e) => [e.oid, e.critical]), [...(reference.extensions ?? [])].map((e) => [e.extnID, e.critical]));
  assert.deepEqual(read.map((e) => e.der), [...(reference.extensions ?? [])].map((e) => new Uint8Array(AsnConvert.serialize(e))));
});

test('replacing the extension list matches asn1-x509 re-encoding; an empty list drops the [3] field', () => {
  const tbsDer = tbsOfCertificate(issued.certificateDer);
  const read = tbsExtensions(tbsDer);
  for (const keep of [[0, 2, 4], [read.length - 1], []]) {
    const spliced = withTbsExtensions(tbsDer, keep.map((i) => read[i]?.der ?? new Uint8Array()));
    const kept = keep.map((i) => (reference.extensions ?? [])[i]).filter((e) => e !== undefined);
    const expected = new TBSCertificate({ ...reference });
    if (kept.length > 0) expected.extensions = new Extensions(kept);
    else delete expected.extensions;
    assert.deepEqual(spliced, encode(expected), `keeping ${keep.join(',')}`);
  }
});

test('malformed input is ERR_CERT_INVALID, never a crash', () => {
  const tbsDer = tbsOfCertificate(issued.certificateDer);
  const cases: { name: string; run: () => unknown }[] = [
    { name: 'garbage certificate', run: () => tbsOfCertificate(new Uint8Array([0x30, 0x03, 1, 2, 3])) },
    { name: 'certificate with trailing bytes', run: () => tbsOfCertificate(Uint8Array.from([...issued.certificateDer, 0])) },
    { name: 'truncated certificate', run: () => tbsOfCertificate(issued.certificateDer.subarray(0, 100)) },
    { name: 'truncated TBS', run: () => tbsExtensions(tbsDer.subarray(0, tbsDer.byteLength - 3)) },
    { name: 'a TBS that is not a SEQUENCE', run: () => tbsExtensions(Uint8Array.from([0x31, ...tbsDer.subarray(1)])) },
    { name: 'no extension list to replace', run: () => withTbsExtensions(withTbsExtensions(tbsDer, []), []) },
  ];
  for (const c of cases) assert.throws(c.run, { code: 'ERR_CERT_INVALID' }, c.name);
});
