/** The work of `sigil verify-attestation`, loaded only when the command runs. */
import { NotFoundError, UsageError, VerificationError, decodeUtf8, defaultSignatureAlgorithm, isAppError, parsePublicKeyPem } from '../../core/index.ts';
import { formatReference, parsePredicateType, parseReference } from '../../oci/index.ts';
import { verifyAttestationCandidate, type AttestationPolicy, type VerifiedAttestation } from '../../verify/attestation.ts';
import type { RejectedSignature } from '../../verify/cosign-signatures.ts';
import { findAttestations } from '../../adapters/signature-store/index.ts';
import { readKeyRef } from '../../adapters/key-ref.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient } from '../registry.ts';
import { resolveVerifierLogKeys } from '../rekor.ts';
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

async function policyOf(io: CliIo, opts: VerifyAttestationOptions, imageDigest: string): Promise<AttestationPolicy> {
  const requireTlog = opts.insecureIgnoreTlog !== true;
  if (opts.key !== undefined) {
    const publicKey = parsePublicKeyPem((await readKeyRef(opts.key, io)).text);
    return {
      imageDigest, requireTlog, logKeys: await resolveVerifierLogKeys(io, opts),
      key: { spkiDer: publicKey.toSpkiDer(), algorithm: defaultSignatureAlgorithm(publicKey.type) },
    };
  }
  const { identities, github } = identityPolicyOf(opts);
  const { resolveTrustedRoot } = await import('../trust-root.ts');
  const trustedRoot = await resolveTrustedRoot(io, opts.trustedRoot);
  return {
    imageDigest, requireTlog, logKeys: [],
    keyless: { identities, trustedRoot, ignoreSct: opts.insecureIgnoreSct === true, clock: () => new Date(), ...(github ? { github } : {}) },
  };
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
  const policy = await policyOf(io, opts, head.digest);
  const found = await findAttestations(client, ref, head.digest);
  if (found.length === 0) throw new NotFoundError('ERR_VERIFY_NO_ATTESTATIONS', 'no attestations found');
  const verified: VerifiedAttestation[] = [];
  const rejected: RejectedSignature[] = [];
  for (const candidate of found) {
    try {
      verified.push(verifyAttestationCandidate(candidate, policy));
    } catch (error) {
      if (!isAppError(error)) throw error;
      rejected.push({ source: candidate.source, reason: error });
    }
  }
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
