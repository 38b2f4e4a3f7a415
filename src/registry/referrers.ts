/**
 * The referrers API (distribution-spec 1.1 "Listing Referrers"): an image index of the
 * manifests whose `subject` is a digest, optionally filtered by `artifactType`.
 */
import { OCI_INDEX, type Descriptor } from '../oci/index.ts';
import { manifestKey, type CachedReferrers, type ManifestCache } from './manifest-cache.ts';
import type { ManifestStore } from './ports.ts';
import { digestParam, headersWith, nameOf } from './request.ts';
import type { RegistryRequest, RegistryResponse } from './types.ts';

function toListing(descriptors: readonly Descriptor[]): CachedReferrers {
  const sorted = [...descriptors].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  return { descriptors: sorted, body: JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: sorted }) };
}

/** The referrers of `subject`, from the cache or read from storage (and then cached unless a write raced the read). */
async function loadReferrers(manifests: ManifestStore, cache: ManifestCache, name: string, subject: string): Promise<CachedReferrers> {
  const key = manifestKey(name, subject);
  const hit = cache.referrers.get(key);
  if (hit !== undefined) return hit;
  const writes = cache.writes;
  const listing = toListing(await manifests.listReferrers(name, subject));
  if (cache.writes === writes) cache.referrers.set(key, listing);
  return listing;
}

/**
 * GET the referrers of a digest; an unknown subject (or repository) gives an empty index.
 * @throws ERR_OCI_NAME_INVALID, ERR_OCI_DIGEST_INVALID
 */
export async function listReferrers(manifests: ManifestStore, cache: ManifestCache, req: RegistryRequest): Promise<RegistryResponse> {
  const name = nameOf(req);
  const subject = digestParam(req, 'digest');
  const artifactType = req.query.get('artifactType');
  const listing = await loadReferrers(manifests, cache, name, subject);
  if (artifactType === null || artifactType === '') {
    return { status: 200, headers: headersWith({ 'content-type': OCI_INDEX }), body: listing.body };
  }
  const filtered = listing.descriptors.filter((d) => d.artifactType === artifactType);
  const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: filtered });
  return { status: 200, headers: headersWith({ 'content-type': OCI_INDEX, 'oci-filters-applied': 'artifactType' }), body };
}
