/**
 * Keeping the OCI 1.1 referrers tag schema up to date: a registry without the referrers API
 * does not index a manifest's `subject`, so the distribution-spec asks the client that pushes
 * a referrer to merge its descriptor into the `sha256-<hex>` index itself.
 */
import { encodeUtf8 } from '../../core/index.ts';
import { OCI_INDEX, referrersTag, type Descriptor } from '../../oci/index.ts';
import type { RegistryClient } from './client.ts';
import type { RepositoryRef } from './scopes.ts';

/**
 * Adds `descriptors` (referrers of `subjectDigest` already pushed) to the tag-schema index of
 * `repo` when the registry has no referrers API; nothing to do when it has one or all are listed.
 * @returns how many descriptors were added to the index
 * @throws registry errors
 */
export async function addToReferrersTagIndex(client: RegistryClient, repo: RepositoryRef, subjectDigest: string, descriptors: readonly Descriptor[]): Promise<number> {
  const listed = await client.listReferrers(repo, subjectDigest);
  if (listed.source === 'api') return 0;
  const missing = descriptors.filter((d, i) => !listed.manifests.some((m) => m.digest === d.digest) && descriptors.findIndex((x) => x.digest === d.digest) === i);
  if (missing.length === 0) return 0;
  const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...listed.manifests, ...missing] };
  await client.putManifest(repo, referrersTag(subjectDigest), encodeUtf8(JSON.stringify(index)), OCI_INDEX);
  return missing.length;
}
