/**
 * Verifying cosign's legacy attestations (`sha256-<hex>.att` layers): each layer is a DSSE envelope
 * over an in-toto statement. A layer passes when its payload matches its digest, one envelope
 * signature verifies over the DSSE PAE with the key (or with the certificate's key, which chains
 * to a trusted CA under the identity policy), the Rekor bundle logs this envelope (unless the log
 * is waived), and a statement subject names the image digest (cosign's IntotoSubjectClaimVerifier).
 * The predicate type is reported, not judged: `verify-attestation --type` filters afterwards.
 */
import { VerificationError, decodeBase64, decodeUtf8, isAppError, sha256Digest, type Clock, verifySignature, type SignatureAlgorithm } from '../core/index.ts';
import { encodeDssePae, IN_TOTO_PAYLOAD_TYPE } from '../bundle/dsse-pae.ts';
import { ANNOTATION_BUNDLE, ANNOTATION_CERTIFICATE } from '../oci/index.ts';
import { verifyAttestationBundle, type AttestationLayerFacts } from './attestation-tlog.ts';
import { leafOfAnnotation, logKeysOf, type SignerCertificate } from './cosign-keyless.ts';
import type { CandidateSignature } from './cosign-signatures.ts';
import { verifyKeylessCertificate } from './keyless.ts';
import { readFulcioIdentity, readGithubWorkflow, verifyGithubWorkflow, verifyIdentity, type CertificateIdentity, type GithubWorkflowPolicy } from './policy.ts';
import { defaultHashOf, isMessageSignatureValid } from './signature.ts';
import type { TrustedLogKey } from './tlog.ts';
import type { TrustedRoot } from './trust-root.ts';

/** The keyless half of a policy. */
export interface AttestationKeylessPolicy {
  readonly identities: readonly CertificateIdentity[];
  readonly github?: GithubWorkflowPolicy;
  readonly trustedRoot: TrustedRoot;
  readonly ignoreSct?: boolean;
  readonly clock: Clock;
}

/** What an attestation must satisfy: signed by `key`, or keylessly under `keyless`. */
export interface AttestationPolicy {
  readonly imageDigest: string;
  readonly key?: { readonly spkiDer: Uint8Array; readonly algorithm: SignatureAlgorithm };
  readonly keyless?: AttestationKeylessPolicy;
  /** trusted log keys (key-based; keyless takes the trust root's) */
  readonly logKeys: readonly TrustedLogKey[];
  /** false with --insecure-ignore-tlog */
  readonly requireTlog: boolean;
}

/** A layer that passed every check. */
export interface VerifiedAttestation {
  readonly source: string;
  /** the envelope JSON exactly as stored (what cosign prints) */
  readonly envelope: Uint8Array;
  readonly statement: unknown;
  readonly predicateType: string;
  readonly integratedTime?: number;
  readonly certificate?: SignerCertificate;
}

interface Envelope { readonly payloadType: string; readonly payload: Uint8Array; readonly sigs: readonly string[] }

function invalid(message: string): VerificationError {
  return new VerificationError('ERR_VERIFY_ATTESTATION_INVALID', message);
}

/** Parses the layer payload as a DSSE envelope. @throws ERR_VERIFY_ATTESTATION_INVALID */
export function parseDsseEnvelope(bytes: Uint8Array): Envelope {
  let json: unknown;
  try { json = JSON.parse(decodeUtf8(bytes)); } catch { throw invalid('the attestation layer is not a json dsse envelope'); }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('the attestation layer is not a json dsse envelope');
  const env = json as Record<string, unknown>;
  const { payloadType, payload, signatures } = env;
  if (typeof payloadType !== 'string' || typeof payload !== 'string' || !Array.isArray(signatures) || signatures.length === 0) {
    throw invalid('the dsse envelope needs payloadType, payload and at least one signature');
  }
  const sigs = signatures.map((s: unknown) => {
    const sig = typeof s === 'object' && s !== null ? (s as Record<string, unknown>)['sig'] : undefined;
    if (typeof sig !== 'string' || sig === '') throw invalid('a dsse signature has no sig');
    return sig;
  });
  return { payloadType, payload: decodeBase64(payload, () => invalid('the dsse payload is not base64')), sigs };
}

/** The statement's predicate type after checking a subject names the image. @throws ERR_VERIFY_ATTESTATION_INVALID, ERR_VERIFY_ATTESTATION_SUBJECT */
function checkStatement(env: Envelope, imageDigest: string): { statement: unknown; predicateType: string } {
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw invalid(`the dsse payload type ${JSON.stringify(env.payloadType.slice(0, 80))} is not ${IN_TOTO_PAYLOAD_TYPE}`);
  let statement: unknown;
  try { statement = JSON.parse(decodeUtf8(env.payload)); } catch { throw invalid('the in-toto statement is not json'); }
  const s = typeof statement === 'object' && statement !== null ? statement as Record<string, unknown> : {};
  const subjects = Array.isArray(s['subject']) ? s['subject'] as unknown[] : [];
  const want = imageDigest.replace(/^sha256:/, '');
  const named = subjects.some((x) => {
    const d = typeof x === 'object' && x !== null ? (x as Record<string, unknown>)['digest'] : undefined;
    return typeof d === 'object' && d !== null && (d as Record<string, unknown>)['sha256'] === want;
  });
  if (!named) throw new VerificationError('ERR_VERIFY_ATTESTATION_SUBJECT', 'no matching subject digest found');
  return { statement, predicateType: typeof s['predicateType'] === 'string' ? s['predicateType'] : '' };
}

/** The first envelope signature the check accepts. @throws ERR_CRYPTO_SIGNATURE_INVALID */
function acceptedSignature(env: Envelope, isValid: (pae: Uint8Array, signature: Uint8Array) => boolean): string {
  const pae = encodeDssePae(env.payloadType, env.payload);
  const sig = env.sigs.find((s) => {
    try { return isValid(pae, decodeBase64(s, () => invalid('a dsse signature is not base64'))); } catch { return false; }
  });
  if (sig === undefined) throw new VerificationError('ERR_CRYPTO_SIGNATURE_INVALID', 'no dsse signature of the attestation verifies');
  return sig;
}

function verifyTlog(candidate: CandidateSignature, policy: AttestationPolicy, facts: AttestationLayerFacts, logKeys: readonly TrustedLogKey[]): { integratedTime?: number } {
  const bundle = candidate.layer.annotations[ANNOTATION_BUNDLE];
  if (!policy.requireTlog) return {};
  if (bundle === undefined) throw new VerificationError('ERR_VERIFY_TLOG_MISSING', 'attestation has no transparency log bundle (use --insecure-ignore-tlog to accept it)');
  return { integratedTime: verifyAttestationBundle(bundle, logKeys, facts).integratedTime };
}

/**
 * Checks one `.att` layer; returns it verified or throws its reason.
 * @throws ERR_VERIFY_ATTESTATION_*, ERR_VERIFY_PAYLOAD_DIGEST, ERR_CRYPTO_SIGNATURE_INVALID, ERR_VERIFY_TLOG_MISSING, ERR_VERIFY_BUNDLE_*, ERR_CERT_*, ERR_VERIFY_CERTIFICATE_MISSING, identity codes
 */
export function verifyAttestationCandidate(candidate: CandidateSignature, policy: AttestationPolicy): VerifiedAttestation {
  if (isAppError(candidate.payload)) throw candidate.payload;
  const envelope = candidate.payload;
  if (sha256Digest(envelope) !== candidate.layer.descriptor.digest) {
    throw new VerificationError('ERR_VERIFY_PAYLOAD_DIGEST', `payload does not match its layer digest ${candidate.layer.descriptor.digest}`);
  }
  const env = parseDsseEnvelope(envelope);
  if (policy.key) {
    const { spkiDer, algorithm } = policy.key;
    const signatureBase64 = acceptedSignature(env, (pae, sig) => { verifySignature(algorithm, spkiDer, pae, sig, [algorithm]); return true; });
    const tlog = verifyTlog(candidate, policy, { envelope, statement: env.payload, signatureBase64, publicKeySpki: spkiDer }, policy.logKeys);
    return { source: candidate.source, envelope, ...checkStatement(env, policy.imageDigest), ...tlog };
  }
  const keyless = policy.keyless;
  if (!keyless) throw new VerificationError('ERR_VERIFY_NO_MATCHING_ATTESTATION', 'neither a key nor an identity policy was given');
  const leaf = leafOfAnnotation(candidate.layer.annotations[ANNOTATION_CERTIFICATE]);
  const hash = defaultHashOf(leaf.publicKey.kind);
  const signatureBase64 = acceptedSignature(env, (pae, sig) => isMessageSignatureValid(leaf.publicKey, { hash }, pae, sig));
  const tlog = verifyTlog(candidate, policy, { envelope, statement: env.payload, signatureBase64, certificateDer: leaf.der }, logKeysOf(keyless.trustedRoot));
  const time = tlog.integratedTime === undefined ? keyless.clock() : new Date(tlog.integratedTime * 1000);
  verifyKeylessCertificate(leaf, [time], keyless.trustedRoot, { ignoreSct: keyless.ignoreSct === true });
  const identity = readFulcioIdentity(leaf);
  verifyIdentity(identity, keyless.identities);
  if (keyless.github) verifyGithubWorkflow(leaf, keyless.github);
  const certificate: SignerCertificate = { der: leaf.der, identity, githubWorkflow: readGithubWorkflow(leaf) };
  return { source: candidate.source, envelope, ...checkStatement(env, policy.imageDigest), ...tlog, certificate };
}
