/**
 * What a pushed manifest must satisfy beyond its own shape, and what it adds to the referrers
 * index (distribution-spec "Pushing Manifests" and "Pushing Manifests with Subject").
 */
import { InputError } from '../core/index.ts';
import { artifactTypeOf, parseManifest, referencedBlobs, referencedManifests, type Descriptor, type Manifest } from '../oci/index.ts';
import type { RegistryDeps } from './deps.ts';
import type { ReferrerLink, StoredManifest } from './ports.ts';

/**
 * Requires every blob of an image, and every child of an index, to be in repository `name`.
 * @throws ERR_OCI_MANIFEST_BLOB_UNKNOWN
 */
export async function checkReferences(deps: RegistryDeps, name: string, manifest: Manifest): Promise<void> {
  const blobs = referencedBlobs(manifest);
  const blobSizes = await Promise.all(blobs.map((d) => deps.blobs.stat(name, d.digest)));
  blobs.forEach((d, i) => {
    if (blobSizes[i] === undefined) throw new InputError('ERR_OCI_MANIFEST_BLOB_UNKNOWN', `blob ${d.digest} is not in repository ${name}`, { details: { digest: d.digest } });
  });
  const children = referencedManifests(manifest);
  const found = await Promise.all(children.map((d) => deps.manifests.get(name, d.digest)));
  children.forEach((d, i) => {
    if (found[i] === undefined) throw new InputError('ERR_OCI_MANIFEST_BLOB_UNKNOWN', `manifest ${d.digest} is not in repository ${name}`, { details: { digest: d.digest } });
  });
}

/** The referrers entry of a manifest with a subject, else undefined. */
export function referrerOf(manifest: Manifest, stored: StoredManifest): ReferrerLink | undefined {
  if (manifest.subject === undefined) return undefined;
  const artifactType = artifactTypeOf(manifest);
  const descriptor: Descriptor = {
    mediaType: stored.mediaType,
    digest: stored.digest,
    size: stored.bytes.byteLength,
    ...(artifactType !== undefined ? { artifactType } : {}),
    ...(manifest.annotations !== undefined ? { annotations: manifest.annotations } : {}),
  };
  return { subject: manifest.subject.digest, descriptor };
}

/** The subject digest of a stored manifest, if it parses and has one. */
export function subjectOf(stored: StoredManifest): string | undefined {
  try {
    return parseManifest(stored.bytes, stored.mediaType).subject?.digest;
  } catch {
    // a manifest stored before a validation rule tightened still has to be deletable
    return undefined;
  }
}
