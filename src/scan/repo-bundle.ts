/**
 * Sigstore bundles attached as referrers (artifactType `application/vnd.dev.sigstore.bundle…`,
 * one layer holding the bundle JSON, as cosign's new bundle format stores them): the signer from
 * the verification material, the log's integrated time, and, with a trusted root, the whole
 * bundle verified for the image digest.
 */
import { decodeHex, parseDigest, verifySignature } from '../core/index.ts';
import { parseBundle, type Bundle } from '../bundle/index.ts';
import { createMatcher, parseCertificate, verifyBundle, type VerificationPolicy } from '../verify/index.ts';
import { encodePae, verifyStatementSubject } from '../verify/dsse.ts';
import { toProblem, type Problem } from './report.ts';
import { describeCertificate } from './repo-cosign.ts';
import { createSigner, type RepoSignature, type RepoSignatureSource } from './repo-report.ts';
import type { BundleVerifier } from './ports.ts';
import type { RepoTrust, TrustedKey } from './repo-trust.ts';

/** True for the artifact types of Sigstore bundles (v0.1 to v0.3). */
export function isSigstoreBundleType(artifactType: string | undefined): boolean {
  return artifactType !== undefined && artifactType.startsWith('application/vnd.dev.sigstore.bundle');
}

function leafDer(bundle: Bundle): Uint8Array | undefined {
  const s = bundle.verificationMaterial.signer;
  if (s.kind === 'certificate') return s.certificate;
  if (s.kind === 'x509-chain') return s.certificates[0];
  return undefined;
}

/** Parses bundle bytes and describes the signature; a bundle that does not parse is a failed row. */
export function describeBundle(bytes: Uint8Array, source: RepoSignatureSource, manifestDigest: string): { signature: RepoSignature; bundle: Bundle | null } {
  const base: RepoSignature = {
    kind: 'sigstore-bundle', envelope: 'bundle', source, manifestDigest, signer: createSigner('unknown'),
    signingTime: null, signingTimeSource: null, certificate: null, status: 'not-checked', problems: [],
  };
  let bundle: Bundle;
  try { bundle = parseBundle(bytes); } catch (error) { return { signature: { ...base, status: 'failed', problems: [toProblem(error)] }, bundle: null }; }
  const problems: Problem[] = [];
  let signer = createSigner('key');
  let certificate: RepoSignature['certificate'] = null;
  const der = leafDer(bundle);
  if (der) {
    try { ({ signer, validity: certificate } = describeCertificate(parseCertificate(der))); } catch (error) { problems.push(toProblem(error)); }
  }
  const integrated = bundle.verificationMaterial.tlogEntries.map((e) => Number(e.integratedTime)).find((t) => t > 0);
  const signingTime = integrated === undefined ? null : new Date(integrated * 1000).toISOString();
  return {
    signature: { ...base, signer, certificate, signingTime, signingTimeSource: signingTime ? 'tlog' : null, status: problems.length > 0 ? 'failed' : 'not-checked', problems },
    bundle,
  };
}

/**
 * Verifies a bundle (parsed, and its JSON `bytes`) for the image `digest` with the trusted root (any
 * identity; keys from --key), through `verifier` when given, else in this thread; never rejects.
 */
export async function verifyBundleSignature(sig: RepoSignature, bundle: Bundle, bytes: Uint8Array, digest: string, trust: RepoTrust, verifier?: BundleVerifier): Promise<RepoSignature> {
  if (sig.status === 'failed') return sig;
  if (!trust.trustedRoot) {
    if (sig.signer.type !== 'key' || bundle.content.kind !== 'dsse' || trust.keys.length === 0) {
      return { ...sig, status: 'failed', problems: [{ code: 'ERR_SCAN_UNVERIFIABLE', message: 'a sigstore bundle needs --trusted-root (a key-signed dsse bundle: --key)' }] };
    }
    return verifyDsseWithKeys(sig, bundle.content, digest, trust.keys);
  }
  const artifact = { kind: 'digest' as const, algorithm: 'sha256' as const, digest: decodeHex(parseDigest(digest).hex) };
  const any = { subject: createMatcher('regexp', '.*'), issuer: createMatcher('regexp', '.*') };
  const policies: { policy: VerificationPolicy; fingerprint: string | null }[] = sig.signer.type === 'certificate'
    ? [{ policy: { kind: 'identity', identities: [any] }, fingerprint: null }]
    : trust.keys.map((k) => ({ policy: { kind: 'public-key', spkiDer: k.spkiDer }, fingerprint: k.fingerprint }));
  if (policies.length === 0) return { ...sig, status: 'failed', problems: [{ code: 'ERR_SCAN_UNVERIFIABLE', message: 'a key-signed sigstore bundle needs --key' }] };
  let last: unknown;
  for (const { policy, fingerprint } of policies) {
    try {
      const options = { trustedRoot: trust.trustedRoot, policy, clock: () => trust.now };
      const result = verifier ? await verifier({ bundle: bytes, artifact }, options) : verifyBundle(bundle, artifact, options);
      const time = result.verifiedTimes[0]?.time;
      return {
        ...sig, status: 'verified', signer: fingerprint === null ? sig.signer : { ...sig.signer, keyFingerprint: fingerprint },
        ...(time ? { signingTime: time.toISOString(), signingTimeSource: 'tlog' as const } : {}),
      };
    } catch (error) { last = error; }
  }
  return { ...sig, status: 'failed', problems: [toProblem(last)] };
}

/**
 * Without a trusted root, a key-signed DSSE bundle is checked as cosign's --insecure-ignore-tlog
 * would: the envelope signature with one of the keys, and the statement subject = the image.
 */
function verifyDsseWithKeys(sig: RepoSignature, content: Extract<Bundle['content'], { kind: 'dsse' }>, digest: string, keys: readonly TrustedKey[]): RepoSignature {
  let last: unknown;
  for (const key of keys) {
    try {
      const signature = content.signatures[0]?.sig ?? new Uint8Array(0);
      verifySignature(key.algorithm, key.spkiDer, encodePae(content.payloadType, content.payload), signature, [key.algorithm]);
      verifyStatementSubject(content.payloadType, content.payload, decodeHex(parseDigest(digest).hex));
      return { ...sig, status: 'verified', signer: { ...sig.signer, keyFingerprint: key.fingerprint } };
    } catch (error) { last = error; }
  }
  return { ...sig, status: 'failed', problems: [toProblem(last)] };
}
