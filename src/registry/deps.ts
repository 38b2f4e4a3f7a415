/**
 * Everything the registry routes are built from, passed in once by the composition root.
 */
import type { Clock, Random } from '../core/index.ts';
import type {
  Authenticate, BlobStore, ListRepositories, ManifestStore, TagStore, UploadContent, UploadSessions,
} from './ports.ts';

/** Dependencies of the registry. */
export interface RegistryDeps {
  readonly blobs: BlobStore;
  readonly sessions: UploadSessions;
  readonly content: UploadContent;
  readonly manifests: ManifestStore;
  readonly tags: TagStore;
  readonly listRepositories: ListRepositories;
  readonly clock: Clock;
  readonly random: Random;
  /** when set, every /v2 request must pass it (htpasswd basic auth) */
  readonly authenticate?: Authenticate;
  /** most bytes of manifests kept in memory (default 64 MiB) */
  readonly cacheBytes?: number;
}
