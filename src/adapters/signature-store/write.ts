/**
 * Writing cosign classic signatures. Appending to the `.sig` tag is a read-modify-write, and
 * registries have no compare-and-swap on tags, so two signers at the same moment can overwrite
 * each other (cosign loses one). sigil re-reads the tag after writing, twice, each time after
 * waiting longer than its own read-to-write took; if any layer it wrote is gone, it merges
 * again. Another signer's overwrite lands within its own read-to-write time of its read, so it
 * is seen and repaired.
 */
import { ConflictError, type Sleep } from '../../core/index.ts';
import {
  COSIGN_SIG_ARTIFACT_TYPE, appendSignatureLayer, buildSignatureImage, isSameSignatureLayer, signatureTag,
  type Descriptor, type SignatureImage, type SignatureLayer, type SignatureLayerEquivalence,
} from '../../oci/index.ts';
import { addToReferrersTagIndex, bytesBlobSource, type RegistryClient, type RepositoryRef } from '../registry-client/index.ts';
import { readTaggedSignatures } from './read.ts';

/** What the append loop needs besides the client. */
export interface AppendDeps {
  readonly sleep: Sleep;
  /** a number in [0, 1) */
  readonly jitter: () => number;
  /** milliseconds since some origin, for measuring the read-to-write time */
  readonly monotonicMs: () => number;
  readonly maxAttempts?: number;
  /** when an existing layer makes the new one redundant (cosign: same claims, signed by the same key) */
  readonly isEquivalent?: SignatureLayerEquivalence;
  /** the tag suffix: `sig` (default) or `att` for attestations */
  readonly suffix?: 'sig' | 'att';
  /** existing layers the new one replaces (`attest --replace`: the same predicate type); they are dropped */
  readonly replaces?: (existing: SignatureLayer) => boolean;
}

/** The outcome of writing a signature. */
export interface WrittenSignature {
  /** where it went: `sha256-<hex>.sig` or the referrer manifest digest */
  readonly location: string;
  readonly manifestDigest: string;
  /** layers the signature manifest holds now */
  readonly layerCount: number;
  /** true when an identical layer was already there */
  readonly alreadyPresent: boolean;
}

/** Pushes the config and payload blobs of a signature image (skipping blobs already there). */
export async function pushSignatureBlobs(client: RegistryClient, repo: RepositoryRef, image: SignatureImage): Promise<void> {
  await client.pushBlob(repo, bytesBlobSource(image.configDigest, image.config));
  for (const [digest, bytes] of image.blobs) await client.pushBlob(repo, bytesBlobSource(digest, bytes));
}

function containsAll(have: readonly SignatureLayer[], want: readonly SignatureLayer[]): boolean {
  return want.every((w) => have.some((h) => isSameSignatureLayer(h, w)));
}

/**
 * Appends `layer` under the image's `.sig` (or `.att`) tag, keeping every layer already there
 * (but those `deps.replaces` names).
 * @throws ERR_SIGNATURE_APPEND_CONFLICT when concurrent writers keep removing it; registry errors
 */
export async function appendTaggedSignature(client: RegistryClient, repo: RepositoryRef, imageDigest: string, layer: SignatureLayer, deps: AppendDeps): Promise<WrittenSignature> {
  const suffix = deps.suffix ?? 'sig';
  const tag = signatureTag(imageDigest, suffix);
  const attempts = deps.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const started = deps.monotonicMs();
    const current = await readTaggedSignatures(client, repo, imageDigest, suffix);
    const replaces = deps.replaces;
    const kept = replaces ? current.layers.filter((l) => !replaces(l) || isSameSignatureLayer(l, layer)) : current.layers;
    const layers = appendSignatureLayer(kept, layer, deps.isEquivalent);
    if (layers === current.layers && current.manifestDigest) {
      return { location: tag, manifestDigest: current.manifestDigest, layerCount: layers.length, alreadyPresent: true };
    }
    const image = buildSignatureImage(layers);
    await pushSignatureBlobs(client, repo, image);
    await client.putManifest(repo, tag, image.manifest, image.mediaType);
    const writeMs = deps.monotonicMs() - started;
    if (await survives(client, repo, imageDigest, layers, writeMs, deps, suffix)) {
      return { location: tag, manifestDigest: image.manifestDigest, layerCount: layers.length, alreadyPresent: false };
    }
    await deps.sleep(Math.round(deps.jitter() * 50 * attempt));
  }
  throw new ConflictError('ERR_SIGNATURE_APPEND_CONFLICT', `concurrent signers kept overwriting ${tag}; gave up after ${attempts} attempts`);
}

/** Re-reads the tag twice, each after more than the write took; false when a layer we wrote is gone. */
async function survives(client: RegistryClient, repo: RepositoryRef, imageDigest: string, layers: readonly SignatureLayer[], writeMs: number, deps: AppendDeps, suffix: 'sig' | 'att'): Promise<boolean> {
  for (const factor of [1, 2]) {
    await deps.sleep(Math.round(writeMs * factor + 20 + deps.jitter() * 30));
    const now = await readTaggedSignatures(client, repo, imageDigest, suffix);
    if (!containsAll(now.layers, layers)) return false;
  }
  return true;
}

/**
 * Writes the signature as an OCI 1.1 referrer of the image (`--registry-referrers-mode oci-1-1`):
 * a new manifest per signature, pushed by digest, so nothing is ever rewritten.
 */
export async function writeReferrerSignature(client: RegistryClient, repo: RepositoryRef, subject: Descriptor, layer: SignatureLayer): Promise<WrittenSignature> {
  const image = buildSignatureImage([layer], { subject });
  await pushSignatureBlobs(client, repo, image);
  await client.putManifest(repo, image.manifestDigest, image.manifest, image.mediaType);
  const descriptor: Descriptor = { mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifest.byteLength, artifactType: COSIGN_SIG_ARTIFACT_TYPE };
  await addToReferrersTagIndex(client, repo, subject.digest, [descriptor]);
  return { location: image.manifestDigest, manifestDigest: image.manifestDigest, layerCount: 1, alreadyPresent: false };
}
