/**
 * PKCS#7 / CMS SignedData (RFC 5652) as JAR signature blocks and Authenticode use it: parse with
 * @peculiar/asn1-cms, find the signer's certificate, check messageDigest and the signature value.
 */
import { AsnArray, AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { Attribute, CertificateChoices, CertificateSet, ContentInfo, SignedData, type SignerInfo } from '@peculiar/asn1-cms';
import { Certificate, SubjectKeyIdentifier, id_ce_subjectKeyIdentifier } from '@peculiar/asn1-x509';
import { InputError, VerificationError, digestBytes, isAppError, isLegacySignatureValid, type LegacyDigestAlgorithm } from '../core/index.ts';
import { DIGEST_OIDS, OID, SIGNATURE_OIDS } from './oids.ts';
import { LenientSignedData } from './signed-data-schema.ts';

/** Raw bytes in either form the ASN.1 library uses. */
type Bytes = ArrayBuffer | ArrayBufferView;

// SET OF Attribute, to re-encode signedAttrs as the signature input (RFC 5652 §5.4: EXPLICIT SET tag, not [0]).
class AttributeSet extends AsnArray<Attribute> {}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(AttributeSet);

// A bare OBJECT IDENTIFIER (the content-type attribute's value), as a one-alternative CHOICE.
class ObjectIdentifierValue {
  value = '';
}
AsnType({ type: AsnTypeTypes.Choice })(ObjectIdentifierValue);
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(ObjectIdentifierValue.prototype, 'value');

/** Anything @peculiar/asn1-schema can parse into. */
type AsnTarget<T> = new () => T;

/**
 * Parses DER into a schema type, turning the library's errors into one code.
 * @throws ERR_SCAN_FILE_MALFORMED when the bytes do not fit the schema
 */
export function parseDer<T>(der: Bytes, target: AsnTarget<T>, what: string): T {
  try {
    return AsnConvert.parse(der, target);
  } catch (cause) {
    throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what} is not valid der`, { cause });
  }
}

/**
 * Parses a ContentInfo that must hold SignedData.
 * @throws ERR_SCAN_FILE_MALFORMED when it does not
 */
export function parseSignedData(der: Bytes, what: string): SignedData {
  const info = parseDer(der, ContentInfo, what);
  if (info.contentType !== OID.signedData) {
    throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what} holds content type ${info.contentType}, not signed data`);
  }
  const lenient = parseDer(info.content, LenientSignedData, `${what} signed data`);
  // keep the X.509 certificates (SEQUENCE); skip attribute certificates and anything unparseable
  const certificates = (lenient.certificates ?? []).flatMap((raw) => {
    if (new Uint8Array(raw)[0] !== 0x30) return [];
    try { return [new CertificateChoices({ certificate: AsnConvert.parse(raw, Certificate) })]; } catch { return []; }
  });
  return new SignedData({
    version: lenient.version, digestAlgorithms: lenient.digestAlgorithms, encapContentInfo: lenient.encapContentInfo,
    certificates: new CertificateSet(certificates), signerInfos: lenient.signerInfos,
  });
}

/** The X.509 certificates a SignedData carries (other certificate kinds are skipped). */
export function listCertificates(sd: SignedData): readonly Certificate[] {
  return (sd.certificates ?? []).flatMap((c) => (c.certificate ? [c.certificate] : []));
}

function equalBytes(a: Bytes, b: Bytes): boolean {
  const x = ArrayBuffer.isView(a) ? new Uint8Array(a.buffer, a.byteOffset, a.byteLength) : new Uint8Array(a);
  const y = ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
  return x.byteLength === y.byteLength && x.every((v, i) => v === y[i]);
}

function subjectKeyId(cert: Certificate): ArrayBuffer | undefined {
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectKeyIdentifier);
  if (!ext) return undefined;
  try { return AsnConvert.parse(ext.extnValue, SubjectKeyIdentifier).buffer; } catch { return undefined; }
}

/**
 * Finds the certificate a SignerInfo names (issuer and serial, or subject key id).
 * @throws ERR_SCAN_SIGNER_UNKNOWN when none of `certs` matches
 */
export function findSignerCertificate(si: SignerInfo, certs: readonly Certificate[]): Certificate {
  const ias = si.sid.issuerAndSerialNumber;
  const ski = si.sid.subjectKeyIdentifier;
  const found = certs.find((c) => {
    if (ias) {
      return equalBytes(c.tbsCertificate.serialNumber, ias.serialNumber)
        && equalBytes(AsnConvert.serialize(c.tbsCertificate.issuer), AsnConvert.serialize(ias.issuer));
    }
    const id = subjectKeyId(c);
    return ski !== undefined && id !== undefined && equalBytes(id, ski.buffer);
  });
  if (!found) throw new VerificationError('ERR_SCAN_SIGNER_UNKNOWN', 'the signer certificate is not in the signature');
  return found;
}

/** Every value of a signed or unsigned attribute (all instances of `oid`), as raw DER. */
export function findAttributeValues(attrs: readonly Attribute[] | undefined, oid: string): readonly ArrayBuffer[] {
  return (attrs ?? []).filter((a) => a.attrType === oid).flatMap((a) => a.attrValues);
}

/** A signer whose signature verified. */
export interface VerifiedSigner {
  readonly certificate: Certificate;
  readonly digest: LegacyDigestAlgorithm;
  readonly signatureAlgorithm: string;
}

/**
 * The digest and signature algorithms a SignerInfo names.
 * @throws ERR_SCAN_ALGORITHM_UNSUPPORTED for algorithms the scanner does not know
 */
export function signerAlgorithms(si: SignerInfo): { readonly digest: LegacyDigestAlgorithm; readonly signature: (typeof SIGNATURE_OIDS)[string] & object } {
  const digest = DIGEST_OIDS[si.digestAlgorithm.algorithm];
  const signature = SIGNATURE_OIDS[si.signatureAlgorithm.algorithm];
  if (!digest) throw new VerificationError('ERR_SCAN_ALGORITHM_UNSUPPORTED', `unsupported digest algorithm ${si.digestAlgorithm.algorithm}`);
  if (!signature) throw new VerificationError('ERR_SCAN_ALGORITHM_UNSUPPORTED', `unsupported signature algorithm ${si.signatureAlgorithm.algorithm}`);
  return { digest, signature };
}

/**
 * Verifies one SignerInfo over `content` (the detached or encapsulated content octets). With signed
 * attributes, their content-type must equal `contentType` (RFC 5652 §11.1), unless it is null
 * (countersignatures, which carry none).
 * @throws ERR_SCAN_ALGORITHM_UNSUPPORTED, ERR_SCAN_SIGNER_UNKNOWN, ERR_SCAN_DIGEST_MISMATCH (messageDigest), ERR_SCAN_SIGNATURE_INVALID, ERR_SCAN_FILE_MALFORMED
 */
export function verifySignerInfo(si: SignerInfo, certs: readonly Certificate[], content: Uint8Array, contentType: string | null): VerifiedSigner {
  return guardDer('signer info', () => {
    if (si.signedAttrs && contentType !== null) checkContentType(si, contentType);
    return checkSignerInfo(si, certs, content);
  });
}

function checkContentType(si: SignerInfo, contentType: string): void {
  const [value] = findAttributeValues(si.signedAttrs, OID.contentType);
  const found = value ? parseDer(value, ObjectIdentifierValue, 'content type attribute').value : '(none)';
  if (found !== contentType) {
    throw new VerificationError('ERR_SCAN_SIGNATURE_INVALID', `the signed content-type attribute ${found} does not match the content ${contentType}`);
  }
}

/**
 * Runs `fn`, turning a foreign exception (the ASN.1 library failing to re-encode a malformed value)
 * into ERR_SCAN_FILE_MALFORMED; AppErrors pass through.
 * @throws ERR_SCAN_FILE_MALFORMED, or whatever AppError `fn` throws
 */
export function guardDer<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    throw new InputError('ERR_SCAN_FILE_MALFORMED', `${what} holds a malformed value`, { cause });
  }
}

function checkSignerInfo(si: SignerInfo, certs: readonly Certificate[], content: Uint8Array): VerifiedSigner {
  const { digest, signature } = signerAlgorithms(si);
  const certificate = findSignerCertificate(si, certs);
  let signed = content;
  if (si.signedAttrs) {
    const [md] = findAttributeValues(si.signedAttrs, OID.messageDigest);
    if (!md) throw new InputError('ERR_SCAN_FILE_MALFORMED', 'signed attributes have no message digest');
    const expected = parseDer(md, OctetString, 'message digest attribute');
    if (!equalBytes(expected.buffer, digestBytes(digest, content))) {
      throw new VerificationError('ERR_SCAN_DIGEST_MISMATCH', 'the signed content does not match the message digest attribute');
    }
    signed = new Uint8Array(AsnConvert.serialize(new AttributeSet(si.signedAttrs)));
  }
  const ok = isLegacySignatureValid({
    keyType: signature.keyType,
    digest: signature.digest ?? digest,
    spkiDer: new Uint8Array(AsnConvert.serialize(certificate.tbsCertificate.subjectPublicKeyInfo)),
    data: signed,
    signature: new Uint8Array(si.signature.buffer),
  });
  if (!ok) throw new VerificationError('ERR_SCAN_SIGNATURE_INVALID', `the ${signature.name} signature does not verify`);
  return { certificate, digest, signatureAlgorithm: signature.name };
}

/** True when two byte sequences are equal. */
export function isSameBytes(a: Bytes, b: Bytes): boolean {
  return equalBytes(a, b);
}
