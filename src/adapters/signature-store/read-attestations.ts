/**
 * Reading cosign's legacy attestations of an image: the layers of the `sha256-<hex>.att` tag, each
 * a DSSE envelope. Only a 404 of the tag means there are none; any other registry error is an
 * error. A payload that cannot be fetched is kept as that layer's error for the verifier to report.
 */
import { isAppError } from '../../core/index.ts';
import { parseSignatureManifest, signatureTag } from '../../oci/index.ts';
import type { RegistryClient, RepositoryRef } from '../registry-client/index.ts';
import { readPayload, type FoundSignature } from './read.ts';

/**
 * Every layer under the image's `.att` tag, with its payload (or the error fetching it).
 * @throws registry errors other than a 404 of the tag; ERR_SIGNATURE_MANIFEST_INVALID for a manifest that is not a signature image
 */
export async function findAttestations(client: RegistryClient, repo: RepositoryRef, imageDigest: string): Promise<readonly FoundSignature[]> {
  const tag = signatureTag(imageDigest, 'att');
  const manifest = await client.findManifest(repo, tag);
  if (!manifest) return [];
  const refs = parseSignatureManifest(manifest.bytes, manifest.mediaType);
  const found: FoundSignature[] = [];
  for (const [i, ref] of refs.entries()) {
    let payload;
    try {
      payload = await readPayload(client, repo, ref);
    } catch (error) {
      if (!isAppError(error)) throw error;
      payload = error;
    }
    found.push({ source: `tag ${tag} layer ${i}`, layer: ref, payload });
  }
  return found;
}
