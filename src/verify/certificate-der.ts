/**
 * The certificate extensions path validation reads, decoded from their exact DER with der.ts:
 * the extension list itself, BasicConstraints, KeyUsage and ExtendedKeyUsage. Malformed DER is
 * ERR_CERT_INVALID.
 */
import { VerificationError } from '../core/index.ts';
import { children, contents, oidOf, readOnly, type Tlv } from './der.ts';

/** One extension: OID, criticality and the contents of its extnValue OCTET STRING. */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

function invalid(message: string): VerificationError {
  return new VerificationError('ERR_CERT_INVALID', message);
}

const TAG_SEQUENCE = 0x30;

/** The extensions of a TBSCertificate's fields (none without [3]). */
export function extensionsOf(der: Uint8Array, tbsFields: readonly Tlv[]): CertificateExtension[] {
  const wrapper = tbsFields.find((f) => f.tag === 0xa3);
  if (!wrapper) return [];
  const [list, ...rest] = children(der, wrapper);
  if (!list || rest.length > 0 || list.tag !== TAG_SEQUENCE) throw invalid('extensions are not one SEQUENCE');
  return children(der, list).map((ext) => {
    if (ext.tag !== TAG_SEQUENCE) throw invalid('an extension is not a SEQUENCE');
    const parts = children(der, ext);
    const [oid, second, third] = parts;
    const hasCritical = parts.length === 3;
    const value = hasCritical ? third : second;
    if (!oid || !value || parts.length > 3 || value.tag !== 0x04 || (hasCritical && (second?.tag !== 0x01 || second.end - second.contentStart !== 1))) {
      throw invalid('an extension is not {oid, critical?, octet string}');
    }
    return { oid: oidOf(der, oid), critical: hasCritical && der[second?.contentStart ?? 0] === 0xff, value: contents(der, value) };
  });
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL } */
export function basicConstraintsOf(der: Uint8Array): { cA: boolean; pathLenConstraint?: number } {
  const parts = children(der, readOnly(der));
  let i = 0;
  let cA = false;
  const first = parts[0];
  if (first?.tag === 0x01) {
    if (first.end - first.contentStart !== 1) throw invalid('basic constraints cA is not a boolean');
    cA = der[first.contentStart] === 0xff;
    i = 1;
  }
  const len = parts[i];
  if (parts.length > i + 1 || (len && (len.tag !== 0x02 || len.end - len.contentStart > 4 || (der[len.contentStart] ?? 0) & 0x80))) throw invalid('basic constraints are malformed');
  if (!len) return { cA };
  let pathLenConstraint = 0;
  for (let j = len.contentStart; j < len.end; j += 1) pathLenConstraint = pathLenConstraint * 256 + (der[j] ?? 0);
  return { cA, pathLenConstraint };
}

/** KeyUsage BIT STRING as asn1-x509's KeyUsageFlags number (bit 0, digitalSignature, is 1). */
export function keyUsageOf(der: Uint8Array): number {
  const tlv = readOnly(der);
  if (tlv.tag !== 0x03 || tlv.end === tlv.contentStart || (der[tlv.contentStart] ?? 8) > 7) throw invalid('key usage is not a BIT STRING');
  let flags = 0;
  const bits = der.subarray(tlv.contentStart + 1, tlv.end);
  for (let i = 0; i < bits.byteLength * 8 && i < 16; i += 1) {
    if (((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) flags |= 1 << i;
  }
  return flags;
}

/** ExtendedKeyUsage ::= SEQUENCE OF KeyPurposeId */
export function extendedKeyUsageOf(der: Uint8Array): string[] {
  const tlv = readOnly(der);
  if (tlv.tag !== 0x30) throw invalid('extended key usage is not a SEQUENCE');
  return children(der, tlv).map((oid) => oidOf(der, oid));
}

