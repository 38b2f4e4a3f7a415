/**
 * The registry client: one object over an injected fetch, credential source, clock and sleep,
 * speaking the OCI distribution-spec to any registry.
 */
import { createAuthenticator } from './auth.ts';
import { getBlob, hasBlob, type BlobTarget } from './blobs.ts';
import { listCatalog, listReferrers, listTags, type ReferrersResult } from './listing.ts';
import { deleteManifest, findManifest, getManifest, hasManifest, headManifest, putManifest } from './manifests.ts';
import type { RepositoryRef } from './scopes.ts';
import { createTransport } from './transport.ts';
import { pushBlob, type BlobSource, type PushBlobOptions } from './upload.ts';
import type { BlobPushResult, BlobStream, FetchedManifest, ManifestHead, RegistryClientDeps } from './types.ts';

/** Registry operations; `identifier` is a tag or a digest. */
export interface RegistryClient {
  /** GETs a manifest's exact bytes, media type and digest. @throws ERR_OCI_MANIFEST_UNKNOWN, ERR_OCI_DIGEST_MISMATCH */
  getManifest(repo: RepositoryRef, identifier: string): Promise<FetchedManifest>;
  /** GETs a manifest as getManifest does; undefined when the registry answers 404. @throws ERR_OCI_DIGEST_MISMATCH */
  findManifest(repo: RepositoryRef, identifier: string): Promise<FetchedManifest | undefined>;
  /** HEADs a manifest for its digest, media type and size. @throws ERR_OCI_MANIFEST_UNKNOWN */
  headManifest(repo: RepositoryRef, identifier: string): Promise<ManifestHead>;
  /** True when the manifest exists. */
  hasManifest(repo: RepositoryRef, identifier: string): Promise<boolean>;
  /** PUTs manifest bytes unchanged; returns their digest. @throws ERR_OCI_MANIFEST_BLOB_UNKNOWN, ERR_OCI_MANIFEST_INVALID */
  putManifest(repo: RepositoryRef, identifier: string, bytes: Uint8Array, mediaType: string): Promise<string>;
  /** DELETEs a manifest by digest. @throws ERR_OCI_MANIFEST_UNKNOWN, ERR_OCI_UNSUPPORTED */
  deleteManifest(repo: RepositoryRef, digest: string): Promise<void>;
  /** True when the repository has the blob. */
  hasBlob(repo: RepositoryRef, digest: string): Promise<boolean>;
  /** GETs a blob as a stream verified while read. @throws ERR_OCI_BLOB_UNKNOWN; the iterator throws ERR_OCI_DIGEST_MISMATCH */
  getBlob(repo: RepositoryRef, blob: BlobTarget): Promise<BlobStream>;
  /** Pushes a blob unless present, mounting when asked. @throws ERR_OCI_DIGEST_MISMATCH from the source */
  pushBlob(repo: RepositoryRef, blob: BlobSource, options?: PushBlobOptions): Promise<BlobPushResult>;
  /** Every tag of a repository, fetched `pageSize` at a time when given. @throws ERR_OCI_NAME_UNKNOWN */
  listTags(repo: RepositoryRef, pageSize?: number): Promise<string[]>;
  /** Every repository of a registry, fetched `pageSize` at a time when given. */
  listCatalog(registry: string, pageSize?: number): Promise<string[]>;
  /** Referrers of `digest` via the OCI 1.1 API, else the `sha256-<hex>` tag schema. */
  listReferrers(repo: RepositoryRef, digest: string, artifactType?: string): Promise<ReferrersResult>;
}

/** Creates a registry client; each client has its own auth, token and scheme caches. */
export function createRegistryClient(deps: RegistryClientDeps): RegistryClient {
  const send = createTransport(deps, createAuthenticator(deps));
  return {
    getManifest: (repo, identifier) => getManifest(send, repo, identifier),
    findManifest: (repo, identifier) => findManifest(send, repo, identifier),
    headManifest: (repo, identifier) => headManifest(send, repo, identifier),
    hasManifest: (repo, identifier) => hasManifest(send, repo, identifier),
    putManifest: (repo, identifier, bytes, mediaType) => putManifest(send, repo, identifier, bytes, mediaType),
    deleteManifest: (repo, digest) => deleteManifest(send, repo, digest),
    hasBlob: (repo, digest) => hasBlob(send, repo, digest),
    getBlob: (repo, blob) => getBlob(send, repo, blob, deps.timeoutMs),
    pushBlob: (repo, blob, options) => pushBlob(send, deps, repo, blob, options),
    listTags: (repo, pageSize) => listTags(send, repo, pageSize),
    listCatalog: (registry, pageSize) => listCatalog(send, registry, pageSize),
    listReferrers: (repo, digest, artifactType) => listReferrers(send, repo, digest, artifactType),
  };
}

/** A BlobSource over bytes already in memory (small blobs, configs, signatures). */
export function bytesBlobSource(digest: string, bytes: Uint8Array): BlobSource {
  return {
    digest, size: bytes.byteLength,
    open: async () => (async function* one() { yield bytes; })(),
  };
}
