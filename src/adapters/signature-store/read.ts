/**
 * Reading cosign classic signatures of an image from a registry: the `sha256-<hex>.sig` tag and
 * OCI 1.1 referrers of the cosign signature artifact type. A registry error is an error, never
 * "no signatures": only a 404 of the signature tag means there is none there.
 */
import { InputError, concatBytes, isAppError, type AppError } from '../../core/index.ts';
import {
  COSIGN_SIG_ARTIFACT_TYPE, parseSignatureManifest, signatureTag, type SignatureLayer, type SignatureLayerRef, type SignatureTagSuffix,
} from '../../oci/index.ts';
import type { RegistryClient, RepositoryRef } from '../registry-client/index.ts';

/** cosign's reader limit on one payload blob (COSIGN_MAX_ATTACHMENT_SIZE default). */
export const MAX_PAYLOAD_BYTES = 128 * 1024 * 1024;

/** A signature layer as found, with its payload or the error fetching it. */
export interface FoundSignature {
  readonly source: string;
  readonly layer: SignatureLayerRef;
  readonly payload: Uint8Array | AppError;
}

/** The signature manifest under the tag, if any. */
export interface TaggedSignatures {
  /** digest of the `.sig` manifest, for conditional updates; undefined when the tag does not exist */
  readonly manifestDigest: string | undefined;
  readonly layers: readonly SignatureLayer[];
}

/** Reads one payload blob, refusing more than MAX_PAYLOAD_BYTES. */
export async function readPayload(client: RegistryClient, repo: RepositoryRef, ref: SignatureLayerRef): Promise<Uint8Array> {
  if (ref.descriptor.size > MAX_PAYLOAD_BYTES) {
    throw new InputError('ERR_SIGNATURE_MANIFEST_INVALID', `size of layer (${ref.descriptor.size}) exceeded the limit (${MAX_PAYLOAD_BYTES})`);
  }
  const blob = await client.getBlob(repo, { digest: ref.descriptor.digest, size: ref.descriptor.size });
  const chunks: Uint8Array[] = [];
  for await (const chunk of blob.body) chunks.push(chunk);
  return concatBytes(chunks);
}

async function tryPayload(client: RegistryClient, repo: RepositoryRef, ref: SignatureLayerRef): Promise<Uint8Array | AppError> {
  try {
    return await readPayload(client, repo, ref);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
}

/**
 * The layers under `sha256-<hex>.sig` (or `.att`, `.sbom`), with payloads; empty when the tag does not exist.
 * @throws registry errors other than a 404 of the tag
 */
export async function readTaggedSignatures(client: RegistryClient, repo: RepositoryRef, imageDigest: string, suffix: SignatureTagSuffix = 'sig'): Promise<TaggedSignatures> {
  const tag = signatureTag(imageDigest, suffix);
  const manifest = await client.findManifest(repo, tag);
  if (!manifest) return { manifestDigest: undefined, layers: [] };
  const refs = parseSignatureManifest(manifest.bytes, manifest.mediaType);
  // the payloads at once: a signer reads them inside its read-modify-write window
  const layers: SignatureLayer[] = await Promise.all(refs.map(async (ref) => (
    { mediaType: ref.descriptor.mediaType, payload: await readPayload(client, repo, ref), annotations: ref.annotations })));
  return { manifestDigest: manifest.digest, layers };
}

/**
 * Every signature layer of the image: under the `.sig` tag and in cosign signature referrers.
 * Payloads that cannot be fetched are kept as errors so the verifier reports them per layer.
 * @throws registry errors (auth, network, malformed signature manifests)
 */
export async function findSignatures(client: RegistryClient, repo: RepositoryRef, imageDigest: string): Promise<readonly FoundSignature[]> {
  const found: FoundSignature[] = [];
  const tag = signatureTag(imageDigest);
  const manifests: { source: string; bytes: Uint8Array; mediaType: string }[] = [];
  // both lookups at once, one round trip less; a failure of the tag's is reported first, as when they ran in turn
  const [taggedResult, referrersResult] = await Promise.allSettled([
    client.findManifest(repo, tag), client.listReferrers(repo, imageDigest, COSIGN_SIG_ARTIFACT_TYPE),
  ]);
  if (taggedResult.status === 'rejected') throw taggedResult.reason;
  if (referrersResult.status === 'rejected') throw referrersResult.reason;
  const tagged = taggedResult.value;
  const referrers = referrersResult.value;
  if (tagged) manifests.push({ source: `tag ${tag}`, bytes: tagged.bytes, mediaType: tagged.mediaType });
  for (const d of referrers.manifests.filter((x) => x.artifactType === COSIGN_SIG_ARTIFACT_TYPE)) {
    const m = await client.getManifest(repo, d.digest);
    manifests.push({ source: `referrer ${d.digest}`, bytes: m.bytes, mediaType: m.mediaType });
  }
  for (const m of manifests) {
    const refs = parseSignatureManifest(m.bytes, m.mediaType);
    for (const [i, ref] of refs.entries()) {
      found.push({ source: `${m.source} layer ${i}`, layer: ref, payload: await tryPayload(client, repo, ref) });
    }
  }
  return found;
}
