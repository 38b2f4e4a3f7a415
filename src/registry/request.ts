/**
 * Reading the path parameters of a registry request: names, digests, tags and upload ids are
 * attacker-controlled and become file paths in the adapters, so each is validated here first.
 */
import { InputError, NotFoundError, parseDigest } from '../core/index.ts';
import { parseRepositoryName } from '../oci/index.ts';
import type { RegistryRequest } from './types.ts';
import { API_VERSION_HEADER } from './types.ts';

/**
 * The validated repository name of the request.
 * @throws ERR_OCI_NAME_INVALID
 */
export function nameOf(req: RegistryRequest): string {
  return parseRepositoryName(req.params['name'] ?? '');
}

/**
 * The validated digest path parameter `key`.
 * @throws ERR_OCI_DIGEST_INVALID
 */
export function digestParam(req: RegistryRequest, key: string): string {
  return parseDigest(req.params[key] ?? '').value;
}

const UPLOAD_ID = /^[A-Za-z0-9-]{8,64}$/;

/**
 * The validated upload session id of the request.
 * @throws ERR_OCI_UPLOAD_UNKNOWN
 */
export function uploadIdOf(req: RegistryRequest): string {
  const id = req.params['uuid'] ?? '';
  if (!UPLOAD_ID.test(id)) throw new NotFoundError('ERR_OCI_UPLOAD_UNKNOWN', `unknown upload ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

/**
 * The declared Content-Length, if any.
 * @throws ERR_OCI_SIZE_INVALID when malformed
 */
export function contentLengthOf(req: RegistryRequest): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new InputError('ERR_OCI_SIZE_INVALID', `invalid content-length ${JSON.stringify(value.slice(0, 30))}`);
  return Number(value);
}

/** Response headers: the API version header plus `extra`. */
export function headersWith(extra: Readonly<Record<string, string>>): Record<string, string> {
  return { ...API_VERSION_HEADER, ...extra };
}

/** Counts and observes the chunks of `body` as they pass. */
export async function* observe(body: AsyncIterable<Uint8Array>, onChunk: (chunk: Uint8Array) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    onChunk(chunk);
    yield chunk;
  }
}
