/**
 * Manifest operations: GET/HEAD with every manifest type in Accept (distribution 2.8 answers
 * 404 for an OCI manifest unless its type is accepted), PUT of exact bytes, DELETE.
 * Fetched bytes are hashed; a digest reference or Docker-Content-Digest that disagrees fails.
 */
import { collectBytes, computeDigest, InputError, parseDigest, UpstreamError, UsageError, isDigest } from '../../core/index.ts';
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, parseManifest } from '../../oci/index.ts';
import { responseBody, type Transport } from './transport.ts';
import { deleteScopes, pullScopes, pushScopes, repositoryPath, type RepositoryRef } from './scopes.ts';
import type { FetchedManifest, ManifestHead } from './types.ts';
import type { HttpResponse } from '../http-clients/fetch.ts';

function contentType(response: HttpResponse): string | undefined {
  return response.headers.get('content-type')?.split(';')[0]?.trim() || undefined;
}

function mismatch(what: string, want: string, got: string): UpstreamError {
  return new UpstreamError('ERR_OCI_DIGEST_MISMATCH', `${what}: want ${want}, the bytes hash to ${got}`);
}

/**
 * GETs a manifest by tag or digest, returning its exact bytes.
 * @throws ERR_OCI_MANIFEST_UNKNOWN, ERR_OCI_DIGEST_MISMATCH, ERR_OCI_MANIFEST_INVALID, auth and network errors
 */
export async function getManifest(send: Transport, repo: RepositoryRef, identifier: string): Promise<FetchedManifest> {
  const { response } = await send({
    registry: repo.registry, method: 'GET', path: `${repositoryPath(repo)}/manifests/${identifier}`,
    headers: { accept: MANIFEST_ACCEPT }, scopes: pullScopes(repo), notFound: 'ERR_OCI_MANIFEST_UNKNOWN',
  });
  return readManifest(response, repo, identifier);
}

/**
 * GETs a manifest as getManifest does, or undefined when the registry answers 404: one request
 * where hasManifest then getManifest take two.
 * @throws as getManifest, except for the 404
 */
export async function findManifest(send: Transport, repo: RepositoryRef, identifier: string): Promise<FetchedManifest | undefined> {
  const { response } = await send({
    registry: repo.registry, method: 'GET', path: `${repositoryPath(repo)}/manifests/${identifier}`,
    headers: { accept: MANIFEST_ACCEPT }, scopes: pullScopes(repo), notFound: 'ERR_OCI_MANIFEST_UNKNOWN', accept: [404],
  });
  if (response.status !== 404) return readManifest(response, repo, identifier);
  // read, not cancelled: the connection then serves the requests that follow
  await response.text().catch(() => '');
  return undefined;
}

async function readManifest(response: HttpResponse, repo: RepositoryRef, identifier: string): Promise<FetchedManifest> {
  const bytes = await collectBytes(responseBody(response), MAX_MANIFEST_BYTES, (n) =>
    new InputError('ERR_OCI_MANIFEST_TOO_LARGE', `manifest ${identifier} is larger than ${n} bytes`));
  const byDigest = isDigest(identifier);
  const algorithm = byDigest ? parseDigest(identifier).algorithm : 'sha256';
  const digest = computeDigest(algorithm, bytes);
  if (byDigest && digest !== identifier) throw mismatch(`manifest ${identifier} from ${repo.registry}/${repo.repository}`, identifier, digest);
  const header = response.headers.get('docker-content-digest');
  if (header && header !== digest && isDigest(header) && parseDigest(header).algorithm === algorithm) {
    throw mismatch(`manifest ${identifier}: Docker-Content-Digest`, header, digest);
  }
  const manifest = parseManifest(bytes, contentType(response));
  return { bytes, mediaType: manifest.mediaType, digest: algorithm === 'sha256' ? digest : computeDigest('sha256', bytes), manifest };
}

/**
 * HEADs a manifest; falls back to GET when the registry sends no Docker-Content-Digest.
 * @throws ERR_OCI_MANIFEST_UNKNOWN and transport errors
 */
export async function headManifest(send: Transport, repo: RepositoryRef, identifier: string): Promise<ManifestHead> {
  const { response } = await send({
    registry: repo.registry, method: 'HEAD', path: `${repositoryPath(repo)}/manifests/${identifier}`,
    headers: { accept: MANIFEST_ACCEPT }, scopes: pullScopes(repo), notFound: 'ERR_OCI_MANIFEST_UNKNOWN',
  });
  const digest = response.headers.get('docker-content-digest');
  const mediaType = contentType(response);
  const size = Number(response.headers.get('content-length'));
  if (digest && isDigest(digest) && mediaType && Number.isSafeInteger(size) && (!isDigest(identifier) || identifier === digest)) {
    return { digest, mediaType, sizeBytes: size };
  }
  const fetched = await getManifest(send, repo, identifier);
  return { digest: fetched.digest, mediaType: fetched.mediaType, sizeBytes: fetched.bytes.byteLength };
}

/** True when the manifest exists (HEAD answered 2xx). */
export async function hasManifest(send: Transport, repo: RepositoryRef, identifier: string): Promise<boolean> {
  const { response } = await send({
    registry: repo.registry, method: 'HEAD', path: `${repositoryPath(repo)}/manifests/${identifier}`,
    headers: { accept: MANIFEST_ACCEPT }, scopes: pullScopes(repo), notFound: 'ERR_OCI_MANIFEST_UNKNOWN', accept: [404],
  });
  return response.status !== 404;
}

/**
 * PUTs manifest bytes unchanged under a tag or digest; returns their sha256 digest.
 * @throws ERR_OCI_MANIFEST_BLOB_UNKNOWN, ERR_OCI_MANIFEST_INVALID, auth and network errors
 */
export async function putManifest(send: Transport, repo: RepositoryRef, identifier: string, bytes: Uint8Array, mediaType: string): Promise<string> {
  await send({
    registry: repo.registry, method: 'PUT', path: `${repositoryPath(repo)}/manifests/${identifier}`,
    headers: { 'content-type': mediaType }, body: bytes, scopes: pushScopes(repo), notFound: 'ERR_OCI_NAME_UNKNOWN',
  });
  return computeDigest('sha256', bytes);
}

/**
 * DELETEs a manifest by digest.
 * @throws ERR_OCI_MANIFEST_UNKNOWN, ERR_OCI_UNSUPPORTED (registry has deletes disabled: 405)
 */
export async function deleteManifest(send: Transport, repo: RepositoryRef, digest: string): Promise<void> {
  const { response } = await send({
    registry: repo.registry, method: 'DELETE', path: `${repositoryPath(repo)}/manifests/${parseDigest(digest).value}`,
    scopes: deleteScopes(repo), notFound: 'ERR_OCI_MANIFEST_UNKNOWN', accept: [405],
  });
  if (response.status === 405) {
    await response.body?.cancel().catch(() => undefined);
    throw new UsageError('ERR_OCI_UNSUPPORTED', `${repo.registry} does not allow deleting manifests`);
  }
}
