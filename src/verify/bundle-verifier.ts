/**
 * Offline Sigstore bundle verification (rekor-fulcio research §5.4), pure and I/O-free with an
 * injected clock. Order: key material; signed times from RFC 3161 timestamps and log SETs; the
 * log entries (log known, body consistent with the bundle, SET, inclusion proof, checkpoint;
 * Rekor v2 entries need a timestamp inside the log's validity); the certificate path at every
 * signed time with KU/EKU and an embedded SCT; the identity policy; the signature itself.
 * Returns a value only when everything verified.
 */
import {
  equalBytes, hashBytes, VerificationError, type Clock, type HashAlgorithm,
} from '../core/index.ts';
import type { Bundle } from '../bundle/index.ts';
import { verifyTlogEntry } from './bundle-tlog.ts';
import { parseCertificate, type X509Certificate } from './certificate.ts';
import { encodePae, verifyStatementSubject } from './dsse.ts';
import { verifyKeylessCertificate } from './keyless.ts';
import { readFulcioIdentity, verifyIdentity, type CertificateIdentity, type FulcioIdentity } from './policy.ts';
import { defaultHashOf, isDigestSignatureValid, isMessageSignatureValid, parsePublicKeyInfo, type PublicKeyInfo } from './signature.ts';
import { verifyTimestamp } from './timestamp.ts';
import { verifyEntryBody, type SignedContent } from './tlog-body.ts';
import { isWithinValidity, type TrustedRoot } from './trust-root.ts';

/** The artifact: its bytes, or only its SHA-256 digest. */
export type ArtifactInput =
  | { readonly kind: 'bytes'; readonly data: Uint8Array }
  | { readonly kind: 'digest'; readonly algorithm: 'sha256'; readonly digest: Uint8Array };

/** Who must have signed: a certificate identity (keyless) or a known public key. */
export type VerificationPolicy =
  | { readonly kind: 'identity'; readonly identities: readonly CertificateIdentity[] }
  | { readonly kind: 'public-key'; readonly spkiDer: Uint8Array };

/** Everything verification depends on besides the bundle and artifact. */
export interface VerifyBundleOptions {
  readonly trustedRoot: TrustedRoot;
  readonly policy: VerificationPolicy;
  readonly clock: Clock;
  /** cosign's --insecure-ignore-sct: accept a certificate without a verified SCT */
  readonly ignoreSct?: boolean;
}

/** A time some authority signed. */
export interface VerifiedTime {
  readonly source: 'rfc3161' | 'tlog';
  readonly time: Date;
}

/** What a successful verification established. */
export interface BundleVerification {
  readonly signer:
    | { readonly kind: 'certificate'; readonly identity: FulcioIdentity; readonly certificateDer: Uint8Array }
    | { readonly kind: 'public-key'; readonly spkiDer: Uint8Array };
  readonly verifiedTimes: readonly VerifiedTime[];
  readonly tlogEntries: readonly { readonly logIndex: bigint; readonly baseUrl: string }[];
}

interface SignerKey {
  readonly key: PublicKeyInfo;
  readonly leaf?: X509Certificate;
}

function materialMismatch(message: string): VerificationError {
  return new VerificationError('ERR_VERIFY_MATERIAL_MISMATCH', message);
}

/** Step 2: the leaf certificate or the policy's key, and that they fit each other. */
function resolveSigner(bundle: Bundle, policy: VerificationPolicy): SignerKey {
  const signer = bundle.verificationMaterial.signer;
  if (signer.kind === 'public-key') {
    if (policy.kind !== 'public-key') throw materialMismatch('the bundle is signed with a managed key and has no certificate to check an identity against; pass the key');
    return { key: parsePublicKeyInfo(policy.spkiDer) };
  }
  if (policy.kind === 'public-key') throw materialMismatch('the bundle carries a certificate, not a managed-key signature');
  const certs = signer.kind === 'certificate' ? [signer.certificate] : signer.certificates;
  const leaf = parseCertificate(certs[0] ?? new Uint8Array(0));
  for (const der of certs.slice(1)) {
    const cert = parseCertificate(der);
    if (equalBytes(cert.issuerDer, cert.subjectDer)) throw new VerificationError('ERR_CERT_ROOT_IN_CHAIN', 'the bundle certificate chain embeds a self-signed root; trust anchors come only from the trust root');
  }
  return { key: leaf.publicKey, leaf };
}

function signatureOf(bundle: Bundle): Uint8Array {
  const c = bundle.content;
  return c.kind === 'message' ? c.signature : (c.signatures[0]?.sig ?? new Uint8Array(0));
}

// Digests of the artifact bytes hashed during one verifyBundle call (the log body, the
// messageDigest hint and the DSSE subject check all ask for SHA-256 of the same bytes); the call
// is synchronous and drops its entry when it returns, so the bytes cannot change meanwhile.
const DIGESTS = new WeakMap<Uint8Array, Map<HashAlgorithm, Uint8Array>>();

function artifactDigest(artifact: ArtifactInput, algorithm: HashAlgorithm): Uint8Array | undefined {
  if (artifact.kind === 'bytes') {
    let known = DIGESTS.get(artifact.data);
    if (!known) { known = new Map(); DIGESTS.set(artifact.data, known); }
    let digest = known.get(algorithm);
    if (!digest) { digest = hashBytes(algorithm, artifact.data); known.set(algorithm, digest); }
    return digest;
  }
  return algorithm === artifact.algorithm ? artifact.digest : undefined;
}

/** The hash named by a message signature's messageDigest, if any. */
function hashOfDigestHint(bundle: Bundle): HashAlgorithm | undefined {
  const alg = bundle.content.kind === 'message' ? bundle.content.messageDigest?.algorithm : undefined;
  return alg === 'SHA2_256' ? 'sha256' : alg === 'SHA2_384' ? 'sha384' : alg === 'SHA2_512' ? 'sha512' : undefined;
}

/** What log bodies must record, and the messageDigest hint checked against the artifact. */
function signedContentOf(bundle: Bundle, artifact: ArtifactInput, verifierDer: Uint8Array, isCert: boolean): SignedContent {
  const c = bundle.content;
  const verifier = { kind: isCert ? 'certificate' as const : 'public-key' as const, der: verifierDer };
  if (c.kind === 'dsse') {
    const pae = encodePae(c.payloadType, c.payload);
    return { signature: signatureOf(bundle), verifier, digestFor: (alg) => hashBytes(alg, pae), dssePayloadSha256: hashBytes('sha256', c.payload) };
  }
  const hint = c.messageDigest;
  const hintAlg = hashOfDigestHint(bundle);
  const actual = hintAlg ? artifactDigest(artifact, hintAlg) : undefined;
  if (hint && actual && !equalBytes(actual, hint.digest)) {
    throw new VerificationError('ERR_VERIFY_ARTIFACT_MISMATCH', 'the bundle messageDigest is not the digest of the artifact');
  }
  return { signature: c.signature, verifier, digestFor: (alg) => artifactDigest(artifact, alg) };
}

/** Steps 3 and 6: signed times, and every log entry verified and consistent with the bundle. */
function verifyTimesAndEntries(bundle: Bundle, content: SignedContent, root: TrustedRoot, clock: Clock): { times: VerifiedTime[]; entries: BundleVerification['tlogEntries'] } {
  const material = bundle.verificationMaterial;
  const times: VerifiedTime[] = material.rfc3161Timestamps.map((der) => ({ source: 'rfc3161', time: verifyTimestamp(der, content.signature, root.timestampAuthorities) }));
  const tsaTimes = times.map((t) => t.time);
  if (material.tlogEntries.length === 0) throw new VerificationError('ERR_VERIFY_TLOG_MISSING', 'the bundle has no transparency log entry');
  const entries = material.tlogEntries.map((entry) => {
    verifyEntryBody(entry, content);
    const verified = verifyTlogEntry(entry, root.tlogs);
    if (verified.integratedTime) times.push({ source: 'tlog', time: verified.integratedTime });
    else if (!tsaTimes.some((t) => isWithinValidity(verified.log.validFor, t))) {
      // a Rekor v2 entry has no signed time of its own: a timestamp must place it in the log's lifetime
      throw new VerificationError('ERR_VERIFY_NO_VERIFIED_TIME', `log entry ${entry.logIndex} has no signed time, and no verified timestamp lies within the validity of ${verified.log.baseUrl}`);
    }
    return { logIndex: entry.logIndex, baseUrl: verified.log.baseUrl };
  });
  if (times.length === 0) throw new VerificationError('ERR_VERIFY_NO_VERIFIED_TIME', 'the bundle has no verified time: no rfc 3161 timestamp and no signed entry timestamp');
  const now = clock();
  const future = times.find((t) => t.time.getTime() > now.getTime());
  if (future) throw new VerificationError('ERR_VERIFY_NO_VERIFIED_TIME', `a signed time ${future.time.toISOString()} lies in the future (now ${now.toISOString()})`);
  return { times, entries };
}

/** Step 7: the signature over the artifact (or digest), or over the DSSE PAE plus the subject check. */
function verifyContentSignature(bundle: Bundle, artifact: ArtifactInput, key: PublicKeyInfo): void {
  const c = bundle.content;
  const invalid = (): VerificationError => new VerificationError('ERR_CRYPTO_SIGNATURE_INVALID', `the bundle ${c.kind === 'dsse' ? 'dsse envelope' : 'message'} signature does not verify with the ${key.kind} signing key`);
  const hash = defaultHashOf(key.kind);
  if (c.kind === 'dsse') {
    if (!isMessageSignatureValid(key, { hash }, encodePae(c.payloadType, c.payload), signatureOf(bundle))) throw invalid();
    return;
  }
  if (artifact.kind === 'bytes') {
    // the signer's hash is named by messageDigest (P-384 keys have signed SHA-256 digests), else the key's default
    if (!isMessageSignatureValid(key, { hash: hashOfDigestHint(bundle) ?? hash }, artifact.data, c.signature)) throw invalid();
    return;
  }
  // ECDSA verifies over whichever digest the signer hashed to; the log entry already pinned it
  if (key.kind === 'ed25519' || key.kind === 'rsa') {
    throw new VerificationError('ERR_VERIFY_DIGEST_UNSUPPORTED', `a ${key.kind} signature cannot be checked from a ${artifact.algorithm} digest alone; pass the artifact`);
  }
  if (!isDigestSignatureValid(key, artifact.digest, c.signature)) throw invalid();
}

/**
 * Verifies a parsed bundle for an artifact under a policy and trust root.
 * @throws ERR_VERIFY_*, ERR_CERT_*, ERR_SCT_*, ERR_TSA_*, ERR_TLOG_*, ERR_MERKLE_*, ERR_CHECKPOINT_*,
 * ERR_CRYPTO_* naming the first check that failed
 */
export function verifyBundle(bundle: Bundle, artifact: ArtifactInput, options: VerifyBundleOptions): BundleVerification {
  try {
    return verifyBundleOnce(bundle, artifact, options);
  } finally {
    if (artifact.kind === 'bytes') DIGESTS.delete(artifact.data);
  }
}

function verifyBundleOnce(bundle: Bundle, artifact: ArtifactInput, options: VerifyBundleOptions): BundleVerification {
  const { trustedRoot, policy, clock } = options;
  const signer = resolveSigner(bundle, policy);
  const content = signedContentOf(bundle, artifact, signer.leaf?.der ?? signer.key.spkiDer, signer.leaf !== undefined);
  // the signature is checked before the log entries so that a bad signature is reported as such,
  // not as a mismatch with the entry that logged the good one
  verifyContentSignature(bundle, artifact, signer.key);
  const { times, entries } = verifyTimesAndEntries(bundle, content, trustedRoot, clock);
  let identity: FulcioIdentity | undefined;
  if (signer.leaf) {
    verifyKeylessCertificate(signer.leaf, times.map((t) => t.time), trustedRoot, { ignoreSct: options.ignoreSct === true });
    identity = readFulcioIdentity(signer.leaf);
    if (policy.kind === 'identity') verifyIdentity(identity, policy.identities);
  }
  const c = bundle.content;
  const sha256 = artifactDigest(artifact, 'sha256');
  if (c.kind === 'dsse' && sha256) verifyStatementSubject(c.payloadType, c.payload, sha256);
  return {
    signer: signer.leaf && identity ? { kind: 'certificate', identity, certificateDer: signer.leaf.der } : { kind: 'public-key', spkiDer: signer.key.spkiDer },
    verifiedTimes: times,
    tlogEntries: entries,
  };
}
