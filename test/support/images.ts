// Builds small test images and indexes and pushes them with the client under test.
import { randomBytes } from 'node:crypto';
import { bytesBlobSource, type RegistryClient, type RepositoryRef } from '../../src/adapters/registry-client/index.ts';
import { encodeUtf8, sha256Digest } from '../../src/core/index.ts';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_TAR_GZIP, OCI_MANIFEST } from '../../src/oci/index.ts';

/** A built blob. */
export interface TestBlob { readonly digest: string; readonly bytes: Uint8Array; readonly mediaType: string }
/** A built image: its blobs and exact manifest bytes. */
export interface TestImage { readonly blobs: readonly TestBlob[]; readonly manifest: Uint8Array; readonly digest: string; readonly mediaType: string }
/** A built index with its child images. */
export interface TestIndex { readonly children: readonly TestImage[]; readonly manifest: Uint8Array; readonly digest: string; readonly mediaType: string }

function blob(bytes: Uint8Array, mediaType: string): TestBlob {
  return { digest: sha256Digest(bytes), bytes, mediaType };
}

const descriptor = (b: TestBlob) => ({ mediaType: b.mediaType, digest: b.digest, size: b.bytes.byteLength });

/** An OCI image with random layers of the given sizes. */
export function buildImage(layerSizes: readonly number[] = [1024, 2048], platform = { os: 'linux', architecture: 'amd64' }): TestImage {
  const layers = layerSizes.map((n) => blob(new Uint8Array(randomBytes(n)), OCI_LAYER_TAR_GZIP));
  const config = blob(encodeUtf8(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) }, config: {} })), OCI_CONFIG);
  // deliberately unusual formatting: a copy must keep these exact bytes
  const manifest = encodeUtf8(`{"schemaVersion": 2,\n  "mediaType": "${OCI_MANIFEST}", "config": ${JSON.stringify(descriptor(config))},\n  "layers": ${JSON.stringify(layers.map(descriptor))}}\n`);
  return { blobs: [config, ...layers], manifest, digest: sha256Digest(manifest), mediaType: OCI_MANIFEST };
}

/** An OCI index over one image per platform. */
export function buildIndex(platforms: readonly { os: string; architecture: string; variant?: string }[]): TestIndex {
  const children = platforms.map((p) => buildImage([512 + Math.floor(Math.random() * 512)], p));
  const manifests = children.map((c, i) => ({ mediaType: c.mediaType, digest: c.digest, size: c.manifest.byteLength, platform: platforms[i] }));
  const manifest = encodeUtf8(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }, null, 3));
  return { children, manifest, digest: sha256Digest(manifest), mediaType: OCI_INDEX };
}

/** Pushes an image's blobs and manifest under `tag` (or its digest). */
export async function pushImage(client: RegistryClient, repo: RepositoryRef, image: TestImage, tag?: string): Promise<void> {
  for (const b of image.blobs) await client.pushBlob(repo, bytesBlobSource(b.digest, b.bytes));
  await client.putManifest(repo, tag ?? image.digest, image.manifest, image.mediaType);
}

/** Pushes an index's children, then the index under `tag`. */
export async function pushIndex(client: RegistryClient, repo: RepositoryRef, index: TestIndex, tag: string): Promise<void> {
  for (const child of index.children) await pushImage(client, repo, child);
  await client.putManifest(repo, tag, index.manifest, index.mediaType);
}
