/**
 * Timestamps on a SignerInfo: RFC 3161 tokens (JAR: id-aa-timeStampToken 1.2.840.113549.1.9.16.2.14;
 * Authenticode: 1.3.6.1.4.1.311.3.3.1) whose messageImprint covers the signature value, and the
 * legacy Authenticode countersignature (1.2.840.113549.1.9.6), a bare SignerInfo whose
 * messageDigest covers the signature value and whose certificates sit in the outer SignedData.
 */
import { SignerInfo, type SignedData } from '@peculiar/asn1-cms';
import type { Certificate } from '@peculiar/asn1-x509';
import { TSTInfo } from '@peculiar/asn1-tsp';
import { Time } from '@peculiar/asn1-x509';
import { InputError, digestBytes } from '../core/index.ts';
import { findAttributeValues, findSignerCertificate, isSameBytes, listCertificates, parseDer, parseSignedData, verifySignerInfo } from './cms.ts';
import { DIGEST_OIDS, OID } from './oids.ts';
import { toProblem, type Problem, type TimestampReport } from './report.ts';
import { judgeChain, type ScanTrust } from './trust.ts';
import { formatName } from './x509-name.ts';

function certificateOf(si: SignerInfo, certs: readonly Certificate[]): Certificate | undefined {
  try { return findSignerCertificate(si, certs); } catch { return undefined; }
}

function report(kind: TimestampReport['kind'], subject: string, time: Date | null, digest: string | null, problems: readonly Problem[]): TimestampReport {
  return { kind, subject, time: time && !Number.isNaN(time.getTime()) ? time.toISOString() : null, digestAlgorithm: digest, status: problems.length === 0 ? 'verified' : 'failed', problems };
}

// The TSA's own chain is judged at the time it asserts, like a signer's at the timestamp.
function finish(kind: TimestampReport['kind'], si: SignerInfo, certs: readonly Certificate[], time: Date | null, digest: string | null, problems: Problem[], trust: ScanTrust | null): TimestampReport {
  const cert = certificateOf(si, certs);
  if (problems.length === 0) judgeChain(cert, certs, trust, time, problems);
  let subject = '';
  try { subject = cert ? formatName(cert.tbsCertificate.subject) : ''; } catch { subject = ''; }
  return report(kind, subject, time, digest, problems);
}

/** Reads and checks one RFC 3161 TimeStampToken over `signature` (the timestamped signature value). */
export function readRfc3161Token(tokenDer: ArrayBuffer, signature: Uint8Array, trust: ScanTrust | null = null): TimestampReport {
  const problems: Problem[] = [];
  let sd: SignedData;
  try { sd = parseSignedData(tokenDer, 'timestamp token'); } catch (error) { return report('rfc3161', '', null, null, [toProblem(error)]); }
  const certs = listCertificates(sd);
  const si = sd.signerInfos[0];
  const content = sd.encapContentInfo.eContent?.single;
  if (!si || !content || sd.encapContentInfo.eContentType !== OID.tstInfo) {
    return report('rfc3161', '', null, null, [toProblem(new InputError('ERR_SCAN_FILE_MALFORMED', 'timestamp token has no signer or no tst info'))]);
  }
  const tstDer = new Uint8Array(content.buffer);
  let tst: TSTInfo | undefined;
  try { tst = parseDer(tstDer, TSTInfo, 'tst info'); } catch (error) { problems.push(toProblem(error)); }
  try { verifySignerInfo(si, certs, tstDer, OID.tstInfo); } catch (error) { problems.push(toProblem(error)); }
  const imprintAlg = tst ? DIGEST_OIDS[tst.messageImprint.hashAlgorithm.algorithm] : undefined;
  if (tst && !imprintAlg) problems.push({ code: 'ERR_SCAN_ALGORITHM_UNSUPPORTED', message: `unsupported imprint algorithm ${tst.messageImprint.hashAlgorithm.algorithm}` });
  if (tst && imprintAlg && !isSameBytes(tst.messageImprint.hashedMessage.buffer, digestBytes(imprintAlg, signature))) {
    problems.push({ code: 'ERR_SCAN_TIMESTAMP_INVALID', message: 'the timestamp message imprint does not cover the signature' });
  }
  return finish('rfc3161', si, certs, tst?.genTime ?? null, imprintAlg ?? null, problems, trust);
}

/** Reads and checks a legacy Authenticode countersignature over `signature`, resolving its certificate in `outerCerts`. */
export function readLegacyCountersignature(signerInfoDer: ArrayBuffer, outerCerts: readonly Certificate[], signature: Uint8Array, trust: ScanTrust | null = null): TimestampReport {
  let si: SignerInfo;
  try { si = parseDer(signerInfoDer, SignerInfo, 'countersignature'); } catch (error) { return report('legacy', '', null, null, [toProblem(error)]); }
  const problems: Problem[] = [];
  let digest: string | null = null;
  try { digest = verifySignerInfo(si, outerCerts, signature, null).digest; } catch (error) { problems.push(toProblem(error)); }
  const [timeDer] = findAttributeValues(si.signedAttrs, OID.signingTime);
  let time: Date | null = null;
  try { time = timeDer ? parseDer(timeDer, Time, 'signing time').getTime() : null; } catch (error) { problems.push(toProblem(error)); }
  return finish('legacy', si, outerCerts, time, digest, problems, trust);
}

/** The first timestamp on a SignerInfo of `sd`, of any kind, or null when there is none. */
export function readTimestamp(si: SignerInfo, sd: SignedData, trust: ScanTrust | null = null): TimestampReport | null {
  const signature = new Uint8Array(si.signature.buffer);
  const [token] = [...findAttributeValues(si.unsignedAttrs, OID.timeStampToken), ...findAttributeValues(si.unsignedAttrs, OID.spcRfc3161)];
  if (token) return readRfc3161Token(token, signature, trust);
  const [counter] = findAttributeValues(si.unsignedAttrs, OID.counterSignature);
  if (counter) return readLegacyCountersignature(counter, listCertificates(sd), signature, trust);
  return null;
}
