/**
 * Listings: tags and the catalog with `Link` pagination, and referrers through the OCI 1.1
 * API or, where a registry has none, the `sha256-<hex>` tag schema fallback index.
 */
import { collectBytes, decodeUtf8, UpstreamError, type AppError } from '../../core/index.ts';
import {
  OCI_INDEX, isIndexMediaType, parseLinkNext, parseManifest, referrersTag,
  type Descriptor, type ImageIndex,
} from '../../oci/index.ts';
import { getManifest } from './manifests.ts';
import { CATALOG_SCOPES, pullScopes, repositoryPath, type RepositoryRef } from './scopes.ts';
import { responseBody, type Transport } from './transport.ts';
import { resolveUrl } from './urls.ts';
import type { HttpResponse } from '../http-clients/fetch.ts';

// a listing page larger than this is refused (the spec puts no bound; registries page by 100-1000)
const MAX_PAGE_BYTES = 8 * 1024 * 1024;
// a registry that keeps sending `next` links is cut off
const MAX_PAGES = 10_000;

function invalid(what: string): AppError {
  return new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `${what} is not the expected json`);
}

async function readJson(response: HttpResponse, what: string): Promise<unknown> {
  const bytes = await collectBytes(responseBody(response), MAX_PAGE_BYTES, () => invalid(`${what} (larger than ${MAX_PAGE_BYTES} bytes)`));
  try { return JSON.parse(decodeUtf8(bytes)); } catch { throw invalid(what); }
}

function stringList(body: unknown, field: string, what: string): string[] {
  if (typeof body !== 'object' || body === null) throw invalid(what);
  const value = (body as Record<string, unknown>)[field];
  if (value === null || value === undefined) return []; // distribution sends "tags": null for an empty repository
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(what);
  return value as string[];
}

async function listPaged(send: Transport, registry: string, first: string, scopes: readonly string[], field: string, what: string): Promise<string[]> {
  const out: string[] = [];
  let path: string | undefined = first;
  for (let page = 0; path !== undefined && page < MAX_PAGES; page += 1) {
    const { response, url } = await send({ registry, method: 'GET', path, scopes, notFound: 'ERR_OCI_NAME_UNKNOWN' });
    const next = parseLinkNext(response.headers.get('link'));
    out.push(...stringList(await readJson(response, what), field, what));
    path = next === undefined ? undefined : resolveUrl(next, url);
  }
  return out;
}

/** `?n=<pageSize>` when a page size is asked for. */
function pageQuery(pageSize: number | undefined): string {
  return pageSize === undefined ? '' : `?n=${Math.max(1, Math.floor(pageSize))}`;
}

/**
 * Lists every tag of a repository, following `Link: <...>; rel="next"`.
 * @throws ERR_OCI_NAME_UNKNOWN, auth and network errors
 */
export function listTags(send: Transport, repo: RepositoryRef, pageSize?: number): Promise<string[]> {
  return listPaged(send, repo.registry, `${repositoryPath(repo)}/tags/list${pageQuery(pageSize)}`, pullScopes(repo), 'tags', `tag list of ${repo.repository}`);
}

/**
 * Lists every repository of a registry (`/v2/_catalog`), following Link pagination.
 * @throws auth and network errors
 */
export function listCatalog(send: Transport, registry: string, pageSize?: number): Promise<string[]> {
  return listPaged(send, registry, `/v2/_catalog${pageQuery(pageSize)}`, CATALOG_SCOPES, 'repositories', `catalog of ${registry}`);
}

/** Referrers of a manifest and where they were found. */
export interface ReferrersResult {
  readonly manifests: readonly Descriptor[];
  /** `api` (OCI 1.1 referrers endpoint) or `tag-schema` (the `sha256-<hex>` fallback index) */
  readonly source: 'api' | 'tag-schema';
}

/**
 * Lists the referrers of `digest`, optionally only those of `artifactType`, following the
 * `Link: <...>; rel="next"` pages a registry may split a long list into (distribution-spec 1.1),
 * so no referrer on a later page is missed.
 * @throws auth and network errors; ERR_HTTP_RESPONSE_INVALID for a later page that is not an
 *   index; a registry without the API is not an error
 */
export async function listReferrers(send: Transport, repo: RepositoryRef, digest: string, artifactType?: string): Promise<ReferrersResult> {
  const query = artifactType === undefined ? '' : `?artifactType=${encodeURIComponent(artifactType)}`;
  const request = (path: string) => send({
    registry: repo.registry, method: 'GET', path, headers: { accept: OCI_INDEX }, scopes: pullScopes(repo),
    notFound: 'ERR_OCI_MANIFEST_UNKNOWN', accept: [404, 400, 405],
  });
  const { response, url } = await request(`${repositoryPath(repo)}/referrers/${digest}${query}`);
  const index = await indexOf(response);
  if (!index) {
    await response.body?.cancel().catch(() => undefined);
    return { manifests: filterType(await fallbackReferrers(send, repo, digest), artifactType), source: 'tag-schema' };
  }
  const manifests = [...index.manifests];
  let next = nextPage(response, url);
  for (let page = 1; next !== undefined && page < MAX_PAGES; page += 1) {
    const more = await request(next);
    const pageIndex = await indexOf(more.response);
    if (!pageIndex) {
      await more.response.body?.cancel().catch(() => undefined);
      throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `page ${page + 1} of the referrers of ${digest} answered ${more.response.status} without an image index`);
    }
    manifests.push(...pageIndex.manifests);
    next = nextPage(more.response, more.url);
  }
  // the filter is advisory: registries that ignore it do not send OCI-Filters-Applied
  return { manifests: filterType(manifests, artifactType), source: 'api' };
}

function nextPage(response: HttpResponse, url: string): string | undefined {
  const next = parseLinkNext(response.headers.get('link'));
  return next === undefined ? undefined : resolveUrl(next, url);
}

async function indexOf(response: HttpResponse): Promise<ImageIndex | undefined> {
  const type = response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
  return response.ok && isIndexMediaType(type) ? readIndex(response) : undefined;
}

async function readIndex(response: HttpResponse): Promise<ImageIndex | undefined> {
  const bytes = await collectBytes(responseBody(response), MAX_PAGE_BYTES, () => invalid('referrers index'));
  try {
    const manifest = parseManifest(bytes, OCI_INDEX);
    return manifest.kind === 'index' ? manifest : undefined;
  } catch { return undefined; }
}

async function fallbackReferrers(send: Transport, repo: RepositoryRef, digest: string): Promise<readonly Descriptor[]> {
  const tag = referrersTag(digest);
  try {
    const fetched = await getManifest(send, repo, tag);
    const manifest = parseManifest(fetched.bytes, fetched.mediaType);
    return manifest.kind === 'index' ? manifest.manifests : [];
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ERR_OCI_MANIFEST_UNKNOWN' || error.code === 'ERR_OCI_NAME_UNKNOWN')) return [];
    throw error;
  }
}

function filterType(manifests: readonly Descriptor[], artifactType: string | undefined): readonly Descriptor[] {
  return artifactType === undefined ? manifests : manifests.filter((d) => d.artifactType === artifactType);
}
