/**
 * Writing a Sigstore bundle as an OCI 1.1 referrer (`--new-bundle-format`): blobs, then the
 * manifest by digest, then (for registries without the referrers API) the tag-schema index.
 * Nothing is rewritten, so concurrent signers cannot lose each other's bundles.
 */
import { OCI_EMPTY_DIGEST, buildBundleReferrer, type BundleReferrerInput } from '../../oci/index.ts';
import { addToReferrersTagIndex, bytesBlobSource, type RegistryClient, type RepositoryRef } from '../registry-client/index.ts';
import type { WrittenSignature } from './write.ts';

/**
 * Pushes the bundle referrer of `input.subject` into `repo`.
 * @throws registry errors
 */
export async function writeBundleReferrer(client: RegistryClient, repo: RepositoryRef, input: BundleReferrerInput): Promise<WrittenSignature> {
  const referrer = buildBundleReferrer(input);
  await client.pushBlob(repo, bytesBlobSource(OCI_EMPTY_DIGEST, referrer.config));
  await client.pushBlob(repo, bytesBlobSource(referrer.bundleDigest, input.bundle));
  await client.putManifest(repo, referrer.manifestDigest, referrer.manifest, referrer.descriptor.mediaType);
  await addToReferrersTagIndex(client, repo, input.subject.digest, [referrer.descriptor]);
  return { location: referrer.manifestDigest, manifestDigest: referrer.manifestDigest, layerCount: 1, alreadyPresent: false };
}
