/**
 * Blob reads: HEAD for existence, GET streamed and verified while read (go-containerregistry's
 * internal/verify): the size and digest are checked as bytes arrive, and a mismatch is thrown
 * at the end of the iteration, before a consumer can commit what it wrote.
 */
import { createDigester, parseDigest, UpstreamError } from '../../core/index.ts';
import type { Transport } from './transport.ts';
import { toFetchError } from './errors.ts';
import { pullScopes, repositoryPath, type RepositoryRef } from './scopes.ts';
import type { BlobStream } from './types.ts';
import type { HttpResponse } from '../http-clients/fetch.ts';

/** A blob to read: its digest and, when known, its size. */
export interface BlobTarget {
  readonly digest: string;
  readonly size?: number;
}

/**
 * True when the repository has the blob.
 * @throws auth and network errors (a 404 is false)
 */
export async function hasBlob(send: Transport, repo: RepositoryRef, digest: string): Promise<boolean> {
  const { response } = await send({
    registry: repo.registry, method: 'HEAD', path: `${repositoryPath(repo)}/blobs/${digest}`,
    scopes: pullScopes(repo), notFound: 'ERR_OCI_BLOB_UNKNOWN', accept: [404],
  });
  return response.status !== 404;
}

/** An abort signal that fires when no progress is reported for `timeoutMs`. */
function createIdleTimeout(timeoutMs: number, what: string): { signal: AbortSignal; touch(): void; clear(): void } {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new UpstreamError('ERR_HTTP_TIMEOUT', `${what} stalled for ${timeoutMs} ms`)), timeoutMs);
  };
  touch();
  return { signal: controller.signal, touch, clear: () => { if (timer) clearTimeout(timer); } };
}

/**
 * GETs a blob as a verified stream.
 * @throws ERR_OCI_BLOB_UNKNOWN up front; the iterator throws ERR_OCI_DIGEST_MISMATCH, ERR_HTTP_TIMEOUT, ERR_NETWORK
 */
export async function getBlob(send: Transport, repo: RepositoryRef, blob: BlobTarget, timeoutMs: number): Promise<BlobStream> {
  const what = `blob ${blob.digest} from ${repo.registry}/${repo.repository}`;
  const idle = createIdleTimeout(timeoutMs, what);
  let sent;
  try {
    sent = await send({
      registry: repo.registry, method: 'GET', path: `${repositoryPath(repo)}/blobs/${blob.digest}`,
      scopes: pullScopes(repo), notFound: 'ERR_OCI_BLOB_UNKNOWN', signal: idle.signal,
    });
  } catch (error) {
    idle.clear();
    throw error;
  }
  const length = Number(sent.response.headers.get('content-length') ?? NaN);
  const sizeBytes = blob.size ?? (Number.isSafeInteger(length) ? length : -1);
  return { sizeBytes, body: verifiedBody(sent.response, blob, what, idle) };
}

async function* verifiedBody(response: HttpResponse, blob: BlobTarget, what: string, idle: ReturnType<typeof createIdleTimeout>): AsyncGenerator<Uint8Array> {
  const digester = createDigester(parseDigest(blob.digest).algorithm);
  const tooBig = (): UpstreamError => new UpstreamError('ERR_OCI_DIGEST_MISMATCH', `${what}: more than the ${blob.size} bytes its descriptor declares`);
  let finished = false;
  try {
    for await (const chunk of response.body ?? []) {
      idle.touch();
      digester.update(chunk);
      if (blob.size !== undefined && digester.sizeBytes > blob.size) throw tooBig();
      yield chunk;
    }
    finished = true;
  } catch (error) {
    throw toFetchError('GET', what, error);
  } finally {
    idle.clear();
    // a consumer that stops early (or a failure) must not leave the connection half-read
    if (!finished) await response.body?.cancel().catch(() => undefined);
  }
  if (blob.size !== undefined && digester.sizeBytes !== blob.size) {
    throw new UpstreamError('ERR_OCI_DIGEST_MISMATCH', `${what}: got ${digester.sizeBytes} bytes, its descriptor declares ${blob.size}`);
  }
  const got = digester.digest();
  if (got !== blob.digest) throw new UpstreamError('ERR_OCI_DIGEST_MISMATCH', `${what}: the bytes hash to ${got}`);
}
