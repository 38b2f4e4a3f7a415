/**
 * Writing cosign classic signatures. Appending to the `.sig` tag is a read-modify-write, and
 * registries have no compare-and-swap on tags, so two signers at the same moment can overwrite
 * each other (cosign loses one). sigil narrows the race to one round trip and then checks it:
 * - everything that can happen before the read does (the new payload blob is pushed first), so
 *   the read-modify-write holds only the tag read, the config blob and the manifest PUT;
 * - right before the PUT it reads the tag's digest again and starts over if the tag moved since
 *   its read: a concurrent sigil signer can then only overwrite it if that signer's own
 *   check-to-PUT (two round trips) overlapped ours;
 * - after the PUT it waits longer than twice its own check-to-PUT time (at least
 *   POST_WRITE_FLOOR_MS) and re-reads once: such an overwrite has landed by then, so if a layer
 *   it wrote is gone it merges again.
 */
import { ConflictError, sha256Digest, type Sleep } from '../../core/index.ts';
import {
  COSIGN_SIG_ARTIFACT_TYPE, appendSignatureLayer, buildSignatureImage, isSameSignatureLayer, signatureTag,
  type Descriptor, type SignatureImage, type SignatureLayer, type SignatureLayerEquivalence,
} from '../../oci/index.ts';
import { addToReferrersTagIndex, bytesBlobSource, type RegistryClient, type RepositoryRef } from '../registry-client/index.ts';
import { readTaggedSignatures, type TaggedSignatures } from './read.ts';

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
  /** the first read and the payload push, started earlier by startTaggedAppend */
  readonly started?: StartedAppend;
  /** the tag suffix: `sig` (default) or `att` for attestations */
  readonly suffix?: 'sig' | 'att';
  /** existing layers the new one replaces (`attest --replace`: the same predicate type); they are dropped */
  readonly replaces?: (existing: SignatureLayer) => boolean;
  /** the signature image config's `created` (cosign's --record-creation-timestamp) */
  readonly createdAt?: Date;
}

/** The parts of an append that need only the payload, already under way. */
export interface StartedAppend {
  readonly suffix: 'sig' | 'att';
  readonly payloadDigest: string;
  readonly read: Promise<TaggedSignatures>;
  readonly payloadPushed: Promise<unknown>;
}

/**
 * Starts what an append needs before the layer is complete (e.g. while its log entry is being
 * written): the payload blob push and the first read of the tag. Writes no manifest; if the
 * signing then fails the payload is an unreferenced blob. A stale first read is caught by the
 * check before the PUT like any other.
 */
export function startTaggedAppend(client: RegistryClient, repo: RepositoryRef, imageDigest: string, payload: Uint8Array, suffix: 'sig' | 'att' = 'sig'): StartedAppend {
  const payloadDigest = sha256Digest(payload);
  const started = {
    suffix,
    payloadDigest,
    read: readTaggedSignatures(client, repo, imageDigest, suffix),
    payloadPushed: client.pushBlob(repo, bytesBlobSource(payloadDigest, payload)),
  };
  // observed by appendTaggedSignature; a signing that fails before it must not crash on them
  started.read.catch(() => undefined);
  started.payloadPushed.catch(() => undefined);
  return started;
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

/** Pushes the config and payload blobs of a signature image at once (skipping blobs already there). */
export async function pushSignatureBlobs(client: RegistryClient, repo: RepositoryRef, image: SignatureImage): Promise<void> {
  const blobs: [string, Uint8Array][] = [[image.configDigest, image.config], ...image.blobs];
  await Promise.all(blobs.map(([digest, bytes]) => client.pushBlob(repo, bytesBlobSource(digest, bytes))));
}

function containsAll(have: readonly SignatureLayer[], want: readonly SignatureLayer[]): boolean {
  return want.every((w) => have.some((h) => isSameSignatureLayer(h, w)));
}

/** The least wait before the re-read after a PUT: covers scheduling delays of a signer on a busy machine. */
export const POST_WRITE_FLOOR_MS = 20;

/**
 * Appends `layer` under the image's `.sig` (or `.att`) tag, keeping every layer already there
 * (but those `deps.replaces` names).
 * @throws ERR_SIGNATURE_APPEND_CONFLICT when concurrent writers keep removing it; registry errors
 */
export async function appendTaggedSignature(client: RegistryClient, repo: RepositoryRef, imageDigest: string, layer: SignatureLayer, deps: AppendDeps): Promise<WrittenSignature> {
  const suffix = deps.suffix ?? 'sig';
  const tag = signatureTag(imageDigest, suffix);
  const attempts = deps.maxAttempts ?? 8;
  // the payload blob is ours alone: pushed while the tag is read, outside the race window
  const given = deps.started;
  const early = given?.suffix === suffix && given.payloadDigest === sha256Digest(layer.payload) ? given : startTaggedAppend(client, repo, imageDigest, layer.payload, suffix);
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const current = attempt === 1 ? await early.read : await readTaggedSignatures(client, repo, imageDigest, suffix);
    const replaces = deps.replaces;
    const kept = replaces ? current.layers.filter((l) => !replaces(l) || isSameSignatureLayer(l, layer)) : current.layers;
    const layers = appendSignatureLayer(kept, layer, deps.isEquivalent);
    if (layers === current.layers && current.manifestDigest) {
      return { location: tag, manifestDigest: current.manifestDigest, layerCount: layers.length, alreadyPresent: true };
    }
    const image = buildSignatureImage(layers, deps.createdAt ? { created: deps.createdAt } : {});
    // the other layers' blobs are there: their payloads were just read from this repository
    await Promise.all([early.payloadPushed, client.pushBlob(repo, bytesBlobSource(image.configDigest, image.config))]);
    const started = deps.monotonicMs();
    if ((await client.findManifest(repo, tag))?.digest === current.manifestDigest) {
      await client.putManifest(repo, tag, image.manifest, image.mediaType);
      const windowMs = deps.monotonicMs() - started;
      if (await survives(client, repo, { imageDigest, suffix, manifestDigest: image.manifestDigest }, layers, windowMs, deps)) {
        return { location: tag, manifestDigest: image.manifestDigest, layerCount: layers.length, alreadyPresent: false };
      }
    }
    await deps.sleep(Math.round(deps.jitter() * 20 * attempt));
  }
  throw new ConflictError('ERR_SIGNATURE_APPEND_CONFLICT', `concurrent signers kept overwriting ${tag}; gave up after ${attempts} attempts`);
}

/**
 * Re-reads the tag once, after more than twice the check-to-PUT window (any concurrent
 * overwrite has landed by then); false when a layer we wrote is gone.
 */
async function survives(
  client: RegistryClient, repo: RepositoryRef, written: { imageDigest: string; suffix: 'sig' | 'att'; manifestDigest: string },
  layers: readonly SignatureLayer[], windowMs: number, deps: AppendDeps,
): Promise<boolean> {
  await deps.sleep(Math.round(Math.max(POST_WRITE_FLOOR_MS, 2 * windowMs) + deps.jitter() * 10));
  const now = await client.findManifest(repo, signatureTag(written.imageDigest, written.suffix));
  if (now?.digest === written.manifestDigest) return true;
  // someone wrote after us: fine if they kept our layers (they merged on top of our manifest)
  return containsAll((await readTaggedSignatures(client, repo, written.imageDigest, written.suffix)).layers, layers);
}

/**
 * Writes the signature as an OCI 1.1 referrer of the image (`--registry-referrers-mode oci-1-1`):
 * a new manifest per signature, pushed by digest, so nothing is ever rewritten.
 */
export async function writeReferrerSignature(client: RegistryClient, repo: RepositoryRef, subject: Descriptor, layer: SignatureLayer, createdAt?: Date): Promise<WrittenSignature> {
  const image = buildSignatureImage([layer], { subject, ...(createdAt ? { created: createdAt } : {}) });
  await pushSignatureBlobs(client, repo, image);
  await client.putManifest(repo, image.manifestDigest, image.manifest, image.mediaType);
  const descriptor: Descriptor = { mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifest.byteLength, artifactType: COSIGN_SIG_ARTIFACT_TYPE };
  await addToReferrersTagIndex(client, repo, subject.digest, [descriptor]);
  return { location: image.manifestDigest, manifestDigest: image.manifestDigest, layerCount: 1, alreadyPresent: false };
}
