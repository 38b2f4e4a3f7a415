/**
 * The registry's route table (distribution-spec 1.1 endpoints end-1 .. end-13), as plain data.
 * Repository names contain slashes, so `name` is the greedy part before the last keyword.
 */
import { AuthError, NotFoundError, UsageError } from '../core/index.ts';
import { deleteBlob, getBlob } from './blobs.ts';
import type { RegistryDeps } from './deps.ts';
import { listCatalog, listTags } from './listings.ts';
import { createManifestCache } from './manifest-cache.ts';
import { createManifestHandlers } from './manifests.ts';
import { listReferrers } from './referrers.ts';
import { headersWith } from './request.ts';
import type { RegistryRequest, RegistryResponse, RegistryRoute } from './types.ts';
import { createUploadHandlers } from './uploads.ts';

type Handle = (req: RegistryRequest) => Promise<RegistryResponse>;

/** The challenge a client gets when credentials are missing or wrong. */
export const BASIC_CHALLENGE = 'Basic realm="sigil"';

function guarded(deps: RegistryDeps, handle: Handle): Handle {
  const authenticate = deps.authenticate;
  if (authenticate === undefined) return handle;
  return async (req) => {
    if (!(await authenticate(req.headers['authorization']))) {
      throw new AuthError('ERR_OCI_UNAUTHORIZED', 'authentication required', { details: { wwwAuthenticate: BASIC_CHALLENGE } });
    }
    return handle(req);
  };
}

const NAME = '(?<name>[^?#]+?)';

/** Creates the registry's routes; the last one answers every other /v2 path in the OCI dialect. */
export function createRegistryRoutes(deps: RegistryDeps): RegistryRoute[] {
  const cache = createManifestCache(deps.cacheBytes ?? 64 * 1024 * 1024);
  const manifests = createManifestHandlers(deps, cache);
  const uploads = createUploadHandlers(deps);
  const table: [readonly string[], RegExp, Handle][] = [
    [['GET', 'HEAD'], new RegExp(`^/v2/${NAME}/manifests/(?<reference>[^/]+)$`), manifests.get],
    [['PUT'], new RegExp(`^/v2/${NAME}/manifests/(?<reference>[^/]+)$`), manifests.put],
    [['DELETE'], new RegExp(`^/v2/${NAME}/manifests/(?<reference>[^/]+)$`), manifests.delete],
    [['GET', 'HEAD'], /^\/v2\/?$/, async () => ({ status: 200, headers: headersWith({ 'content-type': 'application/json' }), body: '{}' })],
    [['POST'], new RegExp(`^/v2/${NAME}/blobs/uploads/?$`), uploads.start],
    [['PATCH'], new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`), uploads.patch],
    [['PUT'], new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`), uploads.put],
    [['GET'], new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`), uploads.status],
    [['DELETE'], new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`), uploads.cancel],
    [['GET', 'HEAD'], new RegExp(`^/v2/${NAME}/blobs/(?<digest>[^/]+)$`), (req) => getBlob(deps.blobs, req)],
    [['DELETE'], new RegExp(`^/v2/${NAME}/blobs/(?<digest>[^/]+)$`), (req) => deleteBlob(deps.blobs, req)],
    [['GET'], /^\/v2\/_catalog$/, (req) => listCatalog(deps.listRepositories, req)],
    [['GET'], new RegExp(`^/v2/${NAME}/tags/list$`), (req) => listTags(deps.tags, req)],
    [['GET'], new RegExp(`^/v2/${NAME}/referrers/(?<digest>[^/]+)$`), (req) => listReferrers(deps.manifests, cache, req)],
  ];
  const routes: RegistryRoute[] = table.map(([methods, pattern, handle]) => ({ methods, pattern, dialect: 'oci', handle: guarded(deps, handle) }));
  routes.push({
    methods: ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    pattern: /^\/v2(?:\/.*)?$/,
    dialect: 'oci',
    handle: guarded(deps, async (req) => {
      if (routes.some((r) => r.pattern.test(req.path) && !r.methods.includes(req.method))) {
        throw new UsageError('ERR_HTTP_METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}`);
      }
      throw new NotFoundError('ERR_HTTP_ROUTE_UNKNOWN', `no registry endpoint for ${req.method} ${req.path}`);
    }),
  });
  return routes;
}
