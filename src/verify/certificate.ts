/**
 * X.509 certificates (RFC 5280) as sigil's verifier needs them: read by a strict DER reader that keeps
 * the exact bytes (der.ts), path validation against a trust-root chain at a given time (not now:
 * Fulcio leaves live ten minutes and authorities retire), and key-usage checks.
 */
import { equalBytes, VerificationError, type HashAlgorithm } from '../core/index.ts';
import { basicConstraintsOf, type CertificateExtension, extendedKeyUsageOf, extensionsOf, keyUsageOf } from './certificate-der.ts';
import { children, contents, header, oidOf, readOnly, readTlv, timeOf, whole, type Tlv } from './der.ts';
import { isMessageSignatureValid, parsePublicKeyInfo, type PublicKeyInfo, type SignatureScheme } from './signature.ts';

// RFC 5280 §4.2.1.3, §4.2.1.9 and §4.2.1.12, as plain constants: checking a certificate does not
// load the X.509 schemas (a keyless sign with --trusted-root runs this in a fresh process)
const id_ce_keyUsage = '2.5.29.15';
const id_ce_basicConstraints = '2.5.29.19';
const id_ce_extKeyUsage = '2.5.29.37';
/** KeyUsage bits as asn1-x509's KeyUsageFlags numbers them (certificate-der.ts keyUsageOf): bit 0 is 1. */
const KeyUsageFlags = { digitalSignature: 1, keyCertSign: 32 } as const;

export type { CertificateExtension } from './certificate-der.ts';

/** A parsed certificate. Name fields are DER, for comparison only. */
export interface X509Certificate {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly publicKey: PublicKeyInfo;
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: readonly CertificateExtension[];
  readonly isCa: boolean;
  /** BasicConstraints pathLenConstraint; absent means unlimited */
  readonly pathLength?: number;
  /** KeyUsage bits (asn1-x509 KeyUsageFlags), absent without the extension */
  readonly keyUsage?: number;
  /** ExtendedKeyUsage purposes, absent without the extension */
  readonly extendedKeyUsage?: readonly string[];
}

/** EKU purposes sigil checks. */
export const EKU_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
export const EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

const SIGNATURE_SCHEMES: Readonly<Record<string, SignatureScheme>> = {
  '1.2.840.10045.4.3.2': { hash: 'sha256' },
  '1.2.840.10045.4.3.3': { hash: 'sha384' },
  '1.2.840.10045.4.3.4': { hash: 'sha512' },
  '1.2.840.113549.1.1.11': { hash: 'sha256' },
  '1.2.840.113549.1.1.12': { hash: 'sha384' },
  '1.2.840.113549.1.1.13': { hash: 'sha512' },
  '1.3.101.112': { hash: null },
};

/** The signature scheme an AlgorithmIdentifier OID names, if sigil supports it. */
export function schemeOfOid(oid: string): SignatureScheme | undefined {
  return SIGNATURE_SCHEMES[oid];
}

/** The hash algorithm an AlgorithmIdentifier OID names (sha256/384/512), if any. */
export function hashOfOid(oid: string): HashAlgorithm | undefined {
  const table: Readonly<Record<string, HashAlgorithm>> = {
    '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
  };
  return table[oid];
}

function invalid(message: string, cause?: unknown): VerificationError {
  return new VerificationError('ERR_CERT_INVALID', message, cause === undefined ? {} : { cause });
}

const TAG_SEQUENCE = 0x30;

/** The outer three elements and the TBS fields up to the subject public key, checked for order. */
function certificateParts(der: Uint8Array): { tbs: Tlv; sigAlg: Tlv; sigValue: Tlv; fields: Tlv[]; issuer: Tlv; validity: Tlv; subject: Tlv; spki: Tlv } {
  const top = readOnly(der);
  const [tbs, sigAlg, sigValue, ...extra] = top.tag === TAG_SEQUENCE ? children(der, top) : [];
  if (!tbs || !sigAlg || !sigValue || extra.length > 0 || tbs.tag !== TAG_SEQUENCE || sigAlg.tag !== TAG_SEQUENCE || sigValue.tag !== 0x03) {
    throw invalid('not a {tbsCertificate, signatureAlgorithm, signatureValue} SEQUENCE');
  }
  const fields = children(der, tbs);
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, innerAlg, issuer, validity, subject, spki] = fields.slice(at, at + 6);
  if (!serial || serial.tag !== 0x02 || innerAlg?.tag !== TAG_SEQUENCE || issuer?.tag !== TAG_SEQUENCE || validity?.tag !== TAG_SEQUENCE || subject?.tag !== TAG_SEQUENCE || spki?.tag !== TAG_SEQUENCE) {
    throw invalid('the TBSCertificate fields are not in RFC 5280 order');
  }
  if (fields.slice(at + 6).some((f) => f.tag !== 0x81 && f.tag !== 0x82 && f.tag !== 0xa1 && f.tag !== 0xa2 && f.tag !== 0xa3)) throw invalid('unexpected TBSCertificate field');
  return { tbs, sigAlg, sigValue, fields, issuer, validity, subject, spki };
}

function toCertificate(der: Uint8Array): X509Certificate {
  const { tbs, sigAlg, sigValue, fields, issuer, validity, subject, spki } = certificateParts(der);
  const times = children(der, validity);
  const [notBefore, notAfter] = times;
  if (!notBefore || !notAfter || times.length !== 2) throw invalid('validity is not two times');
  const algOid = children(der, sigAlg)[0];
  if (!algOid) throw invalid('empty signature algorithm');
  if (der[sigValue.contentStart] !== 0 || sigValue.end === sigValue.contentStart) throw invalid('the signature BIT STRING has unused bits');
  const extensions = extensionsOf(der, fields);
  const value = (oid: string): Uint8Array | undefined => extensions.find((e) => e.oid === oid)?.value;
  const bcDer = value(id_ce_basicConstraints);
  const kuDer = value(id_ce_keyUsage);
  const ekuDer = value(id_ce_extKeyUsage);
  const bc = bcDer ? basicConstraintsOf(bcDer) : undefined;
  return {
    der,
    tbsDer: whole(der, tbs),
    signatureAlgorithm: oidOf(der, algOid),
    signature: der.subarray(sigValue.contentStart + 1, sigValue.end),
    publicKey: parsePublicKeyInfo(whole(der, spki), der),
    issuerDer: whole(der, issuer),
    subjectDer: whole(der, subject),
    notBefore: timeOf(der, notBefore),
    notAfter: timeOf(der, notAfter),
    extensions,
    isCa: bc?.cA === true,
    ...(bc?.pathLenConstraint === undefined ? {} : { pathLength: bc.pathLenConstraint }),
    ...(kuDer ? { keyUsage: keyUsageOf(kuDer) } : {}),
    ...(ekuDer ? { extendedKeyUsage: extendedKeyUsageOf(ekuDer) } : {}),
  };
}

/**
 * Parses a DER certificate, with the extensions path validation reads (basic constraints, key
 * usage, extended key usage) decoded up front so that later checks cannot meet malformed DER.
 * @throws ERR_CERT_INVALID when it does not parse or its key is unsupported
 */
export function parseCertificate(der: Uint8Array): X509Certificate {
  try {
    return toCertificate(der);
  } catch (cause) {
    // asn1js and node throw their own errors on malformed input; all of them mean "not a certificate"
    throw invalid(`certificate (${der.byteLength} bytes) does not parse`, cause);
  }
}

/** The extension with `oid`, if present. */
export function findExtension(cert: X509Certificate, oid: string): CertificateExtension | undefined {
  return cert.extensions.find((e) => e.oid === oid);
}

/** True when `time` lies within the certificate's validity (both ends inclusive). */
export function isValidAt(cert: X509Certificate, time: Date): boolean {
  return time.getTime() >= cert.notBefore.getTime() && time.getTime() <= cert.notAfter.getTime();
}

// Verified issuer links between parsed certificates. Parsed certificates are never modified, so
// a link between the same two objects (trust-root chains, parsed once) need not be checked again.
const LINKS = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>();

/** True when `cert` names `issuer` as its issuer and `issuer`'s key verifies its signature. */
export function isIssuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  let known = LINKS.get(cert);
  const cached = known?.get(issuer);
  if (cached !== undefined) return cached;
  const result = checkIssuedBy(cert, issuer);
  if (!known) { known = new WeakMap(); LINKS.set(cert, known); }
  known.set(issuer, result);
  return result;
}

function checkIssuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  const scheme = schemeOfOid(cert.signatureAlgorithm);
  if (!scheme || !equalBytes(cert.issuerDer, issuer.subjectDer)) return false;
  try {
    return isMessageSignatureValid(issuer.publicKey, scheme, cert.tbsDer, cert.signature);
  } catch {
    return false;
  }
}

/** True when a certificate is self-signed (a root). */
export function isSelfSigned(cert: X509Certificate): boolean {
  return isIssuedBy(cert, cert);
}

function hasKeyCertSign(cert: X509Certificate): boolean {
  return cert.keyUsage === undefined || (cert.keyUsage & KeyUsageFlags.keyCertSign) !== 0;
}

// RFC 5280 §4.2: a certificate with a critical extension the verifier does not process is rejected
const UNDERSTOOD_CRITICAL = new Set([id_ce_keyUsage, id_ce_basicConstraints, id_ce_extKeyUsage, '2.5.29.17']);

function checkPathLink(path: readonly X509Certificate[], i: number, time: Date): string | undefined {
  const cert = path[i];
  if (!cert) return `certificate ${i} is missing`;
  if (!isValidAt(cert, time)) return `certificate ${i} of the path is not valid at ${time.toISOString()} (valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()})`;
  const critical = cert.extensions.find((e) => e.critical && !UNDERSTOOD_CRITICAL.has(e.oid));
  if (critical) return `certificate ${i} of the path has an unsupported critical extension ${critical.oid}`;
  if (i > 0 && (!cert.isCa || !hasKeyCertSign(cert))) return `certificate ${i} of the path is not a CA allowed to sign certificates`;
  // certificates 1..i-1 are the intermediates this CA vouches for
  if (i > 0 && cert.pathLength !== undefined && i - 1 > cert.pathLength) return `certificate ${i} of the path allows ${cert.pathLength} intermediates below it, not ${i - 1}`;
  const issuer = path[i + 1] ?? cert;
  if (!isIssuedBy(cert, issuer)) return `certificate ${i} of the path is not signed by ${i + 1 < path.length ? `certificate ${i + 1}` : 'itself'}`;
  return undefined;
}

/**
 * Validates `leaf` → `chain[0]` → … → `chain[n-1]` (a self-signed trust anchor) at `time`: every
 * signature verifies, every certificate is valid then and has no unknown critical extension,
 * every issuer is a CA allowed to sign certificates within its path length. `chain` may start
 * with `leaf` itself (timestamp authorities list their signer).
 * @throws ERR_CERT_CHAIN naming the first failing link
 */
export function verifyCertificatePath(leaf: X509Certificate, chain: readonly X509Certificate[], time: Date): void {
  const path = chain[0] && equalBytes(chain[0].der, leaf.der) ? chain : [leaf, ...chain];
  for (let i = 0; i < path.length; i++) {
    const problem = checkPathLink(path, i, time);
    if (problem !== undefined) throw new VerificationError('ERR_CERT_CHAIN', problem);
  }
}

/**
 * Checks a leaf's key usage (digitalSignature, when the extension is present) and that its
 * extended key usage lists `purpose`.
 * @throws ERR_CERT_USAGE
 */
export function verifyLeafUsage(cert: X509Certificate, purpose: string): void {
  if (cert.keyUsage !== undefined && (cert.keyUsage & KeyUsageFlags.digitalSignature) === 0) {
    throw new VerificationError('ERR_CERT_USAGE', 'certificate key usage lacks digitalSignature');
  }
  const purposes = cert.extendedKeyUsage ?? [];
  if (!purposes.includes(purpose)) throw new VerificationError('ERR_CERT_USAGE', `certificate extended key usage [${purposes.join(', ')}] lacks ${purpose}`);
}

/**
 * The TBSCertificate DER re-encoded without the extension `oid` (RFC 6962 §3.2: the precertificate
 * TBS an embedded SCT signs is the final TBS without the SCT list).
 * @throws ERR_CERT_INVALID when the certificate does not parse
 */
export function tbsWithoutExtension(cert: X509Certificate, oid: string): Uint8Array {
  const tbsDer = cert.tbsDer;
  const tbs = readOnly(tbsDer);
  // the certificate parsed, so its TBS fields and extensions are well-formed DER: walk, don't rebuild
  let wrapper: Tlv | undefined;
  for (let at = tbs.contentStart; at < tbs.end && !wrapper;) {
    const f = readTlv(tbsDer, at, tbs.end);
    if (f.tag === 0xa3) wrapper = f;
    at = f.end;
  }
  const list = wrapper && wrapper.contentStart < wrapper.end ? readTlv(tbsDer, wrapper.contentStart, wrapper.end) : undefined;
  if (!wrapper || !list) return tbsDer;
  const kept: Tlv[] = [];
  let keptBytes = 0;
  // the list holds cert.extensions in order (parseCertificate read them from it): their OIDs are known
  for (let at = list.contentStart, i = 0; at < list.end; i += 1) {
    const ext = readTlv(tbsDer, at, list.end);
    if (cert.extensions[i]?.oid !== oid) { kept.push(ext); keptBytes += ext.end - ext.start; }
    at = ext.end;
  }
  // rebuild only the three headers whose lengths change: the extension list, [3], the TBS
  const listHeader = header(TAG_SEQUENCE, keptBytes);
  const wrapperHeader = header(0xa3, listHeader.byteLength + keptBytes);
  const before = tbsDer.subarray(tbs.contentStart, wrapper.start);
  const after = tbsDer.subarray(wrapper.end, tbs.end);
  const innerBytes = before.byteLength + wrapperHeader.byteLength + listHeader.byteLength + keptBytes + after.byteLength;
  const tbsHeader = header(TAG_SEQUENCE, innerBytes);
  const out = new Uint8Array(tbsHeader.byteLength + innerBytes);
  let at = 0;
  for (const part of [tbsHeader, before, wrapperHeader, listHeader, ...kept.map((e) => whole(tbsDer, e)), after]) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** The contents of a DER OCTET STRING (X.509 extension values that wrap one, like the SCT list). */
export function unwrapOctetString(der: Uint8Array): Uint8Array {
  const tlv = readOnly(der);
  if (tlv.tag !== 0x04) throw invalid('expected an OCTET STRING');
  return contents(der, tlv);
}
