import type { Manifest } from '../oci/index.ts';

/**
 * What the scanner needs from the outside world: random-access reads of one file. The real
 * implementation (adapters/fs-walk) reads a file handle; tests pass bytes in memory.
 */

/** One file opened for random-access reads; never read whole unless small. */
export interface RandomAccessFile {
  readonly sizeBytes: number;
  /**
   * Reads `length` bytes at `offset`; resolves to fewer bytes only at end of file.
   * @throws ERR_SCAN_FILE_UNREADABLE when the read fails
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A manifest's identity as a HEAD (or GET) tells it. */
export interface ManifestRef {
  readonly digest: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
}

/** A referrer as the referrers index lists it. */
export interface ReferrerRef {
  readonly digest: string;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * What the registry scanner reads, over one registry. The adapter (adapters/registry-scan) speaks
 * the distribution-spec; tests may pass an in-memory one. Every method throws catalogue errors.
 */
export interface RegistrySource {
  /** Repository names of the catalog (paginated by the adapter). */
  listRepositories(): Promise<readonly string[]>;
  /** Every tag of a repository (paginated by the adapter). */
  listTags(repository: string): Promise<readonly string[]>;
  /** The bytes of a manifest by tag or digest (checked against a digest reference), their digest, and the bytes parsed. */
  getManifest(repository: string, reference: string): Promise<{ readonly bytes: Uint8Array; readonly mediaType: string; readonly digest: string; readonly manifest: Manifest }>;
  /**
   * Referrers of `digest`. `hasFallbackTag` says whether the `sha256-<hex>` tag is in the tag
   * list, so a registry without the referrers API is not asked for a tag that is not there.
   */
  listReferrers(repository: string, digest: string, hasFallbackTag: boolean): Promise<{ readonly referrers: readonly ReferrerRef[]; readonly source: 'api' | 'tag-schema' }>;
  /** A blob's bytes, at most `maxBytes`, checked against `digest`. */
  getBlob(repository: string, digest: string, maxBytes: number): Promise<Uint8Array>;
}
