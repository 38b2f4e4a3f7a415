// A small certificate authority for client tests: a self-signed P-256 root that issues
// Fulcio-shaped leaves (email or URI SAN, code-signing EKU, the issuer in .1.1 and .1.8) for any
// public key, with no SCT. Built with the same @peculiar/asn1-x509 schemas the verifier parses.
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, Extensions, BasicConstraints, Certificate, Extension, ExtendedKeyUsage, GeneralName,
  KeyUsage, KeyUsageFlags, Name, RelativeDistinguishedName, SubjectAlternativeName, SubjectPublicKeyInfo, TBSCertificate, Validity, Version,
  id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName, id_kp_codeSigning,
} from '@peculiar/asn1-x509';
import { encodePem, generateP256KeyPair } from '../../src/core/index.ts';

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

/** A root that issues leaves. */
export interface TestCa {
  readonly rootDer: Uint8Array;
  readonly rootPem: string;
  /** Issues a ten-minute leaf for `spkiDer` naming `san` and `issuer`, valid from `notBefore`. */
  issue(spkiDer: Uint8Array, san: { kind: 'email' | 'uri'; value: string }, issuer: string, notBefore?: Date): Uint8Array;
}

function name(cn: string): Name {
  return new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: cn }) })])]);
}

function signTbs(tbs: TBSCertificate, key: KeyObject): Uint8Array {
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbs)), key);
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_SHA256 }), signatureValue: new Uint8Array(signature).buffer });
  return new Uint8Array(AsnConvert.serialize(cert));
}

function tbsOf(spkiDer: Uint8Array, issuer: Name, subject: Name, from: Date, to: Date, extensions: Extension[]): TBSCertificate {
  const serial = randomBytes(16);
  // positive and minimally encoded: a leading 0x00 before a byte under 0x80 (1 in 256 serials when
  // only the top bit was cleared) is DER that OpenSSL refuses ("illegal padding")
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  return new TBSCertificate({
    version: Version.v3, serialNumber: new Uint8Array(serial).buffer, signature: new AlgorithmIdentifier({ algorithm: ECDSA_SHA256 }),
    issuer, subject, validity: new Validity({ notBefore: from, notAfter: to }),
    subjectPublicKeyInfo: AsnConvert.parse(spkiDer, SubjectPublicKeyInfo), extensions: new Extensions(extensions),
  });
}

const ext = (extnID: string, critical: boolean, value: unknown): Extension => new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
const raw = (extnID: string, bytes: Uint8Array): Extension => new Extension({ extnID, critical: false, extnValue: new OctetString(bytes) });

/** A root and an intermediate below it that issues the leaves (`rootDer` is the root's). */
export interface TestCaChain extends TestCa {
  readonly intermediateDer: Uint8Array;
  readonly intermediatePem: string;
}

function issuerOf(key: KeyObject, issuerName: Name): TestCa['issue'] {
  return (spkiDer, san, issuer, notBefore = new Date()) => {
    const general = san.kind === 'email' ? new GeneralName({ rfc822Name: san.value }) : new GeneralName({ uniformResourceIdentifier: san.value });
    const utf8 = new Uint8Array([0x0c, Buffer.byteLength(issuer), ...Buffer.from(issuer)]);
    return signTbs(tbsOf(spkiDer, issuerName, new Name([]), notBefore, new Date(notBefore.getTime() + 600_000), [
      ext(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature)),
      ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_codeSigning])),
      ext(id_ce_subjectAltName, true, new SubjectAlternativeName([general])),
      raw('1.3.6.1.4.1.57264.1.1', new Uint8Array(Buffer.from(issuer))),
      raw('1.3.6.1.4.1.57264.1.8', utf8),
    ]), key);
  };
}

function caExtensions(): Extension[] {
  return [
    ext(id_ce_basicConstraints, true, new BasicConstraints({ cA: true })),
    ext(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
  ];
}

function newKey(): { spkiDer: Uint8Array; key: KeyObject } {
  const pair = generateP256KeyPair();
  return { spkiDer: pair.spkiDer, key: createPrivateKey({ key: Buffer.from(pair.pkcs8Der), format: 'der', type: 'pkcs8' }) };
}

/** Creates a root valid for a day either side of now. */
export function createTestCa(): TestCa {
  const { spkiDer, key } = newKey();
  const rootName = name('sigil test root');
  const now = Date.now();
  const rootDer = signTbs(tbsOf(spkiDer, rootName, rootName, new Date(now - 86_400_000), new Date(now + 86_400_000), caExtensions()), key);
  return { rootDer, rootPem: encodePem('CERTIFICATE', rootDer), issue: issuerOf(key, rootName) };
}

/** Creates a private root and an intermediate (both valid a day either side of now); the intermediate issues the leaves. */
export function createTestCaChain(): TestCaChain {
  const root = newKey();
  const intermediate = newKey();
  const rootName = name('sigil test private root');
  const intermediateName = name('sigil test intermediate');
  const now = Date.now();
  const from = new Date(now - 86_400_000);
  const to = new Date(now + 86_400_000);
  const rootDer = signTbs(tbsOf(root.spkiDer, rootName, rootName, from, to, caExtensions()), root.key);
  const intermediateDer = signTbs(tbsOf(intermediate.spkiDer, rootName, intermediateName, from, to, caExtensions()), root.key);
  return {
    rootDer, rootPem: encodePem('CERTIFICATE', rootDer),
    intermediateDer, intermediatePem: encodePem('CERTIFICATE', intermediateDer),
    issue: issuerOf(intermediate.key, intermediateName),
  };
}
