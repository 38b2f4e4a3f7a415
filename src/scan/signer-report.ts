/**
 * Describes one PKCS#7 SignerInfo for the report: who signed (from the certificate it names), with
 * which algorithms, whether the signature verifies over its content, and its timestamp.
 */
import type { SignedData, SignerInfo } from '@peculiar/asn1-cms';
import type { Certificate } from '@peculiar/asn1-x509';
import { DIGEST_OIDS, SIGNATURE_OIDS } from './oids.ts';
import { findSignerCertificate, listCertificates, verifySignerInfo } from './cms.ts';
import { readTimestamp } from './timestamp.ts';
import { toProblem, type Problem, type SignatureReport } from './report.ts';
import { formatName } from './x509-name.ts';
import { judgeChain, type ScanTrust } from './trust.ts';

/** What the caller already knows about the signature being described. */
export interface SignerContext {
  readonly format: SignatureReport['format'];
  readonly signer: string;
  /** the content the signature covers (detached .SF bytes, or the encapsulated content octets) */
  readonly content: Uint8Array;
  /** problems found before the PKCS#7 check (digests of the signed files) */
  readonly problems: readonly Problem[];
  /** anchors to judge the chain against; null leaves it unjudged */
  readonly trust: ScanTrust | null;
}

function hex(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString('hex');
}

function isoOrNull(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

// A name that cannot be printed (a malformed value) is reported as "" rather than failing the file.
function nameOrEmpty(name: Certificate['tbsCertificate']['subject']): string {
  try { return formatName(name); } catch { return ''; }
}

function certificateFields(cert: Certificate | undefined): Pick<SignatureReport, 'subject' | 'issuer' | 'serialHex' | 'notBefore' | 'notAfter'> {
  if (!cert) return { subject: '', issuer: '', serialHex: '', notBefore: null, notAfter: null };
  const tbs = cert.tbsCertificate;
  return {
    subject: nameOrEmpty(tbs.subject),
    issuer: nameOrEmpty(tbs.issuer),
    serialHex: hex(tbs.serialNumber),
    notBefore: isoOrNull(tbs.validity.notBefore.getTime()),
    notAfter: isoOrNull(tbs.validity.notAfter.getTime()),
  };
}

// rsaEncryption and friends name no digest: say which one the digestAlgorithm field adds (`sha256WithRSA`)
function signatureName(si: SignerInfo): string {
  const sig = SIGNATURE_OIDS[si.signatureAlgorithm.algorithm];
  const digest = DIGEST_OIDS[si.digestAlgorithm.algorithm];
  if (!sig) return si.signatureAlgorithm.algorithm;
  if (sig.digest || !digest) return sig.name;
  return `${digest}With${sig.keyType === 'ec' ? 'ECDSA' : sig.keyType.toUpperCase()}`;
}

/** Builds the report of one SignerInfo of `sd`; never throws (failures become problems). */
export function describeSigner(si: SignerInfo, sd: SignedData, context: SignerContext): SignatureReport {
  const certs = listCertificates(sd);
  const problems: Problem[] = [...context.problems];
  let cert: Certificate | undefined;
  try { cert = findSignerCertificate(si, certs); } catch { cert = undefined; }
  try { verifySignerInfo(si, certs, context.content, sd.encapContentInfo.eContentType); } catch (error) { problems.push(toProblem(error)); }
  const timestamp = readTimestamp(si, sd, context.trust);
  for (const p of timestamp?.problems ?? []) problems.push({ code: p.code === 'ERR_SCAN_CHAIN_UNTRUSTED' ? p.code : 'ERR_SCAN_TIMESTAMP_INVALID', message: `timestamp: ${p.message}` });
  // a verified timestamp proves when the signature existed, so the chain is judged then (the JDK and Windows do the same)
  const at = timestamp?.status === 'verified' && timestamp.time ? new Date(timestamp.time) : null;
  const chainProblems: Problem[] = [];
  const trust = judgeChain(cert, certs, context.trust, at, chainProblems);
  problems.push(...chainProblems);
  return {
    format: context.format,
    signer: context.signer,
    ...certificateFields(cert),
    chain: certs.map((c) => nameOrEmpty(c.tbsCertificate.subject)),
    digestAlgorithm: DIGEST_OIDS[si.digestAlgorithm.algorithm] ?? si.digestAlgorithm.algorithm,
    signatureAlgorithm: signatureName(si),
    timestamp,
    trust,
    status: problems.length === 0 ? 'verified' : 'failed',
    problems,
  };
}
