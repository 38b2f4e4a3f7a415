// The DER fast path (der.ts, certificate-der.ts) against @peculiar/asn1-x509 on every certificate of
// the conformance corpus and sigstore-js fixtures: the same fields, and the same precertificate
// TBS bytes as a full re-encoding. Malformed lengths fail with ERR_CERT_INVALID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, ExtendedKeyUsage, KeyUsage, TBSCertificate, id_ce_extKeyUsage, id_ce_keyUsage } from '@peculiar/asn1-x509';
import { isAppError } from '../../src/core/index.ts';
import { parseCertificate, tbsWithoutExtension } from '../../src/verify/certificate.ts';
import { readTlv } from '../../src/verify/der.ts';

const VECTORS = fileURLToPath(new URL('../vectors/', import.meta.url));
const SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';

function* jsonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* jsonFiles(path);
    else if (name.endsWith('.json')) yield path;
  }
}

/** Every base64 `rawBytes` that parses as a certificate under asn1-x509. */
function corpusCertificates(): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const file of jsonFiles(VECTORS)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/"rawBytes":\s*"([A-Za-z0-9+/=]+)"/g)) {
      const b64 = m[1] ?? '';
      if (seen.has(b64)) continue;
      seen.add(b64);
      const der = new Uint8Array(Buffer.from(b64, 'base64'));
      try { AsnConvert.parse(der, Certificate); } catch { continue; }
      if (der[0] === 0x30) out.push(der);
    }
  }
  return out;
}

test('the DER reader agrees with asn1-x509 on every corpus certificate', () => {
  const certs = corpusCertificates();
  assert.ok(certs.length >= 20, `found ${certs.length} certificates`);
  for (const der of certs) {
    const ref = AsnConvert.parse(der, Certificate);
    const tbs = ref.tbsCertificate;
    const mine = parseCertificate(der);
    assert.deepEqual(mine.issuerDer, new Uint8Array(AsnConvert.serialize(tbs.issuer)));
    assert.deepEqual(mine.subjectDer, new Uint8Array(AsnConvert.serialize(tbs.subject)));
    assert.deepEqual(mine.publicKey.spkiDer, new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo)));
    assert.equal(mine.notBefore.getTime(), tbs.validity.notBefore.getTime().getTime());
    assert.equal(mine.notAfter.getTime(), tbs.validity.notAfter.getTime().getTime());
    assert.equal(mine.signatureAlgorithm, ref.signatureAlgorithm.algorithm);
    assert.deepEqual(mine.signature, new Uint8Array(ref.signatureValue));
    assert.deepEqual(mine.extensions.map((e) => [e.oid, e.critical]), [...(tbs.extensions ?? [])].map((e) => [e.extnID, e.critical]));
    const ku = tbs.extensions?.find((e) => e.extnID === id_ce_keyUsage);
    assert.equal(mine.keyUsage, ku ? AsnConvert.parse(ku.extnValue, KeyUsage).toNumber() : undefined);
    const eku = tbs.extensions?.find((e) => e.extnID === id_ce_extKeyUsage);
    assert.deepEqual(mine.extendedKeyUsage, eku ? [...AsnConvert.parse(eku.extnValue, ExtendedKeyUsage)] : undefined);
    // the precertificate TBS: DER surgery equals asn1-x509's full re-encoding without the SCT list
    const reencoded = AsnConvert.parse(mine.tbsDer, TBSCertificate);
    const kept = (reencoded.extensions ?? []).filter((e) => e.extnID !== SCT_LIST);
    reencoded.extensions = Object.assign(reencoded.extensions ?? [], { length: 0 });
    reencoded.extensions.push(...kept);
    assert.deepEqual(tbsWithoutExtension(mine, SCT_LIST), new Uint8Array(AsnConvert.serialize(reencoded)));
  }
});

test('non-minimal, indefinite and overrunning lengths are ERR_CERT_INVALID', () => {
  const cases = [
    new Uint8Array([0x30, 0x81, 0x05, 1, 2, 3, 4, 5]), // long form for a short length
    new Uint8Array([0x30, 0x80, 0, 0]), // indefinite
    new Uint8Array([0x30, 0x05, 1, 2]), // overruns
    new Uint8Array([0x30, 0x82, 0x00, 0x90]), // leading zero length octet
  ];
  for (const bytes of cases) {
    assert.throws(() => readTlv(bytes, 0), (e: unknown) => isAppError(e) && e.code === 'ERR_CERT_INVALID');
    assert.throws(() => parseCertificate(bytes), (e: unknown) => isAppError(e) && e.code === 'ERR_CERT_INVALID');
  }
});
