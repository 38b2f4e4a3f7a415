/**
 * What the registry needs from storage and auth, as small interfaces; adapters/fs implements them.
 * Digests and names reaching a port are already validated (parseDigest, parseRepositoryName).
 */
import type { Descriptor } from '../oci/index.ts';

/** An inclusive byte range of a blob. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Content-addressed blobs, linked per repository. */
export interface BlobStore {
  /** The size of blob `digest` when it is linked into repository `name`, else undefined. */
  stat(name: string, digest: string): Promise<number | undefined>;
  /** Streams a stored blob (all of it, or `range`); a chunk is valid until the next is requested. */
  open(digest: string, range?: ByteRange): AsyncIterable<Uint8Array>;
  /** Links an already stored blob into `name`; false when the blob is not stored at all. */
  link(name: string, digest: string): Promise<boolean>;
  /** Removes the link of `digest` from `name`; false when there was none. */
  unlink(name: string, digest: string): Promise<boolean>;
}

/** One resumable upload session. */
export interface UploadSession {
  readonly id: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly createdAt: Date;
}

/** Upload sessions: their lifecycle. */
export interface UploadSessions {
  /** Starts an empty session (persisted, so it survives restarts). */
  create(name: string, id: string, createdAt: Date): Promise<UploadSession>;
  /** The session `id` of repository `name`, else undefined. */
  get(name: string, id: string): Promise<UploadSession | undefined>;
  /** Removes a session and its data; false when there was none. */
  delete(name: string, id: string): Promise<boolean>;
}

/** Upload sessions: their bytes. */
export interface UploadContent {
  /**
   * Appends `chunks` to the session data; resolves to the new size. With `chunksOwned` the chunks
   * are handed over: each may be freed (its ArrayBuffer detached) once written, so the caller
   * must not use a chunk after the iterable yielded it.
   */
  append(name: string, id: string, chunks: AsyncIterable<Uint8Array>, chunksOwned?: boolean): Promise<number>;
  /** Streams the session data written so far. */
  read(name: string, id: string): AsyncIterable<Uint8Array>;
  /**
   * Makes the session data the blob `digest` (durably, atomically), links it into `name` and
   * ends the session. Requires the caller to have checked the data hashes to `digest`.
   */
  commit(name: string, id: string, digest: string): Promise<void>;
}

/** A manifest as stored. */
export interface StoredManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
}

/** A referrer recorded with a manifest that has a `subject`. */
export interface ReferrerLink {
  readonly subject: string;
  readonly descriptor: Descriptor;
}

/** Manifests, content-addressed and linked per repository, with their referrers index. */
export interface ManifestStore {
  /** Manifest `digest` of repository `name`, else undefined. */
  get(name: string, digest: string): Promise<StoredManifest | undefined>;
  /** Stores a validated manifest (and its referrer link) in `name`. */
  put(name: string, manifest: StoredManifest, referrer?: ReferrerLink): Promise<void>;
  /** Unlinks manifest `digest` from `name` (and from the referrers of `subject`); false when absent. */
  delete(name: string, digest: string, subject?: string): Promise<boolean>;
  /** Descriptors of the manifests of `name` whose subject is `subject`. */
  listReferrers(name: string, subject: string): Promise<readonly Descriptor[]>;
}

/** Tags of each repository. */
export interface TagStore {
  /** The digest tag `tag` of `name` points at, else undefined. */
  resolve(name: string, tag: string): Promise<string | undefined>;
  /** Points `tag` at `digest` (atomically). */
  set(name: string, tag: string, digest: string): Promise<void>;
  /** Removes a tag; false when there was none. */
  delete(name: string, tag: string): Promise<boolean>;
  /** Every tag of `name`, sorted; undefined when the repository does not exist. */
  list(name: string): Promise<readonly string[] | undefined>;
}

/** Lists every repository with at least one manifest, sorted (for `_catalog`). */
export type ListRepositories = () => Promise<readonly string[]>;

/** Every storage port the registry routes use, as one storage backend provides them. */
export interface RegistryStorage {
  readonly blobs: BlobStore;
  readonly sessions: UploadSessions;
  readonly content: UploadContent;
  readonly manifests: ManifestStore;
  readonly tags: TagStore;
  readonly listRepositories: ListRepositories;
}

/** Checks an `Authorization` header; true when access is allowed. */
export type Authenticate = (authorization: string | undefined) => Promise<boolean>;

/** What garbage collection reads. */
export interface GcSource {
  listRepositories: ListRepositories;
  /** Digests of every manifest revision linked into `name`. */
  listRevisions(name: string): Promise<readonly string[]>;
  /** Bytes of a stored blob, else undefined. */
  readBlob(digest: string): Promise<Uint8Array | undefined>;
}

/** A stored blob as garbage collection sees it. */
export interface StoredBlob {
  readonly digest: string;
  readonly sizeBytes: number;
}

/** What garbage collection deletes. */
export interface GcSink {
  listBlobs(): Promise<readonly StoredBlob[]>;
  /** Deletes a blob and every repository link to it. */
  deleteBlob(digest: string): Promise<void>;
  listUploads(): Promise<readonly UploadSession[]>;
  deleteUpload(session: UploadSession): Promise<void>;
}
