/**
 * Reading an image's Sigstore bundle referrers as cosign's GetBundles does: list every referrer,
 * keep manifests with exactly one layer whose media type starts with
 * `application/vnd.dev.sigstore.bundle`, and fetch that layer. A blob that cannot be fetched is
 * kept as an error so the verifier reports it per bundle.
 */
import { isAppError, type AppError } from '../../core/index.ts';
import { parseManifest } from '../../oci/index.ts';
import type { RegistryClient, RepositoryRef } from '../registry-client/index.ts';
import { readPayload } from './read.ts';

/** The media type prefix of Sigstore bundles. */
export const SIGSTORE_BUNDLE_MEDIA_PREFIX = 'application/vnd.dev.sigstore.bundle';

/** One bundle referrer: where it was found and its bytes (or the fetch error). */
export interface FoundBundle {
  readonly source: string;
  readonly bundle: Uint8Array | AppError;
}

/**
 * Every Sigstore bundle attached to the image as a referrer.
 * @throws registry errors (auth, network) of the listing and manifest fetches
 */
export async function findBundleReferrers(client: RegistryClient, repo: RepositoryRef, imageDigest: string): Promise<readonly FoundBundle[]> {
  const listed = await client.listReferrers(repo, imageDigest);
  const found: FoundBundle[] = [];
  for (const d of listed.manifests) {
    if (d.artifactType !== undefined && !d.artifactType.startsWith(SIGSTORE_BUNDLE_MEDIA_PREFIX)) continue;
    const fetched = await client.getManifest(repo, d.digest);
    let layer;
    try {
      const manifest = parseManifest(fetched.bytes, fetched.mediaType);
      if (manifest.kind !== 'image' || manifest.layers.length !== 1) continue;
      layer = manifest.layers[0];
    } catch (error) {
      if (isAppError(error)) continue;
      throw error;
    }
    if (!layer?.mediaType.startsWith(SIGSTORE_BUNDLE_MEDIA_PREFIX)) continue;
    const source = `referrer ${d.digest}`;
    try {
      found.push({ source, bundle: await readPayload(client, repo, { descriptor: layer, annotations: layer.annotations ?? {} }) });
    } catch (error) {
      if (!isAppError(error)) throw error;
      found.push({ source, bundle: error });
    }
  }
  return found;
}
