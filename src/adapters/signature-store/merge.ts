/**
 * Merging one image's `.sig` (or `.att`) layers from a source repository into the destination's
 * tag of the same name: the destination's layers first, in order, then every source layer not
 * already there. The manifest is rebuilt the way cosign builds it.
 */
import { DOCKER_MANIFEST, appendSignatureLayer, buildSignatureImage, signatureTag, type SignatureTagSuffix } from '../../oci/index.ts';
import type { RegistryClient, RepositoryRef } from '../registry-client/index.ts';
import { readTaggedSignatures } from './read.ts';
import { pushSignatureBlobs } from './write.ts';

/**
 * Merges the source's layers into the destination's tag; returns the destination manifest's digest.
 * @throws registry errors, ERR_SIGNATURE_MANIFEST_INVALID
 */
export async function mergeTaggedLayers(client: RegistryClient, source: RepositoryRef, destination: RepositoryRef, subject: string, suffix: Exclude<SignatureTagSuffix, 'sbom'>): Promise<string> {
  const [from, to] = await Promise.all([
    readTaggedSignatures(client, source, subject, suffix), readTaggedSignatures(client, destination, subject, suffix),
  ]);
  const layers = from.layers.reduce((acc, layer) => appendSignatureLayer(acc, layer), to.layers);
  if (layers === to.layers && to.manifestDigest !== undefined) return to.manifestDigest;
  const tag = signatureTag(subject, suffix);
  const current = await client.getManifest(destination, tag);
  const image = buildSignatureImage(layers, { dockerMediaTypes: current.mediaType === DOCKER_MANIFEST });
  await pushSignatureBlobs(client, destination, image);
  await client.putManifest(destination, tag, image.manifest, image.mediaType);
  return image.manifestDigest;
}
