/**
 * Verifying cosign's classic keyless image signatures: the layer carries the Fulcio certificate
 * (`dev.sigstore.cosign/certificate`), its chain, and the Rekor bundle. A layer passes when its
 * payload matches its digest, the certificate's key signed the payload, the Rekor SET verifies
 * and logs this payload, signature and certificate, the certificate chains to a trusted CA that
 * was valid at the log's integrated time (with an SCT unless waived), the identity policy
 * matches, and the simple-signing claims name the image.
 */
import { VerificationError, decodeBase64, decodePem, encodeUtf8, isAppError, sha256Digest, type Clock } from '../core/index.ts';
import {
  ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE, ANNOTATION_SIGNATURE, parseSimpleSigningPayload, type SimpleSigningPayload,
} from '../oci/index.ts';
import { parseCertificate, type X509Certificate } from './certificate.ts';
import { verifyCosignBundleAnnotation } from './cosign-bundle.ts';
import { checkClaims, verifyEachCandidate, type CandidateSignature, type RejectedSignature } from './cosign-signatures.ts';
import { verifyKeylessCertificate } from './keyless.ts';
import { readFulcioIdentity, readGithubWorkflow, verifyGithubWorkflow, verifyIdentity, type CertificateIdentity, type FulcioIdentity, type GithubWorkflowPolicy } from './policy.ts';
import { defaultHashOf, isMessageSignatureValid } from './signature.ts';
import type { TrustedLogKey } from './tlog.ts';
import type { TrustedRoot } from './trust-root.ts';

/** What a keyless signature must satisfy. */
export interface KeylessPolicy {
  readonly imageDigest: string;
  readonly identities: readonly CertificateIdentity[];
  readonly github?: GithubWorkflowPolicy;
  readonly annotations?: Readonly<Record<string, string>>;
  /** false: cosign's --check-claims=false, the payload's digest and annotations are not checked */
  readonly checkClaims?: boolean;
  readonly trustedRoot: TrustedRoot;
  /** false with --insecure-ignore-tlog: then the certificate is checked at the current time */
  readonly requireTlog: boolean;
  /** --insecure-ignore-sct */
  readonly ignoreSct?: boolean;
  readonly clock: Clock;
}

/** The signer facts of a verified keyless signature. */
export interface SignerCertificate {
  readonly der: Uint8Array;
  readonly identity: FulcioIdentity;
  /** legacy GitHub workflow extension values by OID */
  readonly githubWorkflow: Readonly<Record<string, string>>;
}

/** A keyless layer that passed every check. */
export interface KeylessVerifiedSignature {
  readonly source: string;
  readonly payload: SimpleSigningPayload;
  readonly payloadBytes: Uint8Array;
  readonly signatureBase64: string;
  readonly certificate: SignerCertificate;
  readonly integratedTime?: number;
  readonly logIndex?: number;
  /** the verified `dev.sigstore.cosign/bundle` annotation as stored */
  readonly bundleAnnotation?: string;
}

/** The outcome when at least one layer verified. */
export interface KeylessVerificationResult {
  readonly verified: readonly KeylessVerifiedSignature[];
  readonly rejected: readonly RejectedSignature[];
}

/** The leaf from the certificate annotation (PEM). @throws ERR_VERIFY_CERTIFICATE_MISSING, ERR_CERT_INVALID */
export function leafOfAnnotation(pem: string | undefined): X509Certificate {
  if (pem === undefined || pem.trim() === '') throw new VerificationError('ERR_VERIFY_CERTIFICATE_MISSING', 'no certificate found on signature');
  let blocks;
  try { blocks = decodePem(pem); } catch (cause) { throw new VerificationError('ERR_CERT_INVALID', 'the certificate annotation is not PEM', { cause }); }
  const block = blocks.find((b) => b.label === 'CERTIFICATE');
  if (!block) throw new VerificationError('ERR_CERT_INVALID', 'the certificate annotation holds no CERTIFICATE block');
  return parseCertificate(block.der);
}

/**
 * Checks one classic layer keylessly; returns it verified or throws its reason.
 * @throws ERR_VERIFY_*, ERR_CERT_*, ERR_SCT_*, ERR_CRYPTO_*, ERR_TLOG_* codes
 */
export function verifyKeylessCandidate(candidate: CandidateSignature, policy: KeylessPolicy): KeylessVerifiedSignature {
  if (isAppError(candidate.payload)) throw candidate.payload;
  const payloadBytes = candidate.payload;
  const { annotations, descriptor } = candidate.layer;
  if (sha256Digest(payloadBytes) !== descriptor.digest) {
    throw new VerificationError('ERR_VERIFY_PAYLOAD_DIGEST', `payload does not match its layer digest ${descriptor.digest}`);
  }
  const signatureBase64 = annotations[ANNOTATION_SIGNATURE];
  if (signatureBase64 === undefined || signatureBase64 === '') {
    throw new VerificationError('ERR_VERIFY_SIGNATURE_MISSING', `layer ${descriptor.digest} has no ${ANNOTATION_SIGNATURE} annotation`);
  }
  const leaf = leafOfAnnotation(annotations[ANNOTATION_CERTIFICATE]);
  const signature = decodeBase64(signatureBase64, () => new VerificationError('ERR_VERIFY_SIGNATURE_MISSING', 'the signature annotation is not base64'));
  const hash = defaultHashOf(leaf.publicKey.kind);
  if (!isMessageSignatureValid(leaf.publicKey, { hash }, payloadBytes, signature)) {
    throw new VerificationError('ERR_CRYPTO_SIGNATURE_INVALID', 'the signature does not verify with the certificate key');
  }
  const tlog = verifyKeylessTlog(annotations[ANNOTATION_BUNDLE], policy, { payload: payloadBytes, signatureBase64, certificateDer: leaf.der });
  const time = tlog.integratedTime === undefined ? policy.clock() : new Date(tlog.integratedTime * 1000);
  verifyKeylessCertificate(leaf, [time], policy.trustedRoot, { ignoreSct: policy.ignoreSct === true });
  const identity = readFulcioIdentity(leaf);
  verifyIdentity(identity, policy.identities);
  if (policy.github) verifyGithubWorkflow(leaf, policy.github);
  const payload = parseSimpleSigningPayload(payloadBytes);
  if (policy.checkClaims !== false) checkClaims(payload, policy);
  return {
    source: candidate.source, payload, payloadBytes, signatureBase64,
    certificate: { der: leaf.der, identity, githubWorkflow: readGithubWorkflow(leaf) },
    ...tlog,
  };
}

/** The log keys of a trust root, as the SET check takes them. */
export function logKeysOf(root: TrustedRoot): TrustedLogKey[] {
  return root.tlogs.flatMap((t) => (t.algorithm ? [{ spkiDer: t.spkiDer, algorithm: t.algorithm }] : []));
}

function verifyKeylessTlog(
  bundle: string | undefined, policy: KeylessPolicy, facts: { payload: Uint8Array; signatureBase64: string; certificateDer: Uint8Array },
): { integratedTime?: number; logIndex?: number; bundleAnnotation?: string } {
  if (bundle === undefined) {
    if (policy.requireTlog) throw new VerificationError('ERR_VERIFY_TLOG_MISSING', 'signature has no transparency log bundle (use --insecure-ignore-tlog to accept it)');
    return {};
  }
  if (!policy.requireTlog) return {};
  const entry = verifyCosignBundleAnnotation(encodeUtf8(bundle), logKeysOf(policy.trustedRoot), facts);
  return { integratedTime: entry.integratedTime, logIndex: entry.logIndex, bundleAnnotation: bundle };
}

/**
 * Verifies every classic layer keylessly; succeeds when one passes.
 * @throws ERR_VERIFY_NO_SIGNATURES (10), ERR_VERIFY_NO_MATCHING_SIGNATURE (12)
 */
export function verifyKeylessSignatures(candidates: readonly CandidateSignature[], policy: KeylessPolicy): KeylessVerificationResult {
  try {
    return verifyEachCandidate(candidates, (c) => verifyKeylessCandidate(c, policy));
  } catch (error) {
    // cosign exits 13 when the signatures are there but none carries a certificate
    const rejected = (isAppError(error) ? error.details?.['rejected'] : undefined) as { code: string }[] | undefined;
    if (rejected?.length && rejected.every((r) => r.code === 'ERR_VERIFY_CERTIFICATE_MISSING')) {
      throw new VerificationError('ERR_VERIFY_CERTIFICATE_MISSING', 'no certificate found on signature', { cause: error });
    }
    throw error;
  }
}
