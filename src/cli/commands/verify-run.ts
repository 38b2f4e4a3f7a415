/** The work of `sigil verify`, loaded only when the command runs. */
import { UsageError, decodeUtf8, defaultSignatureAlgorithm, parsePublicKeyPem } from '../../core/index.ts';
import { formatReference, parseReference } from '../../oci/index.ts';
import { verifyKeySignatures, type KeyPolicy } from '../../verify/cosign-signatures.ts';
import { findSignatures } from '../../adapters/signature-store/index.ts';
import { readKeyRef } from '../../adapters/key-ref.ts';
import type { CliIo } from '../io.ts';
import { createCliRegistryClient } from '../registry.ts';
import { resolveVerifierLogKeys } from '../rekor.ts';
import type { VerifyOptions } from './verify.ts';
import { hasIdentityFlags, identityPolicyOf } from './identity-flags.ts';

/** What `sigil verify --output json` prints. */
export interface VerifyResult {
  readonly reference: string;
  readonly digest: string;
  readonly checks: readonly string[];
  readonly verified: readonly { readonly source: string; readonly payload: unknown; readonly signature: string; readonly integratedTime?: number }[];
  readonly rejected: readonly { readonly source: string; readonly code: string; readonly message: string }[];
}

function checksPerformed(policy: KeyPolicy): string[] {
  return [
    ...(policy.checkClaims === false ? [] : ['The cosign claims were validated']),
    ...(policy.requireTlog ? ['Existence of the claims in the transparency log was verified offline'] : []),
    'The signatures were verified against the specified public key',
  ];
}

/**
 * Resolves the image, finds its signatures and verifies them with the key, or keylessly.
 * @throws ERR_USAGE, ERR_VERIFY_NO_SIGNATURES (10), ERR_OCI_MANIFEST_UNKNOWN (11), ERR_VERIFY_NO_MATCHING_SIGNATURE (12), ERR_VERIFY_CERTIFICATE_MISSING (13), registry, key and trust-root errors
 */
export async function runVerify(io: CliIo, image: string, opts: VerifyOptions): Promise<VerifyResult> {
  const ref = parseReference(image);
  if (opts.key !== undefined && hasIdentityFlags(opts)) throw new UsageError('ERR_USAGE', '--key cannot be combined with the --certificate-* identity flags');
  if (opts.key !== undefined && opts.certificate !== undefined) throw new UsageError('ERR_USAGE', 'give --key or --certificate, not both');
  if (opts.key !== undefined && [opts.caRoots, opts.caIntermediates, opts.certificateChain].some((f) => f !== undefined)) throw new UsageError('ERR_USAGE', '--ca-roots, --ca-intermediates and --certificate-chain are for keyless verification, not --key');
  if (opts.key === undefined) identityPolicyOf(opts); // cosign's usage errors before any network traffic
  const client = createCliRegistryClient(io, opts);
  // the key is read and parsed while the registry answers; its errors still come after the image's
  const key = opts.key === undefined ? undefined : readVerificationKey(opts.key, io);
  key?.catch(() => undefined);
  const head = await client.headManifest(ref, ref.identifier);
  // keyless verification's certificate, trust-root and timestamp code loads only when it runs
  if (key === undefined) return (await import('./verify-keyless-run.ts')).runVerifyKeyless(io, client, ref, head.digest, opts);
  const policy: KeyPolicy = {
    imageDigest: head.digest,
    publicKey: await key,
    annotations: opts.annotations,
    logKeys: await resolveVerifierLogKeys(io, opts),
    requireTlog: opts.insecureIgnoreTlog !== true,
    checkClaims: opts.verifyClaims !== false,
  };
  const found = await findSignatures(client, ref, head.digest);
  const result = verifyKeySignatures(found, policy);
  return {
    reference: formatReference(ref), digest: head.digest, checks: checksPerformed(policy),
    verified: result.verified.map((v) => ({ source: v.source, payload: JSON.parse(decodeUtf8(v.payloadBytes)) as unknown, signature: v.signatureBase64, ...(v.integratedTime === undefined ? {} : { integratedTime: v.integratedTime }) })),
    rejected: result.rejected.map((r) => ({ source: r.source, code: r.reason.code, message: r.reason.message })),
  };
}

/** The public key `ref` names, as the verifier takes it. */
async function readVerificationKey(ref: string, io: CliIo): Promise<KeyPolicy['publicKey']> {
  const publicKey = parsePublicKeyPem((await readKeyRef(ref, io)).text);
  return { spkiDer: publicKey.toSpkiDer(), algorithm: defaultSignatureAlgorithm(publicKey.type) };
}

/** cosign's text output: the checks on stderr, the JSON array of verified payloads on stdout. */
export function printVerifiedText(io: CliIo, result: VerifyResult, typed?: string): void {
  io.stderr.write(`\nVerification for ${typed ?? result.reference} --\nThe following checks were performed on each of these signatures:\n`);
  for (const check of result.checks) io.stderr.write(`  - ${check}\n`);
  io.stdout.write(`${JSON.stringify(result.verified.map((v) => v.payload))}\n`);
}
