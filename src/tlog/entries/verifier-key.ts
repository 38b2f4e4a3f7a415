/**
 * Keys in proposed entries: a PEM public key, a PEM certificate or a PEM certificate chain, as
 * Rekor's x509.NewPublicKey reads them, with the canonical PEM Rekor stores (Go's pem.Encode of
 * the re-marshalled key, or of each certificate's original DER) and the SANs it indexes.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import {
  decodePem, decodeUtf8, describePublicKey, encodePem, hashHex, isCertificateIssuedBy, normalizeSpki, type PemBlock,
  type PublicKeyDescription,
} from '../../core/index.ts';
import { invalidEntry } from './fields.ts';

/** A parsed verifier key. */
export interface VerifierKey {
  /** the PEM Rekor stores for this key, exactly as Go's pem.Encode writes it */
  readonly canonicalPem: string;
  /** the key that verifies: the bare key, or the first certificate's */
  readonly spkiDer: Uint8Array;
  /** lower-case subject alternative names of the (first) certificate: emails, URIs, DNS names, IPs */
  readonly subjects: readonly string[];
  /** lower-case `sha256:<hex>` of the canonical PEM: the public-key search key */
  readonly fingerprint: string;
  /** what `spkiDer` is (type, curve, point), parsed once for the signature checks */
  readonly description: PublicKeyDescription;
}

function parseCertificate(der: Uint8Array): Certificate {
  try {
    return AsnConvert.parse(der, Certificate);
  } catch {
    throw invalidEntry('invalid public key: certificate does not parse as x509');
  }
}

function subjectsOf(cert: Certificate): string[] {
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_subjectAltName);
  if (ext === undefined) return [];
  const names = AsnConvert.parse(ext.extnValue.buffer, SubjectAlternativeName);
  const out: string[] = [];
  for (const n of names) {
    const value = n.rfc822Name ?? n.uniformResourceIdentifier ?? n.dNSName ?? n.iPAddress;
    if (value !== undefined) out.push(value.toLowerCase());
  }
  return out;
}

function fromCertificates(blocks: readonly PemBlock[]): VerifierKey {
  if (blocks.some((b) => b.label !== 'CERTIFICATE')) throw invalidEntry('invalid public key: a chain may only hold certificates');
  const certs = blocks.map((b) => parseCertificate(b.der));
  // Rekor checks that a chain links up to its last certificate (x509.verifyCertChain)
  for (let i = 0; i + 1 < blocks.length; i++) {
    if (!isCertificateIssuedBy((blocks[i] as PemBlock).der, (blocks[i + 1] as PemBlock).der)) {
      throw invalidEntry(`invalid public key: certificate ${i} is not issued by certificate ${i + 1} of the chain`);
    }
  }
  const first = certs[0] as Certificate;
  const spkiDer = new Uint8Array(AsnConvert.serialize(first.tbsCertificate.subjectPublicKeyInfo));
  const description = describePublicKey(spkiDer);
  const canonicalPem = blocks.map((b) => encodePem('CERTIFICATE', b.der)).join('');
  return { canonicalPem, spkiDer, subjects: subjectsOf(first), fingerprint: `sha256:${hashHex('sha256', canonicalPem)}`, description };
}

/**
 * Parses the PEM bytes of a verifier key, certificate or chain.
 * @throws ERR_TLOG_ENTRY_INVALID when it is not one, or the key type is unsupported
 */
export function parseVerifierKey(pemBytes: Uint8Array): VerifierKey {
  let blocks: readonly PemBlock[];
  try {
    blocks = decodePem(decodeUtf8(pemBytes));
  } catch {
    throw invalidEntry('invalid public key: failure decoding PEM');
  }
  try {
    const first = blocks[0] as PemBlock;
    if (blocks.length > 1 || first.label === 'CERTIFICATE') return fromCertificates(blocks);
    if (first.label !== 'PUBLIC KEY') throw invalidEntry(`invalid public key: cannot handle type ${first.label}`);
    const spkiDer = normalizeSpki(first.der);
    const description = describePublicKey(spkiDer);
    const canonicalPem = encodePem('PUBLIC KEY', spkiDer);
    return { canonicalPem, spkiDer, subjects: [], fingerprint: `sha256:${hashHex('sha256', canonicalPem)}`, description };
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ERR_TLOG_ENTRY_INVALID') throw error;
    throw invalidEntry(`invalid public key: ${error instanceof Error ? error.message : 'unsupported key'}`);
  }
}

/** Reads a verifier key from its PEM bytes, as parseVerifierKey does. */
export type KeyParser = (pemBytes: Uint8Array) => VerifierKey;

/**
 * parseVerifierKey remembering the last `maxKeys` keys it read (least recently used goes first):
 * a signer sends the same key with every entry, and reading one costs several key imports.
 */
export function createCachedKeyParser(maxKeys: number): KeyParser {
  const cache = new Map<string, VerifierKey>();
  return (pemBytes) => {
    let pem: string;
    try {
      pem = decodeUtf8(pemBytes);
    } catch {
      return parseVerifierKey(pemBytes); // not UTF-8: let it throw its own error
    }
    const hit = cache.get(pem);
    if (hit !== undefined) {
      cache.delete(pem);
      cache.set(pem, hit);
      return hit;
    }
    const key = parseVerifierKey(pemBytes);
    if (cache.size >= maxKeys) cache.delete(cache.keys().next().value as string);
    cache.set(pem, key);
    return key;
  };
}
