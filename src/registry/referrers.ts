/**
 * The referrers API (distribution-spec 1.1 "Listing Referrers"): an image index of the
 * manifests whose `subject` is a digest, optionally filtered by `artifactType`.
 */
import { OCI_INDEX } from '../oci/index.ts';
import type { ManifestStore } from './ports.ts';
import { digestParam, headersWith, nameOf } from './request.ts';
import type { RegistryRequest, RegistryResponse } from './types.ts';

/**
 * GET the referrers of a digest; an unknown subject (or repository) gives an empty index.
 * @throws ERR_OCI_NAME_INVALID, ERR_OCI_DIGEST_INVALID
 */
export async function listReferrers(manifests: ManifestStore, req: RegistryRequest): Promise<RegistryResponse> {
  const name = nameOf(req);
  const subject = digestParam(req, 'digest');
  const artifactType = req.query.get('artifactType');
  let descriptors = await manifests.listReferrers(name, subject);
  const headers: Record<string, string> = { 'content-type': OCI_INDEX };
  if (artifactType !== null && artifactType !== '') {
    descriptors = descriptors.filter((d) => d.artifactType === artifactType);
    headers['oci-filters-applied'] = 'artifactType';
  }
  const sorted = [...descriptors].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: sorted });
  return { status: 200, headers: headersWith(headers), body };
}
