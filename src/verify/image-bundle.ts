/**
 * Verifying an image's Sigstore bundle v0.3 referrers (cosign `sign --new-bundle-format`): each
 * bundle must be a DSSE envelope over an in-toto statement whose subject is the image digest,
 * with predicate type `https://sigstore.dev/cosign/sign/v1` (stricter than cosign, which takes any
 * predicate), verified offline against the trust root under the identity policy. A verified
 * statement is shown in cosign's simple-signing shape, as cosign prints it.
 */
import { VerificationError, decodeHex, decodeUtf8, isAppError, type AppError } from '../core/index.ts';
import { parseBundle, type Bundle } from '../bundle/index.ts';
import { verifyBundle } from './bundle-verifier.ts';
import { parseCertificate } from './certificate.ts';
import { verifyEachCandidate, type RejectedSignature } from './cosign-signatures.ts';
import type { KeylessPolicy, SignerCertificate } from './cosign-keyless.ts';
import { readGithubWorkflow, verifyGithubWorkflow } from './policy.ts';

/** The predicate type cosign writes for an image signature. */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

/** One bundle found for the image, or the error reading it. */
export interface CandidateBundle {
  readonly source: string;
  readonly bundle: Uint8Array | AppError;
}

/** What a bundle must satisfy: the keyless policy, less `requireTlog` (a bundle's log entry is always checked). */
export type ImageBundlePolicy = Omit<KeylessPolicy, 'requireTlog'>;

/** A bundle that verified, in cosign's printing shape. */
export interface VerifiedImageBundle {
  readonly source: string;
  readonly predicateType: string;
  /** subject annotations of the statement (cosign's `optional`) */
  readonly annotations: Readonly<Record<string, string>>;
  readonly certificate: SignerCertificate;
  readonly integratedTime?: number;
}

type Json = Record<string, unknown>;

function mismatch(message: string): VerificationError {
  return new VerificationError('ERR_VERIFY_ARTIFACT_MISMATCH', message);
}

/** The statement subject naming `hex`, with its predicate type. */
function statementFacts(bundle: Bundle, hex: string): { predicateType: string; annotations: Record<string, string> } {
  if (bundle.content.kind !== 'dsse') throw mismatch('an image signature bundle must carry a dsse envelope');
  let statement: Json;
  try { statement = JSON.parse(decodeUtf8(bundle.content.payload)) as Json; } catch { throw mismatch('dsse payload is not json'); }
  const predicateType = typeof statement['predicateType'] === 'string' ? statement['predicateType'] : '';
  if (predicateType !== COSIGN_SIGN_PREDICATE) throw mismatch(`the statement's predicate type ${JSON.stringify(predicateType)} is not ${COSIGN_SIGN_PREDICATE}`);
  const subjects = Array.isArray(statement['subject']) ? statement['subject'] as Json[] : [];
  const subject = subjects.find((s) => typeof s === 'object' && s !== null && (s['digest'] as Json | undefined)?.['sha256'] === hex);
  if (!subject) throw mismatch('no matching subject digest found');
  const annotations: Record<string, string> = {};
  const raw = subject['annotations'];
  if (typeof raw === 'object' && raw !== null) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') annotations[k] = v;
  }
  return { predicateType, annotations };
}

/**
 * Verifies one bundle for the image.
 * @throws ERR_BUNDLE_INVALID, ERR_VERIFY_*, ERR_CERT_*, ERR_SCT_*, ERR_TLOG_* and other bundle verification codes
 */
export function verifyImageBundle(candidate: CandidateBundle, policy: ImageBundlePolicy): VerifiedImageBundle {
  if (isAppError(candidate.bundle)) throw candidate.bundle;
  const bundle = parseBundle(candidate.bundle);
  if (bundle.version !== '0.3') throw new VerificationError('ERR_VERIFY_ARTIFACT_MISMATCH', `an image signature bundle must be v0.3 or later, not v${bundle.version}`);
  const hex = policy.imageDigest.replace(/^sha256:/, '');
  const facts = statementFacts(bundle, hex);
  const result = verifyBundle(bundle, { kind: 'digest', algorithm: 'sha256', digest: decodeHex(hex) }, {
    trustedRoot: policy.trustedRoot, policy: { kind: 'identity', identities: policy.identities }, clock: policy.clock,
    ...(policy.ignoreSct ? { ignoreSct: true } : {}),
  });
  if (result.signer.kind !== 'certificate') throw new VerificationError('ERR_VERIFY_CERTIFICATE_MISSING', 'no certificate found on signature');
  const leaf = parseCertificate(result.signer.certificateDer);
  if (policy.github) verifyGithubWorkflow(leaf, policy.github);
  for (const [key, want] of Object.entries(policy.annotations ?? {})) {
    if (facts.annotations[key] !== want) throw new VerificationError('ERR_VERIFY_CLAIM_ANNOTATION', `missing or incorrect annotation: ${key}=${want}`);
  }
  const tlogTime = result.verifiedTimes.find((t) => t.source === 'tlog');
  return {
    source: candidate.source, predicateType: facts.predicateType, annotations: facts.annotations,
    certificate: { der: leaf.der, identity: result.signer.identity, githubWorkflow: readGithubWorkflow(leaf) },
    ...(tlogTime ? { integratedTime: Math.floor(tlogTime.time.getTime() / 1000) } : {}),
  };
}

/**
 * Verifies every bundle; succeeds when one passes.
 * @throws ERR_VERIFY_NO_SIGNATURES (10), ERR_VERIFY_NO_MATCHING_SIGNATURE (12)
 */
export function verifyImageBundles(candidates: readonly CandidateBundle[], policy: ImageBundlePolicy): { verified: VerifiedImageBundle[]; rejected: RejectedSignature[] } {
  return verifyEachCandidate(candidates, (c) => verifyImageBundle(c, policy));
}
