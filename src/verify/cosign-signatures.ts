/**
 * Verifying cosign's classic image signatures with a public key: every layer of every signature
 * manifest is checked on its own (payload digest, signature, Rekor bundle, claims), and the image
 * passes when at least one layer passes. Each rejected layer keeps its reason.
 */
import {
  AppError, NotFoundError, VerificationError, decodeBase64, encodeUtf8, isAppError, sha256Digest,
  verifySignature, type SignatureAlgorithm,
} from '../core/index.ts';
import {
  ANNOTATION_BUNDLE, ANNOTATION_SIGNATURE, parseSimpleSigningPayload, type SignatureLayerRef, type SimpleSigningPayload,
} from '../oci/index.ts';
import { verifyCosignBundleAnnotation } from './cosign-bundle.ts';
import type { TrustedLogKey } from './tlog.ts';

/** One signature layer found for an image, with its payload or the error fetching it. */
export interface CandidateSignature {
  /** where it was found, for reports: `tag sha256-….sig` or `referrer sha256:…` */
  readonly source: string;
  readonly layer: SignatureLayerRef;
  readonly payload: Uint8Array | AppError;
}

/** What a signature must satisfy. */
export interface KeyPolicy {
  readonly imageDigest: string;
  readonly publicKey: { readonly spkiDer: Uint8Array; readonly algorithm: SignatureAlgorithm };
  /** `-a key=value` claims every accepted payload must carry in `optional` */
  readonly annotations?: Readonly<Record<string, string>>;
  /** false: cosign's --check-claims=false, the payload's digest and annotations are not checked */
  readonly checkClaims?: boolean;
  /** trusted log keys; when `requireTlog`, a layer needs a verified Rekor bundle */
  readonly logKeys: readonly TrustedLogKey[];
  readonly requireTlog: boolean;
}

/** A layer that passed every check. */
export interface VerifiedSignature {
  readonly source: string;
  readonly payload: SimpleSigningPayload;
  readonly payloadBytes: Uint8Array;
  readonly signatureBase64: string;
  /** the Rekor entry's integrated time, when the layer carried a verified bundle */
  readonly integratedTime?: number;
  readonly logIndex?: number;
}

/** A layer that failed, and why. */
export interface RejectedSignature {
  readonly source: string;
  readonly reason: AppError;
}

/** The outcome when at least one layer verified. */
export interface KeyVerificationResult {
  readonly verified: readonly VerifiedSignature[];
  readonly rejected: readonly RejectedSignature[];
}

/**
 * Checks cosign's claims: the payload names the image digest and carries every `-a` annotation.
 * @throws ERR_VERIFY_CLAIM_DIGEST, ERR_VERIFY_CLAIM_ANNOTATION
 */
export function checkClaims(payload: SimpleSigningPayload, policy: { readonly imageDigest: string; readonly annotations?: Readonly<Record<string, string>> }): void {
  if (payload.manifestDigest !== policy.imageDigest) {
    throw new VerificationError('ERR_VERIFY_CLAIM_DIGEST', `invalid or missing digest in claim: ${payload.manifestDigest}`);
  }
  for (const [key, want] of Object.entries(policy.annotations ?? {})) {
    if (payload.optional?.[key] !== want) throw new VerificationError('ERR_VERIFY_CLAIM_ANNOTATION', `missing or incorrect annotation: ${key}=${want}`);
  }
}

/**
 * Checks one layer; returns it verified or throws its reason.
 * @throws ERR_VERIFY_* codes, ERR_SIGNATURE_PAYLOAD_INVALID, ERR_CRYPTO_*, ERR_TLOG_*
 */
export function verifyCandidate(candidate: CandidateSignature, policy: KeyPolicy): VerifiedSignature {
  if (isAppError(candidate.payload)) throw candidate.payload;
  const payloadBytes = candidate.payload;
  if (sha256Digest(payloadBytes) !== candidate.layer.descriptor.digest) {
    throw new VerificationError('ERR_VERIFY_PAYLOAD_DIGEST', `payload does not match its layer digest ${candidate.layer.descriptor.digest}`);
  }
  const signatureBase64 = candidate.layer.annotations[ANNOTATION_SIGNATURE];
  if (signatureBase64 === undefined || signatureBase64 === '') {
    throw new VerificationError('ERR_VERIFY_SIGNATURE_MISSING', `layer ${candidate.layer.descriptor.digest} has no ${ANNOTATION_SIGNATURE} annotation`);
  }
  const signature = decodeBase64(signatureBase64, () => new VerificationError('ERR_VERIFY_SIGNATURE_MISSING', 'the signature annotation is not base64'));
  const { spkiDer, algorithm } = policy.publicKey;
  verifySignature(algorithm, spkiDer, payloadBytes, signature, [algorithm]);
  const tlog = verifyLayerTlog(candidate, policy, payloadBytes, signatureBase64);
  const payload = parseSimpleSigningPayload(payloadBytes);
  if (policy.checkClaims !== false) checkClaims(payload, policy);
  return { source: candidate.source, payload, payloadBytes, signatureBase64, ...tlog };
}

function verifyLayerTlog(candidate: CandidateSignature, policy: KeyPolicy, payload: Uint8Array, signatureBase64: string): { integratedTime?: number; logIndex?: number } {
  const bundle = candidate.layer.annotations[ANNOTATION_BUNDLE];
  if (bundle === undefined) {
    if (policy.requireTlog) throw new VerificationError('ERR_VERIFY_TLOG_MISSING', 'signature has no transparency log bundle (use --insecure-ignore-tlog to accept it)');
    return {};
  }
  if (!policy.requireTlog && policy.logKeys.length === 0) return {};
  const entry = verifyCosignBundleAnnotation(encodeUtf8(bundle), policy.logKeys, { payload, signatureBase64, publicKeySpki: policy.publicKey.spkiDer });
  return { integratedTime: entry.integratedTime, logIndex: entry.logIndex };
}

/**
 * Verifies every candidate; succeeds when one passes.
 * @throws ERR_VERIFY_NO_SIGNATURES (exit 10) when there are none
 * @throws ERR_VERIFY_NO_MATCHING_SIGNATURE (exit 12) with each reason when none passes
 */
export function verifyKeySignatures(candidates: readonly CandidateSignature[], policy: KeyPolicy): KeyVerificationResult {
  return verifyEachCandidate(candidates, (c) => verifyCandidate(c, policy));
}

/**
 * Runs `verifyOne` on every candidate and keeps each outcome; succeeds when one passes.
 * cosign's message lists the reasons joined by a newline and a space.
 * @throws ERR_VERIFY_NO_SIGNATURES (exit 10) when there are none
 * @throws ERR_VERIFY_NO_MATCHING_SIGNATURE (exit 12) with each reason when none passes
 */
export function verifyEachCandidate<T extends { readonly source: string }, V>(candidates: readonly T[], verifyOne: (candidate: T) => V): { verified: V[]; rejected: RejectedSignature[] } {
  if (candidates.length === 0) throw new NotFoundError('ERR_VERIFY_NO_SIGNATURES', 'no signatures found');
  const verified: V[] = [];
  const rejected: RejectedSignature[] = [];
  for (const c of candidates) {
    try {
      verified.push(verifyOne(c));
    } catch (error) {
      const reason = isAppError(error) ? error : new VerificationError('ERR_VERIFY_NO_MATCHING_SIGNATURE', String(error));
      rejected.push({ source: c.source, reason });
    }
  }
  if (verified.length === 0) {
    // cosign's shape: each reason after the prefix, joined by a newline and a space; ours name where and which code
    const reasons = rejected.map((r) => `${r.reason.message} (${r.reason.code}, ${r.source})`);
    throw new VerificationError('ERR_VERIFY_NO_MATCHING_SIGNATURE', `no matching signatures: ${reasons.join('\n ')}`, {
      details: { rejected: rejected.map((r) => ({ source: r.source, code: r.reason.code, message: r.reason.message })) },
    });
  }
  return { verified, rejected };
}
