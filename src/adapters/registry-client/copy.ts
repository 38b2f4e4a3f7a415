/**
 * Copying an image or a whole index between repositories or registries: manifests byte for byte
 * (so every digest is preserved), children before the index that names them, blobs streamed
 * (mounted on the same registry, skipped when present), a few at a time.
 */
import { InputError } from '../../core/index.ts';
import {
  parseManifest, referencedBlobs, referencedManifests, selectPlatform,
  type Descriptor, type PlatformSpec, type Reference,
} from '../../oci/index.ts';
import type { RegistryClient } from './client.ts';
import type { RepositoryRef } from './scopes.ts';
import type { FetchedManifest } from './types.ts';

/** Options of one copy. */
export interface CopyOptions {
  /** copy only this platform's manifest out of an index */
  readonly platform?: PlatformSpec;
  /** blobs copied at once (default 4) */
  readonly concurrency?: number;
  /** called as a blob's bytes go out */
  readonly onBlobProgress?: (blob: Descriptor, sentBytes: number) => void;
}

/** What a copy did. */
export interface CopyResult {
  readonly digest: string;
  readonly mediaType: string;
  /** manifests written (an index counts with its children) */
  readonly manifests: number;
  readonly blobs: { readonly copied: number; readonly skipped: number; readonly mounted: number };
  /** blob bytes uploaded */
  readonly bytes: number;
}

interface Tally { manifests: number; copied: number; skipped: number; mounted: number; bytes: number; seen: Set<string> }

/**
 * Copies `source` to `destination` (a tag, or a digest that must match what is copied).
 * @throws ERR_OCI_MANIFEST_UNKNOWN, ERR_OCI_PLATFORM_NOT_FOUND, ERR_OCI_DIGEST_MISMATCH, ERR_INPUT_INVALID, registry errors
 */
export async function copyImage(client: RegistryClient, source: Reference, destination: Reference, options: CopyOptions = {}): Promise<CopyResult> {
  let root = await client.getManifest(source, source.identifier);
  if (options.platform) {
    const manifest = parseManifest(root.bytes, root.mediaType);
    if (manifest.kind === 'index') root = await client.getManifest(source, selectPlatform(manifest.manifests, options.platform).digest);
  }
  if (destination.digest !== undefined && destination.digest !== root.digest) {
    throw new InputError('ERR_INPUT_INVALID', `destination digest ${destination.digest} differs from the copied manifest ${root.digest}`);
  }
  const tally: Tally = { manifests: 0, copied: 0, skipped: 0, mounted: 0, bytes: 0, seen: new Set() };
  await copyTree(client, source, destination, root, tally, options);
  await client.putManifest(destination, destination.tag ?? root.digest, root.bytes, root.mediaType);
  tally.manifests += 1;
  return {
    digest: root.digest, mediaType: root.mediaType, manifests: tally.manifests,
    blobs: { copied: tally.copied, skipped: tally.skipped, mounted: tally.mounted }, bytes: tally.bytes,
  };
}

/** Copies what `manifest` references (children first, recursively), but not `manifest` itself. */
async function copyTree(client: RegistryClient, source: RepositoryRef, destination: RepositoryRef, manifest: FetchedManifest, tally: Tally, options: CopyOptions): Promise<void> {
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  for (const child of referencedManifests(parsed)) {
    if (tally.seen.has(child.digest)) continue;
    tally.seen.add(child.digest);
    if (await client.hasManifest(destination, child.digest)) continue;
    const fetched = await client.getManifest(source, child.digest);
    await copyTree(client, source, destination, fetched, tally, options);
    await client.putManifest(destination, child.digest, fetched.bytes, fetched.mediaType);
    tally.manifests += 1;
  }
  const blobs = referencedBlobs(parsed).filter((b) => !tally.seen.has(b.digest));
  for (const b of blobs) tally.seen.add(b.digest);
  await runPool(blobs, options.concurrency ?? 4, (blob) => copyBlob(client, source, destination, blob, tally, options));
}

async function copyBlob(client: RegistryClient, source: RepositoryRef, destination: RepositoryRef, blob: Descriptor, tally: Tally, options: CopyOptions): Promise<void> {
  const sameRegistry = source.registry === destination.registry && source.repository !== destination.repository;
  const result = await client.pushBlob(destination, {
    digest: blob.digest, size: blob.size,
    open: async () => (await client.getBlob(source, { digest: blob.digest, size: blob.size })).body,
  }, {
    ...(sameRegistry ? { mountFrom: source } : {}),
    ...(options.onBlobProgress ? { onProgress: (n: number) => options.onBlobProgress?.(blob, n) } : {}),
  });
  if (result === 'uploaded') { tally.copied += 1; tally.bytes += blob.size; }
  else if (result === 'mounted') tally.mounted += 1;
  else tally.skipped += 1;
}

/** Runs `work` over `items` with at most `concurrency` in flight; the first failure rejects. */
async function runPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
