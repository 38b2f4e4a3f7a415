/**
 * Chains to trust anchors for scanned signatures (RFC 5280 §6, simplified): from the signer's
 * certificate, through intermediates the signature carries, to a certificate of `--ca-file`,
 * checking each certificate's signature, validity at the signing time, and that issuers are CAs.
 * Revocation, name constraints and policies are not checked.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate, id_ce_basicConstraints } from '@peculiar/asn1-x509';
import { ConfigError, VerificationError, isLegacySignatureValid } from '../core/index.ts';
import { isSameBytes, parseDer } from './cms.ts';
import { SIGNATURE_OIDS } from './oids.ts';
import type { Problem } from './report.ts';

/** Trust settings for a scan: anchors and the time to judge validity at when a signature has no verified timestamp. */
export interface ScanTrust {
  readonly anchors: readonly Certificate[];
  readonly now: Date;
}

const MAX_CHAIN = 8;

/**
 * Parses the CERTIFICATE blocks of a PEM file.
 * @throws ERR_CONFIG_INVALID when there is none, or one is not a certificate
 */
export function parseCertificatesPem(text: string, what: string): readonly Certificate[] {
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new ConfigError('ERR_CONFIG_INVALID', `${what} holds no pem certificate`);
  return blocks.map((m, i) => {
    try { return parseDer(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'), Certificate, `${what} certificate ${i}`); }
    catch (cause) { throw new ConfigError('ERR_CONFIG_INVALID', `${what}: certificate ${i} is not valid der`, { cause }); }
  });
}

function der(cert: Certificate): ArrayBuffer {
  return AsnConvert.serialize(cert);
}

function isIssuedBy(child: Certificate, issuer: Certificate): boolean {
  if (!isSameBytes(AsnConvert.serialize(child.tbsCertificate.issuer), AsnConvert.serialize(issuer.tbsCertificate.subject))) return false;
  const alg = SIGNATURE_OIDS[child.signatureAlgorithm.algorithm];
  if (!alg?.digest) return false;
  return isLegacySignatureValid({
    keyType: alg.keyType, digest: alg.digest,
    spkiDer: new Uint8Array(AsnConvert.serialize(issuer.tbsCertificate.subjectPublicKeyInfo)),
    data: new Uint8Array(child.tbsCertificateRaw ?? AsnConvert.serialize(child.tbsCertificate)),
    signature: new Uint8Array(child.signatureValue),
  });
}

function isCa(cert: Certificate): boolean {
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_basicConstraints);
  if (!ext) return false;
  try { return AsnConvert.parse(ext.extnValue, BasicConstraints).cA; } catch { return false; }
}

function isValidAt(cert: Certificate, at: Date): boolean {
  const v = cert.tbsCertificate.validity;
  return v.notBefore.getTime() <= at && at <= v.notAfter.getTime();
}

/**
 * Finds a path from `leaf` to one of `anchors` through `pool`, every certificate valid at `at`.
 * @throws ERR_SCAN_CHAIN_UNTRUSTED when there is none
 */
export function verifyCertificateChain(leaf: Certificate, pool: readonly Certificate[], anchors: readonly Certificate[], at: Date): readonly Certificate[] {
  const anchorDer = anchors.map(der);
  const path: Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth += 1) {
    if (!isValidAt(current, at)) throw new VerificationError('ERR_SCAN_CHAIN_UNTRUSTED', `certificate ${depth} of the chain is not valid at ${at.toISOString()}`);
    if (anchorDer.some((a) => isSameBytes(a, der(current)))) return path;
    const anchor = anchors.find((a) => isValidAt(a, at) && isIssuedBy(current, a));
    if (anchor) return [...path, anchor];
    const next = pool.find((c) => !path.includes(c) && isCa(c) && isIssuedBy(current, c));
    if (!next) throw new VerificationError('ERR_SCAN_CHAIN_UNTRUSTED', 'the certificate chain does not lead to a --ca-file anchor');
    path.push(next);
    current = next;
  }
  throw new VerificationError('ERR_SCAN_CHAIN_UNTRUSTED', `the certificate chain is longer than ${MAX_CHAIN}`);
}

/** The trust verdict of one certificate, or null when no anchors were given; failures land in `problems`. */
export function judgeChain(leaf: Certificate | undefined, pool: readonly Certificate[], trust: ScanTrust | null, at: Date | null, problems: Problem[]): 'trusted' | 'untrusted' | 'not-checked' {
  if (!trust) return 'not-checked';
  if (!leaf) return 'untrusted';
  try {
    verifyCertificateChain(leaf, pool, trust.anchors, at ?? trust.now);
    return 'trusted';
  } catch (error) {
    problems.push({ code: 'ERR_SCAN_CHAIN_UNTRUSTED', message: error instanceof Error ? error.message : String(error) });
    return 'untrusted';
  }
}
