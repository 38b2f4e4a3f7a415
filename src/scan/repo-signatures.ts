/**
 * Finding every signature of one manifest: cosign's `.sig`/`.att` tags (only when the tag list
 * has them: no request for an unsigned image) and the referrers (API, or the tag schema when the
 * list has its tag), each classified and, with a trust policy, verified.
 */
import { parseDigest } from '../core/index.ts';
import {
  COSIGN_SIG_ARTIFACT_TYPE, referrersTag, signatureLayersOf, signatureTag,
  type ImageManifest, type SignatureLayerRef,
} from '../oci/index.ts';
import type { ManifestRef, ReferrerRef, RegistrySource } from './ports.ts';
import { toProblem, type Problem } from './report.ts';
import { describeBundle, isSigstoreBundleType, verifyBundleSignature } from './repo-bundle.ts';
import { describeCosignLayer, verifyCosignLayer } from './repo-cosign.ts';
import { NOTARY_ARTIFACT_TYPE, describeNotary, describeNotaryFailure, isNotarySignatureManifest, readNotaryEnvelope } from './repo-notary.ts';
import { judgeNotary } from './notary-policy-verify.ts';
import type { RepoSignature, RepoSignatureSource } from './repo-report.ts';
import type { RepoTrust } from './repo-trust.ts';

/** Signature blobs (payloads, envelopes, bundles) larger than this are refused. */
export const MAX_SIGNATURE_BLOB_BYTES = 4 * 1024 * 1024;

/** What the finder needs besides the source. */
export interface FindContext {
  readonly source: RegistrySource;
  readonly repository: string;
  /** every tag of the repository, to know which attachment tags exist */
  readonly tags: ReadonlySet<string>;
  readonly trust: RepoTrust | null;
}

/** The signatures of one manifest and the failures met finding them. */
export interface FoundSignatures {
  readonly signatures: readonly RepoSignature[];
  readonly problems: readonly Problem[];
}

async function cosignLayers(ctx: FindContext, layers: readonly SignatureLayerRef[], source: RepoSignatureSource, manifestDigest: string, subject: ManifestRef): Promise<RepoSignature[]> {
  return Promise.all(layers.map(async (layer) => {
    const described = describeCosignLayer(layer, source, manifestDigest);
    if (!ctx.trust || described.status === 'failed') return described;
    let payload: Uint8Array;
    try { payload = await ctx.source.getBlob(ctx.repository, layer.descriptor.digest, MAX_SIGNATURE_BLOB_BYTES); } catch (error) {
      return { ...described, status: 'failed' as const, problems: [toProblem(error)] };
    }
    return verifyCosignLayer(described, layer, payload, subject.digest, ctx.trust);
  }));
}

async function fromCosignTag(ctx: FindContext, subject: ManifestRef, suffix: 'sig' | 'att'): Promise<RepoSignature[]> {
  const tag = signatureTag(subject.digest, suffix);
  if (!ctx.tags.has(tag)) return [];
  const fetched = await ctx.source.getManifest(ctx.repository, tag);
  return cosignLayers(ctx, signatureLayersOf(fetched.manifest), 'tag', fetched.digest, subject);
}

async function fromNotary(ctx: FindContext, manifest: ImageManifest, source: RepoSignatureSource, digest: string, subject: ManifestRef): Promise<RepoSignature[]> {
  if (!isNotarySignatureManifest(manifest)) return [];
  let envelope;
  try {
    const layer = manifest.layers[0];
    const bytes = layer ? await ctx.source.getBlob(ctx.repository, layer.digest, MAX_SIGNATURE_BLOB_BYTES) : new Uint8Array(0);
    envelope = readNotaryEnvelope(manifest, bytes);
  } catch (error) { return [describeNotaryFailure(manifest, source, digest, error)]; }
  const described = describeNotary(manifest, envelope, source, digest);
  return [ctx.trust ? judgeNotary(described, envelope, subject, ctx.trust, ctx.repository) : described];
}

async function fromBundle(ctx: FindContext, manifest: ImageManifest, source: RepoSignatureSource, digest: string, subject: ManifestRef): Promise<RepoSignature[]> {
  const layer = manifest.layers[0];
  if (!layer) return [];
  const bytes = await ctx.source.getBlob(ctx.repository, layer.digest, MAX_SIGNATURE_BLOB_BYTES);
  const { signature, bundle } = describeBundle(bytes, source, digest);
  return [ctx.trust && bundle ? verifyBundleSignature(signature, bundle, subject.digest, ctx.trust) : signature];
}

/** True when a referrer of this artifact type may be a signature (others, e.g. SBOMs, are not fetched). */
function isSignatureType(artifactType: string | undefined): boolean {
  return artifactType === undefined || artifactType === NOTARY_ARTIFACT_TYPE || artifactType === COSIGN_SIG_ARTIFACT_TYPE
    || isSigstoreBundleType(artifactType) || artifactType.startsWith('application/vnd.dev.cosign');
}

async function fromReferrer(ctx: FindContext, referrer: ReferrerRef, source: RepoSignatureSource, subject: ManifestRef): Promise<RepoSignature[]> {
  if (!isSignatureType(referrer.artifactType)) return [];
  const fetched = await ctx.source.getManifest(ctx.repository, referrer.digest);
  const manifest = fetched.manifest.kind === 'image' ? fetched.manifest : null;
  if (!manifest) return [];
  const type = manifest.artifactType ?? manifest.config.mediaType;
  if (type === NOTARY_ARTIFACT_TYPE) return fromNotary(ctx, manifest, source, referrer.digest, subject);
  if (isSigstoreBundleType(type)) return fromBundle(ctx, manifest, source, referrer.digest, subject);
  if (type.startsWith('application/vnd.dev.cosign')) return cosignLayers(ctx, signatureLayersOf(manifest), source, referrer.digest, subject);
  return [];
}

type Outcome = { readonly signatures: readonly RepoSignature[] } | { readonly problem: Problem };

async function settle(task: () => Promise<readonly RepoSignature[]>): Promise<Outcome> {
  try { return { signatures: await task() }; } catch (error) { return { problem: toProblem(error) }; }
}

async function fromReferrers(ctx: FindContext, subject: ManifestRef): Promise<Outcome[]> {
  let listed;
  try {
    listed = await ctx.source.listReferrers(ctx.repository, subject.digest, ctx.tags.has(referrersTag(subject.digest)));
  } catch (error) { return [{ problem: toProblem(error) }]; }
  const source: RepoSignatureSource = listed.source === 'api' ? 'referrers-api' : 'referrers-tag-schema';
  return Promise.all(listed.referrers.map((r) => settle(() => fromReferrer(ctx, r, source, subject))));
}

/**
 * Finds (and, with a trust policy, verifies) every signature of `subject`; failures are returned,
 * never thrown. The `.sig` tag, the `.att` tag and the referrers are read at the same time (a
 * scan at concurrency 1 is bound by round trips); results keep that fixed order.
 */
export async function findRepoSignatures(ctx: FindContext, subject: ManifestRef): Promise<FoundSignatures> {
  parseDigest(subject.digest);
  const [sig, att, referrers] = await Promise.all([
    settle(() => fromCosignTag(ctx, subject, 'sig')), settle(() => fromCosignTag(ctx, subject, 'att')), fromReferrers(ctx, subject),
  ]);
  const outcomes = [sig, att, ...referrers];
  return {
    signatures: outcomes.flatMap((o) => ('signatures' in o ? o.signatures : [])),
    problems: outcomes.flatMap((o) => ('problem' in o ? [o.problem] : [])),
  };
}
