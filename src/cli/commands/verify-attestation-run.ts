/** The work of `sigil verify-attestation`, loaded only when the command runs. */
import { NotFoundError, UsageError, VerificationError, decodeUtf8, defaultSignatureAlgorithm, isAppError, parsePublicKeyPem } from '../../core/index.ts';
import { formatReference, parsePredicateType, parseReference } from '../../oci/index.ts';
import { verifyAttestationCandidate, type AttestationPolicy, type VerifiedAttestation } from '../../verify/attestation.ts';
import type { RejectedSignature } from '../../verify/cosign-signatures.ts';
import { logKeysOf } from '../../verify/cosign-keyless.ts';
import { verifyBundleAttestation, type BundleAttestationPolicy } from '../../verify/attestation-bundle.ts';
import { findAttestations, findBundleReferrers } from '../../adapters/signature-store/index.ts';
import { readKeyRef } from '../../adapters/key-ref.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient } from '../registry.ts';
import { loadLogKeysFromFiles, resolveVerifierLogKeys } from '../rekor.ts';
import { hasIdentityFlags, identityPolicyOf } from './identity-flags.ts';
import type { VerifyAttestationOptions } from './verify-attestation.ts';

/** What `sigil verify-attestation --output json` prints. */
export interface VerifyAttestationResult {
  readonly reference: string;
  readonly digest: string;
  readonly predicateType: string;
  readonly checks: readonly string[];
  readonly verified: readonly {
    readonly source: string; readonly predicateType: string; readonly envelope: unknown; readonly statement: unknown;
    readonly integratedTime?: number; readonly subject?: string; readonly issuer?: string;
  }[];
  readonly rejected: readonly { readonly source: string; readonly code: string; readonly message: string }[];
}

function checksOf(opts: VerifyAttestationOptions): string[] {
  return [
    'The cosign claims were validated',
    ...(opts.insecureIgnoreTlog === true ? [] : ['Existence of the claims in the transparency log was verified offline']),
    opts.key !== undefined ? 'The signatures were verified against the specified public key' : 'The code-signing certificate was verified using trusted certificate authority certificates',
  ];
}

interface Policies {
  readonly layers: AttestationPolicy;
  /** for bundle referrers: keyless, or a key with --trusted-root (as cosign needs a trust root for bundles) */
  readonly bundles?: BundleAttestationPolicy;
}

async function policiesOf(io: CliIo, opts: VerifyAttestationOptions, imageDigest: string): Promise<Policies> {
  const requireTlog = opts.insecureIgnoreTlog !== true;
  const clock = (): Date => new Date();
  const ignoreSct = opts.insecureIgnoreSct === true;
  // the trust-root code loads only when a trust root is used
  const trustRoot = async (path: string | undefined) => (await import('../trust-root.ts')).resolveTrustedRoot(io, path);
  if (opts.key !== undefined) {
    const publicKey = parsePublicKeyPem((await readKeyRef(opts.key, io)).text);
    const spkiDer = publicKey.toSpkiDer();
    const key = { spkiDer, algorithm: defaultSignatureAlgorithm(publicKey.type) };
    if (opts.trustedRoot === undefined) return { layers: { imageDigest, requireTlog, logKeys: await resolveVerifierLogKeys(io, opts), key } };
    // with a trust root, its logs are trusted too (as cosign does), beside SIGSTORE_REKOR_PUBLIC_KEY
    const trustedRoot = await trustRoot(opts.trustedRoot);
    const logKeys = [...await loadLogKeysFromFiles(io), ...logKeysOf(trustedRoot)];
    return { layers: { imageDigest, requireTlog, logKeys, key }, bundles: { imageDigest, trustedRoot, verification: { kind: 'public-key', spkiDer }, ignoreSct, clock } };
  }
  const { identities, github } = identityPolicyOf(opts);
  const trustedRoot = await trustRoot(opts.trustedRoot);
  const gh = github ? { github } : {};
  return {
    layers: { imageDigest, requireTlog, logKeys: [], keyless: { identities, trustedRoot, ignoreSct, clock, ...gh } },
    bundles: { imageDigest, trustedRoot, verification: { kind: 'identity', identities }, ignoreSct, clock, ...gh },
  };
}

/** Runs `verifyOne` on each candidate, keeping what passed and each reason for what did not. */
function verifyAll<T extends { readonly source: string }>(candidates: readonly T[], verifyOne: (c: T) => VerifiedAttestation, verified: VerifiedAttestation[], rejected: RejectedSignature[]): void {
  for (const candidate of candidates) {
    try {
      verified.push(verifyOne(candidate));
    } catch (error) {
      if (!isAppError(error)) throw error;
      rejected.push({ source: candidate.source, reason: error });
    }
  }
}

function failure(code: 'ERR_VERIFY_NO_MATCHING_ATTESTATION', rejected: readonly RejectedSignature[]): VerificationError {
  const reasons = rejected.map((r) => `${r.reason.message} (${r.reason.code}, ${r.source})`);
  return new VerificationError(code, `no matching attestations: ${reasons.join('\n ')}`, {
    details: { rejected: rejected.map((r) => ({ source: r.source, code: r.reason.code, message: r.reason.message })) },
  });
}

/**
 * Resolves the image, finds its attestations, verifies each and keeps those of `--type`.
 * @throws ERR_USAGE, ERR_ATTEST_PREDICATE_TYPE_INVALID, ERR_OCI_MANIFEST_UNKNOWN (11), ERR_VERIFY_NO_ATTESTATIONS (10),
 *   ERR_VERIFY_NO_MATCHING_ATTESTATION and ERR_VERIFY_PREDICATE_TYPE (12), registry, key and trust-root errors
 */
export async function runVerifyAttestation(io: CliIo, image: string, opts: VerifyAttestationOptions): Promise<VerifyAttestationResult> {
  const ref = parseReference(image);
  if (opts.key !== undefined && hasIdentityFlags(opts)) throw new UsageError('ERR_USAGE', '--key cannot be combined with the --certificate-* identity flags');
  if (opts.key === undefined) identityPolicyOf(opts); // cosign's usage errors before any network traffic
  const predicateType = parsePredicateType(opts.type);
  const client = createCliRegistryClient(io, opts);
  const head = await client.headManifest(ref, ref.identifier);
  const policies = await policiesOf(io, opts, head.digest);
  const found = await findAttestations(client, ref, head.digest);
  const bundles = policies.bundles ? await findBundleReferrers(client, ref, head.digest) : [];
  if (found.length === 0 && bundles.length === 0) throw new NotFoundError('ERR_VERIFY_NO_ATTESTATIONS', 'no attestations found');
  const verified: VerifiedAttestation[] = [];
  const rejected: RejectedSignature[] = [];
  verifyAll(found, (c) => verifyAttestationCandidate(c, policies.layers), verified, rejected);
  const bundlePolicy = policies.bundles;
  if (bundlePolicy) verifyAll(bundles, (c) => verifyBundleAttestation(c, bundlePolicy), verified, rejected);
  if (verified.length === 0) throw failure('ERR_VERIFY_NO_MATCHING_ATTESTATION', rejected);
  const matching = verified.filter((v) => v.predicateType === predicateType);
  if (matching.length === 0) {
    throw new VerificationError('ERR_VERIFY_PREDICATE_TYPE', `none of the attestations matched the predicate type: ${opts.type}, found: ${[...new Set(verified.map((v) => v.predicateType))].join(',')}`);
  }
  return {
    reference: formatReference(ref), digest: head.digest, predicateType, checks: checksOf(opts),
    verified: matching.map((v) => ({
      source: v.source, predicateType: v.predicateType, envelope: JSON.parse(decodeUtf8(v.envelope)) as unknown, statement: v.statement,
      ...(v.integratedTime === undefined ? {} : { integratedTime: v.integratedTime }),
      ...(v.certificate ? { subject: v.certificate.identity.subjects[0] ?? '', issuer: v.certificate.identity.issuer } : {}),
    })),
    rejected: rejected.map((r) => ({ source: r.source, code: r.reason.code, message: r.reason.message })),
  };
}

/** cosign's text output: the checks on stderr, then each verified envelope as one JSON line on stdout. */
export function printAttestationText(io: CliIo, result: VerifyAttestationResult, typed?: string): void {
  io.stderr.write(`\nVerification for ${typed ?? result.reference} --\nThe following checks were performed on each of these signatures:\n`);
  for (const check of result.checks) io.stderr.write(`  - ${check}\n`);
  for (const v of result.verified) io.stdout.write(`${JSON.stringify(v.envelope)}\n`);
}
