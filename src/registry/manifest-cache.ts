/**
 * Memory caches in front of manifest storage: tag -> digest, manifest bytes with their
 * ready-made response headers, and each subject's referrers listing. Every write through the
 * registry invalidates what it changes; sigil owns its data directory (a lock keeps gc and other
 * servers out), so nothing else does.
 */
import type { Descriptor } from '../oci/index.ts';
import type { StoredManifest } from './ports.ts';
import { createLru, type Lru } from './lru.ts';
import { headersWith } from './request.ts';

/** A cached manifest and the headers it is served with. */
export interface CachedManifest {
  readonly manifest: StoredManifest;
  readonly headers: Readonly<Record<string, string>>;
}

/** A subject's referrers, sorted by digest, and the unfiltered listing body made from them. */
export interface CachedReferrers {
  readonly descriptors: readonly Descriptor[];
  readonly body: string;
}

/**
 * The manifest caches. A reader fills an entry only when no write happened since it began
 * (`writes` unchanged), so a slow read can never put a stale value back after a write.
 */
export interface ManifestCache {
  readonly tags: Lru<string>;
  readonly manifests: Lru<CachedManifest>;
  /** by manifestKey(name, subject): a put or delete of a manifest with that subject drops it */
  readonly referrers: Lru<CachedReferrers>;
  /** counts completed writes; bump it, then drop the keys a write changed */
  writes: number;
}

/** Creates the caches; manifests weigh their byte size, referrers listings a quarter of `maxBytes` at most. */
export function createManifestCache(maxBytes: number): ManifestCache {
  return {
    tags: createLru<string>({ maxEntries: 65_536 }),
    manifests: createLru<CachedManifest>({ maxEntries: 16_384, maxWeight: maxBytes, weigh: (m) => m.manifest.bytes.byteLength + 512 }),
    // an empty listing (most subjects) weighs its ~80-byte body plus the entry's overhead
    referrers: createLru<CachedReferrers>({ maxEntries: 65_536, maxWeight: maxBytes / 4, weigh: (r) => 2 * r.body.length + 256 }),
    writes: 0,
  };
}

/** The cache key of a tag. */
export function tagKey(name: string, tag: string): string {
  return `${name}:${tag}`;
}

/** The cache key of a manifest. */
export function manifestKey(name: string, digest: string): string {
  return `${name}@${digest}`;
}

/** Wraps a stored manifest with its response headers. */
export function toCachedManifest(manifest: StoredManifest): CachedManifest {
  return {
    manifest,
    headers: headersWith({
      'content-type': manifest.mediaType,
      'content-length': String(manifest.bytes.byteLength),
      'docker-content-digest': manifest.digest,
      etag: `"${manifest.digest}"`,
    }),
  };
}
