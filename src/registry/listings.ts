/**
 * Listing tags (`/v2/<name>/tags/list`) and repositories (`/v2/_catalog`), paginated.
 */
import { NotFoundError } from '../core/index.ts';
import type { ListRepositories, TagStore } from './ports.ts';
import { paginate, parsePageSize, type Page } from './pagination.ts';
import { headersWith, nameOf } from './request.ts';
import type { RegistryRequest, RegistryResponse } from './types.ts';

function pageResponse(page: Page, body: unknown): RegistryResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (page.link !== undefined) headers['link'] = page.link;
  return { status: 200, headers: headersWith(headers), body: JSON.stringify(body) };
}

/**
 * GET the tags of a repository, sorted, with `n` and `last`.
 * @throws ERR_OCI_NAME_INVALID, ERR_OCI_NAME_UNKNOWN, ERR_OCI_PAGINATION_INVALID
 */
export async function listTags(tags: TagStore, req: RegistryRequest): Promise<RegistryResponse> {
  const name = nameOf(req);
  const n = parsePageSize(req.query.get('n'));
  const all = await tags.list(name);
  if (all === undefined) throw new NotFoundError('ERR_OCI_NAME_UNKNOWN', `repository ${name} does not exist`);
  const page = paginate(all, `/v2/${name}/tags/list`, n, req.query.get('last'));
  return pageResponse(page, { name, tags: page.items });
}

/**
 * GET the repositories of the registry, sorted, with `n` and `last`.
 * @throws ERR_OCI_PAGINATION_INVALID
 */
export async function listCatalog(listRepositories: ListRepositories, req: RegistryRequest): Promise<RegistryResponse> {
  const n = parsePageSize(req.query.get('n'));
  const page = paginate(await listRepositories(), '/v2/_catalog', n, req.query.get('last'));
  return pageResponse(page, { repositories: page.items });
}
