/**
 * Fulcio's leaf certificate profile (docs/certificate-specification.md upstream; research §4.3,
 * §4.4): ten-minute validity, empty subject, KeyUsage digitalSignature (critical), EKU
 * codeSigning, SKI, AKI, a critical SAN (email, URI, or the username otherName), then the Sigstore extensions in OID order: .1.1 and the
 * deprecated .1.2–.1.6 as raw strings, .1.8 onwards as DER UTF8Strings.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  Certificate, DirectoryString, GeneralName, KeyUsageFlags, OtherName, SubjectAlternativeName, TBSCertificate, id_ce_subjectAltName,
  type Extension, type Name,
} from '@peculiar/asn1-x509';
import { encodeUtf8, InputError } from '../core/index.ts';
import type { CertificateIdentity } from './ports.ts';
import {
  authorityKeyIdentifierExtension, buildExtension, buildName, buildTbs, extendedKeyUsageExtension, keyUsageExtension,
  OID_EKU_CODE_SIGNING, parseSpki, subjectKeyIdentifierExtension, toDer,
} from './x509-build.ts';

/** Fulcio leaves live exactly ten minutes. */
export const LEAF_VALIDITY_MS = 10 * 60 * 1000;
/** The Sigstore (Fulcio) OID arc. */
export const OID_FULCIO_ARC = '1.3.6.1.4.1.57264.1';
/** The OIDC issuer as raw bytes (deprecated; cosign reads it). */
export const OID_FULCIO_ISSUER = `${OID_FULCIO_ARC}.1`;
/** The OIDC issuer as a DER UTF8String (bundle verifiers read it). */
export const OID_FULCIO_ISSUER_V2 = `${OID_FULCIO_ARC}.8`;

/** What a leaf is issued for. */
export interface LeafFields {
  readonly identity: CertificateIdentity;
  readonly subjectSpkiDer: Uint8Array;
  readonly serial: Uint8Array;
  readonly notBefore: Date;
  readonly issuer: IssuingCertificate;
}

/** What a leaf needs of the certificate that issues it. */
export interface IssuingCertificate {
  /** its subject, which becomes the leaf's issuer */
  readonly subject: Name;
  readonly spkiDer: Uint8Array;
}

/** Reads the subject and key of the issuing certificate (DER), once per CA rather than per leaf. */
export function toIssuingCertificate(certificateDer: Uint8Array): IssuingCertificate {
  const cert = AsnConvert.parse(certificateDer, Certificate);
  return { subject: cert.tbsCertificate.subject, spkiDer: toDer(cert.tbsCertificate.subjectPublicKeyInfo) };
}

/** OtherName type-id of Fulcio's `username` SANs (`user!domain`, a UTF8String). */
export const OID_FULCIO_USERNAME = `${OID_FULCIO_ARC}.7`;

function generalName(san: CertificateIdentity['san']): GeneralName {
  switch (san.kind) {
    case 'email': return new GeneralName({ rfc822Name: san.value });
    case 'uri': return new GeneralName({ uniformResourceIdentifier: san.value });
    case 'other-name': return new GeneralName({ otherName: new OtherName({ typeId: OID_FULCIO_USERNAME, value: utf8StringDer(san.value).slice().buffer }) });
  }
}

/** The critical SAN extension of an identity. */
export function sanExtension(identity: CertificateIdentity): Extension {
  const name = generalName(identity.san);
  return buildExtension(id_ce_subjectAltName, true, toDer(new SubjectAlternativeName([name])));
}

function utf8StringDer(value: string): Uint8Array {
  return toDer(new DirectoryString({ utf8String: value }));
}

function lastArc(oid: string): number {
  return Number(oid.slice(oid.lastIndexOf('.') + 1));
}

function checkFulcioOid(oid: string): void {
  if (!oid.startsWith(`${OID_FULCIO_ARC}.`) || !/^\d+$/.test(oid.slice(OID_FULCIO_ARC.length + 1))) {
    throw new InputError('ERR_INPUT_INVALID', `identity extension ${oid} is not in the Fulcio arc ${OID_FULCIO_ARC}`);
  }
}

/** The Sigstore extensions of a leaf, ordered by OID: issuer raw (.1.1), legacy raw, issuer UTF8 (.1.8), CI UTF8. */
export function sigstoreExtensions(identity: CertificateIdentity): Extension[] {
  const entries: { oid: string; der: Uint8Array }[] = [
    { oid: OID_FULCIO_ISSUER, der: encodeUtf8(identity.issuer) },
    { oid: OID_FULCIO_ISSUER_V2, der: utf8StringDer(identity.issuer) },
  ];
  for (const e of identity.legacyExtensions) entries.push({ oid: e.oid, der: encodeUtf8(e.value) });
  for (const e of identity.extensions) entries.push({ oid: e.oid, der: utf8StringDer(e.value) });
  for (const e of entries) checkFulcioOid(e.oid);
  // Fulcio writes an extension only when its value is non-empty
  return entries
    .filter((e, i) => e.der.byteLength > 0 && !(e.der.byteLength === 2 && e.der[0] === 0x0c) && entries.findIndex((o) => o.oid === e.oid) === i)
    .sort((a, b) => lastArc(a.oid) - lastArc(b.oid))
    .map((e) => buildExtension(e.oid, false, e.der));
}

/** The extensions every leaf of one issuer shares (KeyUsage, EKU, AKI), built once per issuer. */
export interface LeafConstants {
  readonly issuer: IssuingCertificate;
  readonly keyUsage: Extension;
  readonly extendedKeyUsage: Extension;
  readonly authorityKeyIdentifier: Extension;
}

/** The constant part of every leaf `issuer` signs (a pure function of the issuing certificate). */
export function toLeafConstants(issuer: IssuingCertificate): LeafConstants {
  return {
    issuer,
    keyUsage: keyUsageExtension(KeyUsageFlags.digitalSignature),
    extendedKeyUsage: extendedKeyUsageExtension([OID_EKU_CODE_SIGNING]),
    authorityKeyIdentifier: authorityKeyIdentifierExtension(issuer.spkiDer),
  };
}

/**
 * The leaf TBSCertificate with `extra` extensions last (the precertificate adds the poison, the
 * final certificate the SCT list).
 * @throws ERR_INPUT_INVALID for an empty SAN, an extension outside the Fulcio arc, or a key that is not a DER SPKI
 */
export function buildLeafTbsWith(fields: Omit<LeafFields, 'issuer'>, constants: LeafConstants, extra: readonly Extension[] = []): TBSCertificate {
  if (fields.identity.san.value === '') throw new InputError('ERR_INPUT_INVALID', 'the certificate identity has an empty subject alternative name');
  const spki = parseSpki(fields.subjectSpkiDer);
  return buildTbs({
    serial: fields.serial,
    issuer: constants.issuer.subject,
    subject: buildName(),
    notBefore: fields.notBefore,
    notAfter: new Date(fields.notBefore.getTime() + LEAF_VALIDITY_MS),
    subjectSpki: spki,
    extensions: [
      constants.keyUsage,
      constants.extendedKeyUsage,
      subjectKeyIdentifierExtension(spki),
      constants.authorityKeyIdentifier,
      sanExtension(fields.identity),
      ...sigstoreExtensions(fields.identity),
      ...extra,
    ],
  });
}

/**
 * The leaf TBSCertificate without CT extensions (the precertificate adds the poison, the final
 * certificate the SCT list).
 * @throws ERR_INPUT_INVALID for an empty SAN or an extension outside the Fulcio arc
 */
export function buildLeafTbs(fields: LeafFields): TBSCertificate {
  return buildLeafTbsWith(fields, toLeafConstants(fields.issuer));
}
