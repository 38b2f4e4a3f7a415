/**
 * Blob uploads (distribution-spec "Pushing blobs"): skipped when the blob exists, mounted from
 * another repository of the same registry when possible (falling back to an upload on 202),
 * monolithic POST + PUT for small blobs, chunked PATCHes that follow each Location for big
 * ones. A failed upload is retried whole, from a freshly opened source.
 */
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../oci/index.ts';
import { concatBytes, isAppError, UpstreamError } from '../../core/index.ts';
import { hasBlob } from './blobs.ts';
import type { Transport } from './transport.ts';
import { pushScopes, repositoryPath, type RepositoryRef } from './scopes.ts';
import type { BlobPushResult, RegistryClientDeps } from './types.ts';
import { resolveUrl } from './urls.ts';
import type { HttpResponse } from '../http-clients/fetch.ts';

/** A blob to push: digest, size, and a function that opens its bytes (called again on a retry). */
export interface BlobSource {
  readonly digest: string;
  readonly size: number;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** Options of one push. */
export interface PushBlobOptions {
  /** a repository on the same registry that has the blob: try a cross-repository mount */
  readonly mountFrom?: RepositoryRef;
  /** called with the number of bytes sent so far */
  readonly onProgress?: (sentBytes: number) => void;
}

/** The default PATCH chunk size, and the size up to which a blob goes in one PUT. */
export const DEFAULT_CHUNK_SIZE_BYTES = 8 * 1024 * 1024;

type UploadDeps = Pick<RegistryClientDeps, 'sleep' | 'jitter' | 'retryPolicy' | 'chunkSizeBytes'>;

/**
 * Pushes one blob to `repo` unless it is there already.
 * @throws ERR_OCI_DIGEST_MISMATCH (from the source; never retried), auth, status and network errors
 */
export async function pushBlob(send: Transport, deps: UploadDeps, repo: RepositoryRef, blob: BlobSource, options: PushBlobOptions = {}): Promise<BlobPushResult> {
  if (await hasBlob(send, repo, blob.digest)) return 'skipped';
  let location: string | undefined;
  if (options.mountFrom && options.mountFrom.registry === repo.registry && options.mountFrom.repository !== repo.repository) {
    const mount = await startUpload(send, repo, `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(options.mountFrom.repository)}`, options.mountFrom);
    if (mount.status === 201) return 'mounted';
    location = mount.location;
  }
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  for (let failures = 1; ; failures += 1) {
    try {
      const session = location ?? (await startUpload(send, repo, '', undefined)).location;
      location = undefined;
      await uploadTo(send, repo, session, blob, deps.chunkSizeBytes ?? DEFAULT_CHUNK_SIZE_BYTES, options.onProgress);
      return 'uploaded';
    } catch (error) {
      const delay = isRetryableUpload(error) ? retryDelayMs(policy, failures, undefined, deps.jitter()) : undefined;
      if (delay === undefined) throw error;
      await deps.sleep(delay);
    }
  }
}

/** Network trouble, timeouts and 5xx are worth a fresh upload; bad content and auth are not. */
function isRetryableUpload(error: unknown): boolean {
  if (!isAppError(error)) return false;
  if (error.code === 'ERR_NETWORK' || error.code === 'ERR_HTTP_TIMEOUT' || error.code === 'ERR_OCI_UPLOAD_UNKNOWN') return true;
  const status = error.details?.['status'];
  return error.code === 'ERR_HTTP_STATUS' && typeof status === 'number' && status >= 500;
}

async function startUpload(send: Transport, repo: RepositoryRef, query: string, mountFrom: RepositoryRef | undefined): Promise<{ status: number; location: string }> {
  const { response, url } = await send({
    registry: repo.registry, method: 'POST', path: `${repositoryPath(repo)}/blobs/uploads/${query}`,
    scopes: pushScopes(repo, mountFrom), notFound: 'ERR_OCI_NAME_UNKNOWN', headers: { 'content-length': '0' },
  });
  await response.body?.cancel().catch(() => undefined);
  if (response.status === 201) return { status: 201, location: '' };
  return { status: response.status, location: locationOf(response, url) };
}

function locationOf(response: HttpResponse, requestUrl: string): string {
  const location = response.headers.get('location');
  if (!location) throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `${response.status} answer to an upload request has no Location header`);
  return resolveUrl(location, requestUrl);
}

/** Adds `digest=` to an upload URL, keeping the registry's own query parameters. */
function withDigestParam(location: string, digest: string): string {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}

async function uploadTo(send: Transport, repo: RepositoryRef, location: string, blob: BlobSource, chunkSize: number, onProgress?: (n: number) => void): Promise<void> {
  let current = location;
  let offset = 0;
  let last: Uint8Array[] = [];
  for await (const piece of rechunk(await blob.open(), chunkSize)) {
    // a blob that fits one chunk goes in the final PUT; a bigger one in chunkSize PATCHes
    if (blob.size <= chunkSize) { last.push(piece); continue; }
    const { response, url } = await send({
      registry: repo.registry, method: 'PATCH', path: current, body: piece, retry: false, scopes: pushScopes(repo), notFound: 'ERR_OCI_UPLOAD_UNKNOWN',
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + piece.byteLength - 1}` },
    });
    await response.body?.cancel().catch(() => undefined);
    current = locationOf(response, url);
    offset += piece.byteLength;
    onProgress?.(offset);
  }
  // the source iterator has verified digest and size by now: only then commit with the PUT
  const body = concatBytes(last);
  last = [];
  const { response } = await send({
    registry: repo.registry, method: 'PUT', path: withDigestParam(current, blob.digest), body, scopes: pushScopes(repo), notFound: 'ERR_OCI_UPLOAD_UNKNOWN',
    headers: { 'content-type': 'application/octet-stream' },
  });
  await response.body?.cancel().catch(() => undefined);
  onProgress?.(offset + body.byteLength);
}

/** Re-cuts a stream into pieces of exactly `size` bytes (the last may be shorter). */
async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    let rest = chunk;
    while (pendingBytes + rest.byteLength >= size) {
      const take = size - pendingBytes;
      yield concatBytes([...pending, rest.subarray(0, take)]);
      pending = []; pendingBytes = 0;
      rest = rest.subarray(take);
    }
    if (rest.byteLength > 0) { pending.push(rest); pendingBytes += rest.byteLength; }
  }
  if (pendingBytes > 0) yield concatBytes(pending);
}
