/**
 * The keyless (Fulcio) certificate checks of bundle verification: at every signed time the leaf
 * chains to a certificate authority of the trust root that was valid then; the leaf may sign code;
 * and at least one embedded SCT verifies against the trust root's CT logs.
 */
import { VerificationError } from '../core/index.ts';
import { EKU_CODE_SIGNING, verifyCertificatePath, verifyLeafUsage, type X509Certificate } from './certificate.ts';
import { verifyEmbeddedScts } from './sct.ts';
import { isWithinValidity, type CertificateAuthority, type TrustedRoot } from './trust-root.ts';

/**
 * The authority `leaf` chains to at `time`.
 * @throws ERR_CERT_CHAIN with each candidate authority's reason
 */
export function findIssuingAuthority(leaf: X509Certificate, time: Date, authorities: readonly CertificateAuthority[]): CertificateAuthority {
  const reasons: string[] = [];
  for (const ca of authorities) {
    if (!isWithinValidity(ca.validFor, time)) {
      reasons.push(`${ca.commonName || ca.uri}: not valid at ${time.toISOString()}`);
      continue;
    }
    try {
      verifyCertificatePath(leaf, ca.certChain, time);
      return ca;
    } catch (error) {
      if (!(error instanceof VerificationError)) throw error;
      reasons.push(`${ca.commonName || ca.uri}: ${error.message}`);
    }
  }
  throw new VerificationError('ERR_CERT_CHAIN', `the signing certificate does not chain to a trusted certificate authority at ${time.toISOString()}: [${reasons.join('; ')}]`);
}

/**
 * Verifies a Fulcio leaf at each signed time (requires at least one time); the SCT check can be
 * waived (`ignoreSct`).
 * @throws ERR_VERIFY_NO_VERIFIED_TIME, ERR_CERT_CHAIN, ERR_CERT_USAGE, ERR_SCT_MISSING, ERR_SCT_INVALID
 */
export function verifyKeylessCertificate(leaf: X509Certificate, times: readonly Date[], root: TrustedRoot, options: { readonly ignoreSct?: boolean } = {}): void {
  if (times.length === 0) throw new VerificationError('ERR_VERIFY_NO_VERIFIED_TIME', 'no signed time to validate the certificate at');
  const authorities = times.map((t) => findIssuingAuthority(leaf, t, root.certificateAuthorities));
  verifyLeafUsage(leaf, EKU_CODE_SIGNING);
  const issuing = authorities[0]?.certChain[0];
  if (!issuing) throw new VerificationError('ERR_CERT_CHAIN', 'the certificate authority has an empty chain');
  // cosign's --insecure-ignore-sct: the certificate need not prove it was logged for CT
  if (options.ignoreSct !== true) verifyEmbeddedScts(leaf, issuing, root.ctlogs);
}
