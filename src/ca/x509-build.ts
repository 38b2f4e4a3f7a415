/**
 * Building and signing X.509 certificates (RFC 5280) with @peculiar/asn1-x509: names, the
 * extensions sigil's CA writes, and TBS → certificate. The CA's key signs through a `CaSigner`
 * (core/crypto/ underneath), so nothing here touches keys or randomness itself.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, AuthorityKeyIdentifier, BasicConstraints,
  ExtendedKeyUsage, Extension, Extensions, KeyIdentifier, KeyUsage, Name, RelativeDistinguishedName, SubjectKeyIdentifier,
  SubjectPublicKeyInfo, TBSCertificate, Validity, Version,
  id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { concatBytes, digestBytes, InputError } from '../core/index.ts';
import type { CaSigner } from './signing-ports.ts';

/** OID of ecdsa-with-SHA256, the signature algorithm of every certificate sigil's CA signs. */
export const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
/** Extended key usage: code signing. */
export const OID_EKU_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

/** A distinguished name as sigil's CA writes it: organization and common name (UTF8String). */
export interface DistinguishedName {
  readonly organization: string;
  readonly commonName: string;
}

/** An empty Name (Fulcio leaves have an empty subject), or O= and CN= as UTF8Strings. */
export function buildName(name?: DistinguishedName): Name {
  if (name === undefined) return new Name();
  const rdn = (type: string, value: string): RelativeDistinguishedName =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) })]);
  return new Name([rdn('2.5.4.10', name.organization), rdn('2.5.4.3', name.commonName)]);
}

/** One extension from its DER value. */
export function buildExtension(oid: string, critical: boolean, valueDer: Uint8Array): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(valueDer) });
}

/** DER of an ASN.1 value built with @peculiar/asn1-schema classes. */
export function toDer(value: unknown): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}

/**
 * The key identifier of a public key: SHA-1 of the subjectPublicKey BIT STRING contents
 * (RFC 5280 §4.2.1.2 method 1, what Go and Fulcio write).
 * @throws ERR_INPUT_INVALID when `spki` is not a SubjectPublicKeyInfo
 */
export function keyIdentifierOf(spki: Uint8Array | SubjectPublicKeyInfo): Uint8Array {
  const parsed = spki instanceof SubjectPublicKeyInfo ? spki : parseSpki(spki);
  return keyIdentifierOfKeyBits(new Uint8Array(parsed.subjectPublicKey));
}

/** keyIdentifierOf from the subjectPublicKey BIT STRING's contents (without the unused-bits octet). */
export function keyIdentifierOfKeyBits(subjectPublicKey: Uint8Array): Uint8Array {
  return digestBytes('sha1', subjectPublicKey);
}

/**
 * Parses a DER SubjectPublicKeyInfo.
 * @throws ERR_INPUT_INVALID when it does not parse
 */
export function parseSpki(spkiDer: Uint8Array): SubjectPublicKeyInfo {
  try {
    return AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  } catch (cause) {
    throw new InputError('ERR_INPUT_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
}

/** KeyUsage (critical) with the given asn1-x509 KeyUsageFlags bits. */
export function keyUsageExtension(flags: number): Extension {
  return buildExtension(id_ce_keyUsage, true, toDer(new KeyUsage(flags)));
}

/** ExtendedKeyUsage (not critical) listing `purposes`. */
export function extendedKeyUsageExtension(purposes: readonly string[]): Extension {
  return buildExtension(id_ce_extKeyUsage, false, toDer(new ExtendedKeyUsage([...purposes])));
}

/** BasicConstraints (critical) for a CA, with an optional path length. */
export function caBasicConstraintsExtension(pathLength?: number): Extension {
  const bc = new BasicConstraints({ cA: true, ...(pathLength === undefined ? {} : { pathLenConstraint: pathLength }) });
  return buildExtension(id_ce_basicConstraints, true, toDer(bc));
}

/** SubjectKeyIdentifier of a public key (DER or already parsed). */
export function subjectKeyIdentifierExtension(spki: Uint8Array | SubjectPublicKeyInfo): Extension {
  return keyIdentifierExtension(keyIdentifierOf(spki));
}

/** SubjectKeyIdentifier holding `keyIdentifier`. */
export function keyIdentifierExtension(keyIdentifier: Uint8Array): Extension {
  return buildExtension(id_ce_subjectKeyIdentifier, false, toDer(new SubjectKeyIdentifier(keyIdentifier)));
}

/** AuthorityKeyIdentifier naming the issuer's key identifier. */
export function authorityKeyIdentifierExtension(issuerSpkiDer: Uint8Array): Extension {
  const aki = new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyIdentifierOf(issuerSpkiDer)) });
  return buildExtension(id_ce_authorityKeyIdentifier, false, toDer(aki));
}

/** What goes into a TBSCertificate. */
export interface TbsFields {
  /** positive serial number, big-endian, first byte below 0x80 */
  readonly serial: Uint8Array;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** the subject's key, DER or already parsed */
  readonly subjectSpki: Uint8Array | SubjectPublicKeyInfo;
  readonly extensions: readonly Extension[];
}

/** Builds a v3 TBSCertificate signed with ecdsa-with-SHA256. */
export function buildTbs(fields: TbsFields): TBSCertificate {
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: fields.serial.slice().buffer,
    signature: new AlgorithmIdentifier({ algorithm: OID_ECDSA_WITH_SHA256 }),
    issuer: fields.issuer,
    validity: new Validity({ notBefore: fields.notBefore, notAfter: fields.notAfter }),
    subject: fields.subject,
    subjectPublicKeyInfo: fields.subjectSpki instanceof SubjectPublicKeyInfo ? fields.subjectSpki : parseSpki(fields.subjectSpki),
    extensions: new Extensions([...fields.extensions]),
  });
}

/** A DER tag-length-value (X.690 §8.1: definite length, short or long form). */
export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.byteLength;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concatBytes([new Uint8Array([tag, ...length]), content]);
}

const ECDSA_WITH_SHA256_DER = toDer(new AlgorithmIdentifier({ algorithm: OID_ECDSA_WITH_SHA256 }));

/**
 * Signs `tbs` with `signer` and returns the certificate DER: SEQUENCE { tbsCertificate,
 * signatureAlgorithm, signatureValue BIT STRING }, around the exact TBS bytes that were signed
 * (serialized once: the schema serializer is the costly step of issuing).
 */
export function signTbs(tbs: TBSCertificate, signer: CaSigner): Uint8Array {
  return signTbsDer(toDer(tbs), signer);
}

/** signTbs for a TBSCertificate already in DER (signed exactly as given). */
export function signTbsDer(tbsDer: Uint8Array, signer: CaSigner): Uint8Array {
  const signature = signer.sign(tbsDer);
  return derTlv(0x30, concatBytes([tbsDer, ECDSA_WITH_SHA256_DER, derTlv(0x03, concatBytes([new Uint8Array([0]), signature]))]));
}

/** A positive DER INTEGER serial from random bytes (the high bit cleared, never all zero). */
export function toSerial(randomBytes: Uint8Array): Uint8Array {
  const serial = randomBytes.slice();
  if (serial.length === 0) return new Uint8Array([1]);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  return serial;
}
