/**
 * Pulling and deleting blobs (distribution-spec "Pulling blobs", "Deleting blobs").
 */
import { NotFoundError } from '../core/index.ts';
import type { BlobStore } from './ports.ts';
import { parseBlobRange } from './ranges.ts';
import { digestParam, headersWith, nameOf } from './request.ts';
import type { RegistryRequest, RegistryResponse } from './types.ts';

function unknownBlob(name: string, digest: string): NotFoundError {
  return new NotFoundError('ERR_OCI_BLOB_UNKNOWN', `blob ${digest} is not in repository ${name}`);
}

/**
 * GET or HEAD a blob, streamed; a single `Range: bytes=` request answers 206.
 * @throws ERR_OCI_NAME_INVALID, ERR_OCI_DIGEST_INVALID, ERR_OCI_BLOB_UNKNOWN
 */
export async function getBlob(blobs: BlobStore, req: RegistryRequest): Promise<RegistryResponse> {
  const name = nameOf(req);
  const digest = digestParam(req, 'digest');
  const size = await blobs.stat(name, digest);
  if (size === undefined) throw unknownBlob(name, digest);
  const base = { 'content-type': 'application/octet-stream', 'docker-content-digest': digest, 'accept-ranges': 'bytes', etag: `"${digest}"` };
  const range = parseBlobRange(req.headers['range'], size);
  if (range === undefined) {
    const headers = headersWith({ ...base, 'content-length': String(size) });
    return req.method === 'HEAD' ? { status: 200, headers } : { status: 200, headers, body: blobs.open(digest) };
  }
  const headers = headersWith({ ...base, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${size}` });
  return req.method === 'HEAD' ? { status: 206, headers } : { status: 206, headers, body: blobs.open(digest, range) };
}

/**
 * DELETE a blob: unlinks it from the repository (its bytes go at the next `sigil registry gc`).
 * @throws ERR_OCI_NAME_INVALID, ERR_OCI_DIGEST_INVALID, ERR_OCI_BLOB_UNKNOWN
 */
export async function deleteBlob(blobs: BlobStore, req: RegistryRequest): Promise<RegistryResponse> {
  const name = nameOf(req);
  const digest = digestParam(req, 'digest');
  if (!(await blobs.unlink(name, digest))) throw unknownBlob(name, digest);
  return { status: 202, headers: headersWith({ 'docker-content-digest': digest }) };
}
