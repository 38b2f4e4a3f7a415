/**
 * Attestations stored as Sigstore bundles (v0.3 OCI 1.1 referrers, `cosign attest
 * --new-bundle-format`): the bundle must be a DSSE envelope whose statement has a subject naming
 * the image digest, verified offline against the trust root, keylessly under the identity policy
 * or with the given key. Any predicate type is accepted here; `verify-attestation --type` filters.
 */
import { VerificationError, decodeHex, decodeUtf8, encodeBase64, encodeUtf8, isAppError } from '../core/index.ts';
import { parseBundle } from '../bundle/index.ts';
import type { VerifiedAttestation } from './attestation.ts';
import { verifyBundle, type VerificationPolicy } from './bundle-verifier.ts';
import { parseCertificate } from './certificate.ts';
import type { CandidateBundle } from './image-bundle.ts';
import { readGithubWorkflow, verifyGithubWorkflow, type GithubWorkflowPolicy } from './policy.ts';
import type { TrustedRoot } from './trust-root.ts';

/** What a bundle attestation must satisfy. */
export interface BundleAttestationPolicy {
  readonly imageDigest: string;
  readonly trustedRoot: TrustedRoot;
  readonly verification: VerificationPolicy;
  readonly github?: GithubWorkflowPolicy;
  readonly ignoreSct?: boolean;
  readonly clock: () => Date;
}

/** The envelope as cosign prints a bundle's (protobuf JSON field order, keyid only when set). */
function envelopeJson(payloadType: string, payload: Uint8Array, signatures: readonly { sig: Uint8Array; keyid: string }[]): Uint8Array {
  return encodeUtf8(JSON.stringify({
    payload: encodeBase64(payload), payloadType,
    signatures: signatures.map((s) => (s.keyid === '' ? { sig: encodeBase64(s.sig) } : { keyid: s.keyid, sig: encodeBase64(s.sig) })),
  }));
}

/**
 * Verifies one bundle referrer as an attestation of the image.
 * @throws ERR_BUNDLE_*, ERR_VERIFY_ATTESTATION_INVALID, ERR_VERIFY_ARTIFACT_MISMATCH, and the bundle verifier's codes
 */
export function verifyBundleAttestation(candidate: CandidateBundle, policy: BundleAttestationPolicy): VerifiedAttestation {
  if (isAppError(candidate.bundle)) throw candidate.bundle;
  const bundle = parseBundle(candidate.bundle);
  if (bundle.version !== '0.3') throw new VerificationError('ERR_VERIFY_ATTESTATION_INVALID', `an image attestation bundle must be v0.3 or later, not v${bundle.version}`);
  const c = bundle.content;
  if (c.kind !== 'dsse') throw new VerificationError('ERR_VERIFY_ATTESTATION_INVALID', 'an attestation bundle must carry a dsse envelope');
  const hex = policy.imageDigest.replace(/^sha256:/, '');
  // checks the signature, the log entries, the certificate and identity, and that a subject names the digest
  const result = verifyBundle(bundle, { kind: 'digest', algorithm: 'sha256', digest: decodeHex(hex) }, {
    trustedRoot: policy.trustedRoot, policy: policy.verification, clock: policy.clock, ...(policy.ignoreSct ? { ignoreSct: true } : {}),
  });
  let statement: unknown;
  try { statement = JSON.parse(decodeUtf8(c.payload)); } catch { throw new VerificationError('ERR_VERIFY_ATTESTATION_INVALID', 'the in-toto statement is not json'); }
  const predicateType = typeof statement === 'object' && statement !== null && typeof (statement as Record<string, unknown>)['predicateType'] === 'string'
    ? (statement as Record<string, string>)['predicateType'] ?? '' : '';
  const tlogTime = result.verifiedTimes.find((t) => t.source === 'tlog');
  const base = {
    source: candidate.source, envelope: envelopeJson(c.payloadType, c.payload, c.signatures), statement, predicateType,
    ...(tlogTime ? { integratedTime: Math.floor(tlogTime.time.getTime() / 1000) } : {}),
  };
  if (result.signer.kind !== 'certificate') return base;
  const leaf = parseCertificate(result.signer.certificateDer);
  if (policy.github) verifyGithubWorkflow(leaf, policy.github);
  return { ...base, certificate: { der: leaf.der, identity: result.signer.identity, githubWorkflow: readGithubWorkflow(leaf) } };
}
