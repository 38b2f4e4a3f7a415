/**
 * Judges a Notary signature by notation's trust policy: the statement for the repository
 * (exact scope, else global), then the validations in the specification's order, each enforced
 * or logged as the statement's level and overrides say. Integrity is always enforced. Logged
 * failures stay on the signature as problems while it counts as verified. sigil reads no
 * network at verification time: a timestamp countersignature is treated as absent (the chain
 * must be valid now), and a certificate that names OCSP or CRL locations has an unknown
 * revocation status.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityInfoAccessSyntax, id_ce_cRLDistributionPoints, id_pe_authorityInfoAccess, type Certificate } from '@peculiar/asn1-x509';
import { VerificationError } from '../core/index.ts';
import type { NotaryEnvelope } from './notary-envelope.ts';
import { isTrustedIdentity, selectNotaryPolicy, type CheckAction, type NotaryPolicyStatement, type NotaryTrustPolicy } from './notary-trust-policy.ts';
import { toProblem, type Problem } from './report.ts';
import { checkNotaryIntegrity, verifyNotary, type NotarySubject } from './repo-notary.ts';
import type { RepoSignature } from './repo-report.ts';
import type { RepoTrust } from './repo-trust.ts';
import { verifyCertificateChain } from './trust.ts';
import { formatName, nameAttributes } from './x509-name.ts';

/** A trust policy with the named stores it refers to. */
export interface NotaryPolicyTrust {
  readonly policy: NotaryTrustPolicy;
  /** `ca:<name>`, `signingAuthority:<name>`, `tsa:<name>` → the certificates of that named store */
  readonly stores: ReadonlyMap<string, readonly Certificate[]>;
  /** the registry host of the scan: a repository's scope is `<registry>/<repository>` */
  readonly registry: string;
}

const SIGNING_AUTHORITY = 'notary.x509.signingAuthority';
const ID_AD_OCSP = '1.3.6.1.5.5.7.48.1';

function chainError(leaf: Certificate, rest: readonly Certificate[], anchors: readonly Certificate[], at: Date): unknown {
  try { verifyCertificateChain(leaf, rest, anchors, at); return null; } catch (error) { return error; }
}

function namesRevocationSource(cert: Certificate): boolean {
  return (cert.tbsCertificate.extensions ?? []).some((ext) => {
    if (ext.extnID === id_ce_cRLDistributionPoints) return true;
    if (ext.extnID !== id_pe_authorityInfoAccess) return false;
    try { return AsnConvert.parse(ext.extnValue, AuthorityInfoAccessSyntax).some((d) => d.accessMethod === ID_AD_OCSP); } catch { return true; }
  });
}

function anchorsOf(statement: NotaryPolicyStatement, trust: NotaryPolicyTrust, scheme: string): readonly Certificate[] {
  const type = scheme === SIGNING_AUTHORITY ? 'signingAuthority' : 'ca';
  return statement.trustStores.filter((s) => s.startsWith(`${type}:`)).flatMap((s) => trust.stores.get(s) ?? []);
}

/**
 * Verifies `sig` under the policy statement that applies to `repository`; never throws: failures
 * land in the signature's problems, enforced ones also make it `failed`.
 */
export function verifyNotaryByPolicy(sig: RepoSignature, envelope: NotaryEnvelope, subject: NotarySubject, trust: NotaryPolicyTrust, repository: string, now: Date): RepoSignature {
  if (sig.status === 'failed') return sig;
  const scope = `${trust.registry}/${repository}`;
  const statement = selectNotaryPolicy(trust.policy, scope);
  if (!statement) {
    return { ...sig, status: 'failed', problems: [...sig.problems, { code: 'ERR_SCAN_UNVERIFIABLE', message: `no trust policy statement applies to ${scope} (no exact scope and no "*")` }] };
  }
  if (statement.level === 'skip') return sig;
  const logged: Problem[] = [];
  const step = (action: CheckAction, check: () => void): boolean => {
    try { check(); return true; } catch (error) {
      if (action === 'enforce') throw error;
      const p = toProblem(error);
      logged.push({ ...p, message: `logged by trust policy "${statement.name}" (${statement.level}): ${p.message}` });
      return false;
    }
  };
  try {
    const [leaf, ...rest] = checkNotaryIntegrity(envelope, subject);
    const { checks } = statement;
    const anchors = anchorsOf(statement, trust, envelope.signingScheme);
    const authentic = step(checks.authenticity, () => {
      if (anchors.length === 0) throw new VerificationError('ERR_SCAN_UNVERIFIABLE', `the trust stores of statement "${statement.name}" (${statement.trustStores.join(', ')}) hold no certificate for the ${envelope.signingScheme || 'notary.x509'} signing scheme`);
      // validity belongs to the authentic-timestamp check: here, is there a path at a time every certificate was valid
      const issued = leaf.tbsCertificate.validity.notBefore.getTime();
      const error = chainError(leaf, rest, anchors, now) === null ? null : chainError(leaf, rest, anchors, new Date(issued.getTime() + 1000));
      if (error !== null) throw error;
      if (!isTrustedIdentity(statement, nameAttributes(leaf.tbsCertificate.subject))) {
        throw new VerificationError('ERR_SCAN_IDENTITY_UNTRUSTED', `the signer ${formatName(leaf.tbsCertificate.subject)} is none of the trusted identities of statement "${statement.name}"`);
      }
    });
    step(checks.expiry, () => {
      if (envelope.expiry && envelope.expiry.getTime() <= now.getTime()) throw new VerificationError('ERR_SCAN_CHAIN_UNTRUSTED', `the signature expired at ${envelope.expiry.toISOString()}`);
    });
    if (authentic) {
      step(checks.authenticTimestamp, () => {
        const at = envelope.signingScheme === SIGNING_AUTHORITY ? envelope.signingTime : now;
        if (at === null) throw new VerificationError('ERR_SCAN_TIMESTAMP_INVALID', 'a signingAuthority signature has no authentic signing time');
        const error = chainError(leaf, rest, anchors, at);
        if (error !== null) throw new VerificationError('ERR_SCAN_CHAIN_UNTRUSTED', `the certificate chain is not valid at ${at.toISOString()}`, { cause: error });
      });
    }
    if (checks.revocation !== 'skip') {
      step(checks.revocation, () => {
        const named = [leaf, ...rest].find(namesRevocationSource);
        if (named) throw new VerificationError('ERR_SCAN_REVOCATION_UNKNOWN', `${formatName(named.tbsCertificate.subject)} names OCSP or CRL locations; sigil does not fetch them, so its revocation status is unknown (set "revocation": "skip" or "log" to accept it)`);
      });
    }
    return { ...sig, status: 'verified', problems: [...sig.problems, ...logged] };
  } catch (error) {
    return { ...sig, status: 'failed', problems: [...sig.problems, ...logged, toProblem(error)] };
  }
}

/** Verifies a Notary signature found in `repository`: by the trust policy when one is given, else against the trust store's anchors. */
export function judgeNotary(sig: RepoSignature, envelope: NotaryEnvelope, subject: NotarySubject, trust: RepoTrust, repository: string): RepoSignature {
  return trust.notaryPolicy ? verifyNotaryByPolicy(sig, envelope, subject, trust.notaryPolicy, repository, trust.now) : verifyNotary(sig, envelope, subject, trust);
}
