/**
 * The registry client's dependencies, credentials and results.
 */
import type { Clock, Sleep } from '../../core/index.ts';
import type { Manifest, RetryPolicy } from '../../oci/index.ts';
import type { HttpFetch } from '../http-clients/fetch.ts';

/** Credentials for one registry, as Docker's config.json or a credential helper gives them. */
export interface Credential {
  readonly username?: string;
  readonly password?: string;
  /** an OAuth2 refresh token for the registry's token endpoint (`identitytoken`) */
  readonly identityToken?: string;
  /** a bearer token sent as is (`registrytoken`) */
  readonly registryToken?: string;
}

/** Looks up credentials for a registry host (`docker.io`, `localhost:5000`); undefined when none. */
export type CredentialSource = (registry: string) => Promise<Credential | undefined>;

/** Everything the client touches, injected. */
export interface RegistryClientDeps {
  readonly fetch: HttpFetch;
  /** a fetch that skips TLS verification, used only with allowInsecure */
  readonly insecureFetch?: HttpFetch;
  /** per request; for streamed bodies, the longest pause between chunks */
  readonly timeoutMs: number;
  readonly credentials: CredentialSource;
  readonly sleep: Sleep;
  readonly now: Clock;
  /** a number in [0, 1) for backoff jitter */
  readonly jitter: () => number;
  readonly retryPolicy?: RetryPolicy;
  /** allow plain HTTP and unverified TLS for every registry (`--allow-insecure-registry`) */
  readonly allowInsecure?: boolean;
  /** allow plain HTTP for every registry, TLS still verified when HTTPS answers (`--allow-http-registry`) */
  readonly allowHttp?: boolean;
  /** blobs larger than this are uploaded in PATCH chunks of this size (default 8 MiB) */
  readonly chunkSizeBytes?: number;
}

/** A manifest exactly as the registry stored it. */
export interface FetchedManifest {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
  /** sha256 of `bytes` (checked against the requested digest and Docker-Content-Digest) */
  readonly digest: string;
  /** `bytes` parsed (as parseManifest does), so that readers need not parse them again */
  readonly manifest: Manifest;
}

/** What a HEAD of a manifest tells. */
export interface ManifestHead {
  readonly digest: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
}

/** A blob body being read; the iterator throws ERR_OCI_DIGEST_MISMATCH at the end when the bytes are wrong. */
export interface BlobStream {
  readonly sizeBytes: number;
  /** yields chunks; do not commit anything until the iteration finished without throwing */
  readonly body: AsyncIterable<Uint8Array>;
}

/** How a blob got to its destination. */
export type BlobPushResult = 'uploaded' | 'skipped' | 'mounted';
